"""The Python API: `voice.transcribe(path_or_array, **options) -> Transcript`,
`voice.ask(text, now=…, profile=…) -> Turn` (the assistant)."""

from __future__ import annotations

import os
from dataclasses import fields

import numpy as np

from voice.asr.types import ASROptions, Transcript

_ENGINES: dict = {}
_DECODE_ONLY = {"hotwords"}  # options that don't need a new engine


def get_engine(options: ASROptions):
    """One loaded engine per distinct set of model-affecting options, reused across calls."""
    from voice.asr.whisper import WhisperASR

    key = tuple(getattr(options, f.name) for f in fields(options) if f.name not in _DECODE_ONLY)
    if key not in _ENGINES:
        _ENGINES.clear()  # keep at most one model in memory
        _ENGINES[key] = WhisperASR(options)
    return _ENGINES[key]


def transcribe(audio: str | os.PathLike | np.ndarray, **options) -> Transcript:
    """Transcribe a file (any common format) or 16 kHz mono float32 samples.

    Keyword options are the fields of `ASROptions` (model, device, beam_size, itn, hotwords, vad, …);
    `hotwords` may be a list of strings.
    """
    if "hotwords" in options and options["hotwords"] is not None:
        options["hotwords"] = tuple(options["hotwords"])
    opts = ASROptions(**options)
    engine = get_engine(opts)
    if isinstance(audio, np.ndarray):
        if audio.ndim != 1:
            raise ValueError("audio arrays must be 1-D 16 kHz mono float32 samples")
        return engine.transcribe(audio, hotwords=opts.hotwords)
    from voice.audio.load import load_audio

    return engine.transcribe(load_audio(audio), hotwords=opts.hotwords, source=str(audio))


_ASSISTANTS: dict = {}


def ask(text: str, now=None, profile=None, db_path=None):
    """Understand and act on one utterance; returns a `voice.dialog.assistant.Turn`
    (`turn.to_dict()` is the JSON `voice ask --json` prints). `now`: datetime or ISO string."""
    from datetime import datetime

    from voice.dialog.assistant import Assistant

    key = (str(profile) if profile is not None else None, str(db_path) if db_path is not None else None)
    if key not in _ASSISTANTS:
        _ASSISTANTS[key] = Assistant(profile, db_path)
    if isinstance(now, str):
        now = datetime.fromisoformat(now)
    return _ASSISTANTS[key].ask(text, now)
