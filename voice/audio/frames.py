"""The live path's audio unit and wire format: 512-sample frames (32 ms, Silero's window) of 16 kHz mono
float32 in [-1, 1], and 16-bit little-endian PCM (`s16le`) at the edges (microphone, sockets, WAV)."""

from __future__ import annotations

import numpy as np

RATE = 16000
FRAME = 512
FRAME_S = FRAME / RATE


def to_s16le(samples: np.ndarray) -> bytes:
    """float32 in [-1, 1] → s16le bytes (clipped)."""
    return (np.clip(np.asarray(samples, np.float32), -1.0, 1.0) * 32767).astype("<i2").tobytes()


def from_s16le(data: bytes) -> np.ndarray:
    """s16le bytes (an even number) → float32 in [-1, 1)."""
    return np.frombuffer(data, "<i2").astype(np.float32) / 32768.0
