"""Streaming recognition for the live loop: partial transcripts while the user speaks, a fast final one.

`ASRStream` is driven by the caller (no threads): `accept(frame)` adds audio, `partial()` decodes what is
there so far (greedy, short window) and returns (stable, unstable) text, where the stable prefix is what the
last two partial hypotheses agree on (local agreement); `final()` decodes the whole utterance with the
engine's beam search, loop guards and clean-up. The final decode can be run speculatively as soon as the
user falls silent: `speculate(n)` decodes the first n samples, and `final(n)` reuses that result.
"""

from __future__ import annotations

import numpy as np

from voice.asr.cleanup import to_simplified


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


class ASRStream:
    def __init__(self, engine, hotwords: tuple[str, ...] = ()):
        self.engine = engine
        self.hotwords = tuple(hotwords)
        self.reset()

    def reset(self) -> None:
        self.frames: list[np.ndarray] = []
        self.samples = 0
        self.previous = ""
        self.stable = ""
        self._speculative: tuple[int, object] | None = None

    def accept(self, frame: np.ndarray) -> None:
        self.frames.append(np.asarray(frame, np.float32))
        self.samples += len(frame)

    def audio(self) -> np.ndarray:
        return np.concatenate(self.frames) if self.frames else np.zeros(0, np.float32)

    def partial(self) -> tuple[str, str]:
        seg = self.engine.transcribe_utterance(self.audio(), hotwords=self.hotwords, beam_size=1, checked=False)
        text = to_simplified(seg.text) if seg else ""
        agreed = _common_prefix(self.previous, text)
        if agreed.startswith(self.stable) or not text.startswith(self.stable):
            self.stable = agreed  # grows with agreement; follows a revision of already-stable text
        self.previous = text
        stable = self.stable if text.startswith(self.stable) else _common_prefix(self.stable, text)
        return stable, text[len(stable):]

    def speculate(self, samples: int) -> None:
        """Decode the first `samples` now (the user just fell silent); reused by final(samples)."""
        self._speculative = (samples, self.engine.transcribe_utterance(self.audio()[:samples],
                                                                        hotwords=self.hotwords))

    def final(self, samples: int | None = None):
        """The final Segment of the first `samples` (default: all audio), or None for nothing recognizable."""
        samples = self.samples if samples is None else samples
        if self._speculative and self._speculative[0] == samples:
            return self._speculative[1]
        return self.engine.transcribe_utterance(self.audio()[:samples], hotwords=self.hotwords)

