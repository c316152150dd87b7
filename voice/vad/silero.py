"""Speech regions of a whole recording with Silero VAD v6 (the ONNX model in the faster-whisper wheel)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from voice.audio.load import SAMPLE_RATE


@dataclass(frozen=True)
class VADOptions:
    threshold: float = 0.5
    min_speech_ms: int = 250
    min_silence_ms: int = 500
    pad_ms: int = 400  # kept around each region so first and last syllables are not clipped
    max_region_s: float = 20.0


def speech_regions(audio: np.ndarray, options: VADOptions = VADOptions()) -> list[tuple[int, int]]:
    """(start, end) sample indices of speech, in order, non-overlapping."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if audio.size < SAMPLE_RATE // 10:
        return []
    found = get_speech_timestamps(
        audio,
        VadOptions(
            threshold=options.threshold,
            min_speech_duration_ms=options.min_speech_ms,
            min_silence_duration_ms=options.min_silence_ms,
            speech_pad_ms=options.pad_ms,
            max_speech_duration_s=options.max_region_s,
        ),
    )
    return [(int(r["start"]), int(r["end"])) for r in found]


def merge_regions(regions: list[tuple[int, int]], max_len: int, max_gap: int) -> list[tuple[int, int]]:
    """Join neighbouring regions (gap <= max_gap) while the result stays <= max_len samples.

    Whisper decodes better with a few seconds of context than with isolated words, and fewer windows
    mean fewer encoder calls.
    """
    merged: list[tuple[int, int]] = []
    for start, end in regions:
        if merged and start - merged[-1][1] <= max_gap and end - merged[-1][0] <= max_len:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
