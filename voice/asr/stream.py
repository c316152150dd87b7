"""Streaming recognition for the live loop: partial transcripts while the user speaks, a fast final one.

`ASRStream` is driven by the caller (no threads): `accept(frame)` adds audio, `partial()` decodes what is
there so far (greedy, short window) and returns (stable, unstable) text, where the stable prefix is what the
last two partial hypotheses agree on (local agreement); `final()` decodes the utterance with the engine's
beam search, loop guards and clean-up. Two things keep the final decode short:

- `speculate(n)` decodes the first n samples as soon as the user falls silent; `final(n)` reuses it. The same
  in two steps, for a caller that decodes on another thread while it keeps listening: `speculation(n)`
  copies the audio and returns the decode as a callable; `adopt(speculation, result)` installs what it
  returned (and is a no-op if a commit or reset came in between). `speculation(n, quick=True)` decodes
  greedily first; the caller keeps that result or replaces it with `refinement(...)`'s beam search.
- `commit(n)` decodes a prefix ending in a pause *while the user is still speaking* and fixes its text; later
  partial and final decodes cover only the audio after it, prompted with the committed text. A long
  utterance then costs at its end only the decode of its last phrase.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from voice.asr.cleanup import join_text
from voice.asr.types import Segment
from voice.audio.load import SAMPLE_RATE
from voice.text.script import to_simplified

PARTIAL_PAD_S = 1.0
PROMPT_CHARS = 8
MIN_PARTIAL_S = 0.5
_SENTENCE_ENDS = set("。.!?！？…")


@dataclass(frozen=True)
class Speculation:
    """A final decode of start..samples prepared by `ASRStream.speculation`; call it (on any thread) to run it."""
    start: int
    samples: int
    generation: int
    run: Callable[[], Segment | None]

    def __call__(self) -> Segment | None:
        return self.run()


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def join_segments(segments: list[Segment], more: bool = False) -> str:
    """The pieces' text; where clean-up closed a piece that the speaker went on from (Whisper itself wrote no
    sentence end), the pause becomes "，" instead of "。". `more`: the last piece is followed by more speech."""
    text = ""
    for k, seg in enumerate(segments):
        piece = seg.text
        followed = more or k < len(segments) - 1
        if followed and piece.endswith("。") and seg.raw.rstrip()[-1:] not in _SENTENCE_ENDS:
            piece = piece[:-1] + "，"
        text = join_text(text, piece)
    return text


class ASRStream:
    def __init__(self, engine, hotwords: tuple[str, ...] = (), nbest: int = 0):
        """`nbest` > 1: final decodes also carry the beam's other hypotheses and a scorer against the audio
        (`Segment.alternatives`, `Segment.scorer`), when the utterance was decoded in one piece."""
        self.engine = engine
        self.nbest = nbest
        # Partials are shown, not acted on: a window just 1 s longer than the audio encodes several times
        # faster than the final decode's (12 s minimum in the loop), which keeps the loop in real time.
        variant = getattr(engine, "variant", None)
        self.partial_engine = variant(min_window_s=0.0, window_pad_s=PARTIAL_PAD_S) if variant else engine
        self.hotwords = tuple(hotwords)
        # Words the next utterance is expected to contain (the answers to a question the assistant just
        # asked); set by the loop, kept across `reset`, added to the prompt after the hot words.
        self.expected: tuple[str, ...] = ()
        self.reset()

    def reset(self) -> None:
        self.frames: list[np.ndarray] = []
        self.samples = 0
        self.previous = ""
        self.stable = ""
        self.committed = 0  # samples whose text is fixed
        self.committed_segments: list[Segment] = []
        self._speculative: tuple[int, int, Segment | None] | None = None  # (start, end, result)
        self._generation = getattr(self, "_generation", 0) + 1  # tells a speculation begun before a reset

    @property
    def committed_text(self) -> str:
        return join_segments(self.committed_segments, more=True)

    def accept(self, frame: np.ndarray) -> None:
        self.frames.append(np.asarray(frame, np.float32))
        self.samples += len(frame)

    def audio(self) -> np.ndarray:
        return np.concatenate(self.frames) if self.frames else np.zeros(0, np.float32)

    def partial(self) -> tuple[str, str]:
        committed = self.committed_text
        if self.samples - self.committed < MIN_PARTIAL_S * SAMPLE_RATE:
            # too little after a commit: Whisper would mostly echo its prompt
            self.previous = self.stable = committed
            return committed, ""
        seg = self._decode(self.committed, self.samples, engine=self.partial_engine, beam_size=1, checked=False)
        text = join_text(committed, to_simplified(seg.text) if seg else "")
        agreed = _common_prefix(self.previous, text)
        if len(agreed) < len(committed):
            agreed = committed  # committed text is final, agreement or not
        if agreed.startswith(self.stable) or not text.startswith(self.stable):
            self.stable = agreed  # grows with agreement; follows a revision of already-stable text
        self.previous = text
        stable = self.stable if text.startswith(self.stable) else _common_prefix(self.stable, text)
        return stable, text[len(stable):]

    def speculate(self, samples: int) -> Segment | None:
        """Decode up to `samples` now (the user just fell silent); reused by final(samples) or commit(samples).
        Returns what final(samples) will return, so the caller can act on it before the turn ends."""
        job = self.speculation(samples)
        return self.adopt(job, job())

    def speculation(self, samples: int, quick: bool = False) -> Speculation:
        """The decode `speculate(samples)` would run, as a callable that touches no state of this stream (its
        audio and prompt are copied now), so it may run on another thread. `quick`: a greedy pass first
        (the engine's `quick`); a result that has `refine` can be finished by `refinement`."""
        start = self.committed
        audio = self.audio()[start:samples].copy()
        previous = self.committed_text[-PROMPT_CHARS:] if PROMPT_CHARS else ""
        engine, words, options = self.engine, self.prompt_words, {**self._nbest(), **({"quick": True} if quick else {})}

        def run() -> Segment | None:
            if audio.size == 0:
                return None
            return engine.transcribe_utterance(audio, hotwords=words, previous=previous, **options)

        return Speculation(start, samples, self._generation, run)

    def refinement(self, job: Speculation, result: Segment | None) -> Speculation | None:
        """The full decode that finishes a quick one (`result.refine`, the beam search on its encoder output), as
        a job for the same audio; None when `result` is already full, or the stream moved on since `job`."""
        refine = getattr(result, "refine", None)
        if refine is None or job.generation != self._generation or job.start != self.committed:
            return None
        return Speculation(job.start, job.samples, job.generation, refine)

    def adopt(self, job: Speculation, result: Segment | None) -> Segment | None:
        """Install the result of `job` (run anywhere) as speculate() would, and return what final(job.samples)
        will return; None, and nothing installed, if the stream was reset or committed since the job began."""
        if job.generation != self._generation or job.start != self.committed:
            return None
        self._speculative = (job.start, job.samples, result)
        return self._assemble(job.samples)

    def commit(self, samples: int) -> None:
        """Fix the text of the audio up to `samples` (the end of a pause the user has spoken past)."""
        if samples <= self.committed:
            return
        seg = self._tail(samples)
        if seg is not None and seg.refine is not None:
            seg = seg.refine()  # a quick pass stood for a turn end that did not come: fix the full decode
        if seg is not None:
            self.committed_segments.append(seg)
        self.committed = samples

    def final(self, samples: int | None = None) -> Segment | None:
        """The final Segment of the first `samples` (default: all audio), or None for nothing recognizable."""
        return self._assemble(self.samples if samples is None else samples)

    def _assemble(self, samples: int) -> Segment | None:
        if samples < self.committed:  # the caller cut inside committed audio: decode it all again
            return self.engine.transcribe_utterance(self.audio()[:samples], hotwords=self.prompt_words,
                                                    **self._nbest())
        tail = self._tail(samples) if samples > self.committed else None
        pieces = [*self.committed_segments, *([tail] if tail else [])]
        if not pieces:
            return None
        if tail is not None and self.committed == 0:
            return tail  # one piece: keeps its alternatives and scorer
        return Segment(start=0.0, end=round(samples / SAMPLE_RATE, 3), text=join_segments(pieces),
                       confidence=min(s.confidence for s in pieces),
                       no_speech_prob=max(s.no_speech_prob for s in pieces), raw="".join(s.raw for s in pieces))

    def _tail(self, samples: int) -> Segment | None:
        """The decode of committed..samples, from the speculation when it covered exactly that."""
        if self._speculative and self._speculative[:2] == (self.committed, samples):
            return self._speculative[2]
        return self._decode(self.committed, samples, **self._nbest())

    @property
    def prompt_words(self) -> tuple[str, ...]:
        return (*self.hotwords, *(w for w in self.expected if w not in self.hotwords))

    def _nbest(self) -> dict:
        return {"nbest": self.nbest} if self.nbest > 1 else {}

    def _decode(self, start: int, end: int, engine=None, **kwargs) -> Segment | None:
        audio = self.audio()[start:end]
        if audio.size == 0:
            return None
        # Only the end of the committed text as the prompt: on 18 recordings up to 25 s (tools/loop_sweep.py),
        # 8 characters gave CER 36.8 %, none 37.0 %, 24 41.3 % (Whisper tends to continue or repeat a long prompt).
        previous = self.committed_text[-PROMPT_CHARS:] if PROMPT_CHARS else ""
        return (engine or self.engine).transcribe_utterance(audio, hotwords=self.prompt_words, previous=previous,
                                                            **kwargs)
