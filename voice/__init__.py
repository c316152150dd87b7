"""voice: an on-device Mandarin voice assistant pipeline (VAD → ASR → NLU → TTS)."""

__version__ = "0.1.0"

from voice.api import ask, transcribe  # noqa: E402
from voice.asr.types import ASROptions, Segment, Transcript  # noqa: E402
from voice.errors import AudioError, ModelError, VoiceError  # noqa: E402

__all__ = ["transcribe", "ask", "ASROptions", "Segment", "Transcript", "VoiceError", "AudioError", "ModelError",
           "__version__"]
