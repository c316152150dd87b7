"""Engine names → engines; the default is the best one installed (kokoro, else espeak)."""

from __future__ import annotations

from voice.errors import VoiceError

ENGINES = ("kokoro", "fastspeech2", "paddlespeech", "espeak")
_LOADED: dict = {}


def kokoro_available() -> bool:
    from voice.models.manifest import load_manifest
    from voice.models.store import is_ready

    try:
        import misaki.zh  # noqa: F401

        specs = load_manifest()
        return all(is_ready(specs[name]) for name in ("kokoro-82m-int8", "kokoro-voices-zh"))
    except (ImportError, KeyError, VoiceError):
        return False


def default_engine() -> str:
    return "kokoro" if kokoro_available() else "espeak"


def get_engine(name: str | None = None):
    name = name or default_engine()
    if name not in ENGINES:
        raise VoiceError(f"unknown TTS engine {name!r}: choose one of {', '.join(ENGINES)}")
    if name not in _LOADED:
        if name == "kokoro":
            from voice.tts.kokoro import KokoroTTS

            _LOADED[name] = KokoroTTS()
        elif name == "espeak":
            from voice.tts.espeak import EspeakTTS

            _LOADED[name] = EspeakTTS()
        elif name == "fastspeech2":
            from voice.tts.fastspeech2 import FastSpeech2TTS

            _LOADED[name] = FastSpeech2TTS()
        else:
            from voice.tts.paddlespeech import PaddleSpeechTTS

            _LOADED[name] = PaddleSpeechTTS()
    return _LOADED[name]
