"""Where replies go: the speakers (played in a background thread so the loop keeps listening), a WAV file,
or nowhere. Every sink has `play(chunks)`, `playing()` and `stop()` (barge-in)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Protocol

import numpy as np


class Sink(Protocol):
    """Plays a reply's chunks without blocking the caller; `playing()` is true while it would be heard."""

    def play(self, chunks: Iterable) -> None: ...

    def playing(self) -> bool: ...

    def stop(self) -> None: ...

    def wait(self) -> None: ...


def make_sink(kind: str, sample_rate: int, realtime: bool = False) -> Sink:
    """"speaker" (the default output device) or "record" (kept in memory; see RecordingSink)."""
    if kind == "speaker":
        return SpeakerSink(sample_rate)
    if kind == "record":
        return RecordingSink(sample_rate, realtime)
    raise ValueError(f"unknown sink {kind!r}: use 'speaker' or 'record'")


class SpeakerSink:
    def __init__(self, sample_rate: int, device=None):
        from voice.audio.player import Player
        from voice.errors import VoiceError

        try:
            import sounddevice as sd

            sd.query_devices(device, "output")
        except (ImportError, OSError, ValueError) as exc:
            raise VoiceError(f"no audio output device ({exc}); use --no-speak, or --input FILE without --play") from None
        self.player = Player(sample_rate, device)
        self.thread: threading.Thread | None = None

    def play(self, chunks) -> None:
        self.stop()
        self.player = type(self.player)(self.player.sample_rate, self.player.device)
        self.thread = threading.Thread(target=self.player.play, args=((c.samples for c in chunks),), daemon=True)
        self.thread.start()

    def playing(self) -> bool:
        return bool(self.thread and self.thread.is_alive())

    def wait(self) -> None:
        if self.thread is not None:
            self.thread.join()

    def stop(self) -> None:
        if self.thread and self.thread.is_alive():
            self.player.stop()  # takes effect within one block; not joined, so listening never stalls


class RecordingSink:
    """Collects every reply's audio (for tests and benchmarks). The rest of a reply is synthesized in a
    background thread, as the speaker sink does, so the loop keeps listening. With `realtime`, a reply counts
    as playing for as long as it would sound, so barge-in can be exercised without speakers."""

    def __init__(self, sample_rate: int, realtime: bool = False):
        self.sample_rate = sample_rate
        self.realtime = realtime
        self.replies: list[np.ndarray] = []
        self.until = 0.0
        self.stopped = 0
        self.thread: threading.Thread | None = None
        self._cancel = threading.Event()

    def play(self, chunks) -> None:
        if self.realtime:
            self.stop()  # a new reply replaces the one "playing"
        self.wait()
        self._cancel = threading.Event()
        cancel = self._cancel
        started = time.perf_counter()
        self.until = started + 3600 if self.realtime else 0.0  # until the length is known

        def collect():
            parts = []
            for chunk in chunks:
                if cancel.is_set():
                    break
                parts.append(chunk.samples)
            audio = np.concatenate(parts) if parts else np.zeros(0, np.float32)
            self.replies.append(audio)
            if self.realtime and not cancel.is_set():
                self.until = started + audio.size / self.sample_rate

        self.thread = threading.Thread(target=collect, daemon=True)
        self.thread.start()

    def wait(self) -> None:
        if self.thread is not None:
            self.thread.join()

    def playing(self) -> bool:
        return time.perf_counter() < self.until

    def stop(self) -> None:
        if self.playing():
            self.stopped += 1
        self._cancel.set()
        self.until = 0.0
