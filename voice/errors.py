"""Exceptions the CLI turns into one clear line and a non-zero exit."""


class VoiceError(Exception):
    """Base class: the message is meant for the user, as is."""


class AudioError(VoiceError):
    """An input file that cannot be read as audio."""


class ModelError(VoiceError):
    """A model that is unknown, missing, corrupt or cannot be installed here."""
