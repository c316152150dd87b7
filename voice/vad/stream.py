"""Frame-by-frame Silero VAD (the ONNX model in the faster-whisper wheel), keeping its state between frames.

`SileroStream.prob(frame)` takes 512 samples at 16 kHz (32 ms) and returns the speech probability; the LSTM
state and the 64-sample context carry over, as in Silero's own streaming iterator.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from voice.audio.frames import FRAME, RATE, to_s16le

CONTEXT = 64


class VADStream(Protocol):
    """Speech probability of consecutive 512-sample frames, with state carried between them."""

    def prob(self, frame: np.ndarray) -> float: ...

    def reset(self) -> None: ...


def vad_stream(kind: str = "silero") -> VADStream:
    """A fresh stream (its own state) of the named engine: "silero" or "webrtc"."""
    return WebRTCStream() if kind == "webrtc" else SileroStream()


class SileroStream:
    def __init__(self):
        from faster_whisper.vad import get_vad_model

        self.session = get_vad_model().session
        self.reset()

    def reset(self) -> None:
        self.h = np.zeros((1, 1, 128), np.float32)
        self.c = np.zeros((1, 1, 128), np.float32)
        self.context = np.zeros(CONTEXT, np.float32)

    def prob(self, frame: np.ndarray) -> float:
        frame = np.asarray(frame, np.float32)
        if frame.size != FRAME:
            raise ValueError(f"Silero frames are {FRAME} samples, got {frame.size}")
        x = np.concatenate([self.context, frame])[None, :]
        out, self.h, self.c = self.session.run(None, {"input": x, "h": self.h, "c": self.c})
        self.context = frame[-CONTEXT:]
        return float(np.asarray(out).reshape(-1)[0])


class WebRTCStream:
    """webrtcvad (pip install webrtcvad-wheels): 3 µs per frame, good in clean audio only."""

    def __init__(self, aggressiveness: int = 2):
        try:
            import webrtcvad
        except ImportError as exc:
            from voice.errors import VoiceError

            raise VoiceError(f"webrtc VAD needs webrtcvad-wheels: pip install webrtcvad-wheels ({exc})") from None
        self.vad = webrtcvad.Vad(aggressiveness)

    def reset(self) -> None:
        pass

    def prob(self, frame: np.ndarray) -> float:
        # webrtcvad takes 10/20/30 ms frames: judge the first 30 ms (480 samples) of the 32 ms frame
        return 1.0 if self.vad.is_speech(to_s16le(frame[:480]), RATE) else 0.0
