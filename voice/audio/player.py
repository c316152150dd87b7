"""Interruptible playback through sounddevice (PortAudio): stop() takes effect within one block.

One Player per playback (a stop, once asked, stays). `play(chunks)` writes blocks of `block_ms` from the calling thread; another thread (the
barge-in detector) may call `stop()`. `first_sample_at` is the monotonic time the first block was handed to
the device plus the device's reported output latency: when the first sample actually left.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

import numpy as np

from voice.errors import VoiceError


class Player:
    def __init__(self, sample_rate: int, device=None, block_ms: int = 20):
        self.sample_rate = sample_rate
        self.device = device
        self.block = max(1, sample_rate * block_ms // 1000)
        self._stop = threading.Event()
        self.first_sample_at: float | None = None
        self.started_at: float | None = None
        self.samples_played = 0
        self.stopped = False

    def stop(self) -> None:
        """Stop the current (or, if called just before, the next) play()."""
        self._stop.set()

    def play(self, chunks: Iterable[np.ndarray]) -> bool:
        """Play until the chunks end (True) or stop() is called (False)."""
        try:
            import sounddevice as sd
        except (ImportError, OSError) as exc:
            raise VoiceError(f"audio output needs sounddevice and PortAudio (apt-get install libportaudio2): {exc}") from None
        self.first_sample_at = None
        self.samples_played = 0
        self.stopped = False
        self.started_at = time.monotonic()
        try:
            with sd.OutputStream(samplerate=self.sample_rate, channels=1, dtype="float32", device=self.device,
                                 blocksize=self.block, latency="low") as out:
                for chunk in chunks:
                    samples = np.asarray(chunk, np.float32).reshape(-1)
                    for start in range(0, samples.size, self.block):
                        if self._stop.is_set():
                            out.abort()
                            self.stopped = True
                            return False
                        out.write(samples[start:start + self.block].reshape(-1, 1))
                        if self.first_sample_at is None:
                            self.first_sample_at = time.monotonic() + float(out.latency)
                        self.samples_played += min(self.block, samples.size - start)
        except sd.PortAudioError as exc:
            raise VoiceError(f"cannot play audio: {exc}") from None
        return True
