"""Plain dataclasses for ASR options and results."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Protocol

import numpy as np


@dataclass(frozen=True)
class ASROptions:
    """Everything that changes what the engine outputs; defaults are the tuned Mandarin settings."""

    model: str | None = None  # manifest name or CTranslate2 folder; None = default (whisper-base)
    device: str = "cpu"  # "cpu", "cuda" or "auto"
    compute_type: str = "default"  # "default" = int8 on CPU, float16 on CUDA
    threads: int = 0  # CPU threads for CTranslate2; 0 = all cores
    language: str = "zh"
    beam_size: int = 5
    itn: bool = False  # write numbers, dates, times… as digits (voice.text.itn)
    hotwords: tuple[str, ...] = ()
    vad: bool = True
    condition_on_previous_text: bool = True  # prompt each chunk with the (Simplified) text before it
    # Encode each speech chunk in a window this much longer than the speech instead of Whisper's fixed
    # 30 s window (much faster on short utterances); None = always use the full window.
    window_pad_s: float | None = 3.0
    min_window_s: float = 0.0
    # What fills the window after the speech: zeros in log-mel space, as faster-whisper pads (files: measured
    # better), or the log-mel of digital silence (the live loop: its understanding margins were set on it).
    pad_with_silence: bool = False
    # Retry a doubtful short-window decode on the full 30 s window (~1 s more on 2 cores); the live loop
    # turns this off to bound its latency.
    full_window_retry: bool = True
    max_chunk_s: float = 20.0
    # Audio kept around each stretch of speech the VAD found, for files: the context Whisper hears before the
    # first syllable and after the last (measured on ../shared/audio: 0.4 s lost a leading 好 and cost 1
    # point of CER against 1.0 s).
    vad_pad_s: float = 1.0
    # Silero speech probability that starts a region in a file. Lower than Silero's usual 0.5 because Silero
    # scores band-limited speech low: at 0.5 it found no speech at all in a telephone-band copy of a clean clip
    # and lost 4 s of another (tools/degrade_set.py). Whisper's own no-speech test still drops noise (0
    # outputs on the noise clips); CER on ../shared/audio 33.4 % against 32.8 % at 0.5, on the degraded
    # copies 52.6 % against 53.3 %.
    vad_threshold: float = 0.2
    # Whisper's own hallucination thresholds (the values faster-whisper and openai-whisper use).
    no_speech_threshold: float = 0.6
    log_prob_threshold: float = -1.0
    compression_ratio_threshold: float = 2.4
    # Temperature fallback (openai-whisper uses 0.2 … 1.0); off by default, see WhisperASR._checked.
    temperatures: tuple[float, ...] = ()


@dataclass
class Segment:
    start: float  # seconds
    end: float
    text: str
    confidence: float  # exp(average token log-probability), 0..1
    no_speech_prob: float = 0.0
    raw: str = ""  # model output before clean-up (kept for debugging and benchmarks)
    # With `nbest`: the beam's other hypotheses (cleaned, best first), and the forced log-probability of any
    # texts given this segment's audio (the encoder output is kept for it). Neither is serialized.
    alternatives: tuple[str, ...] = ()
    scorer: Callable[[Sequence[str]], list[float]] | None = field(default=None, repr=False, compare=False)
    # Set on a quick (greedy) utterance decode: the full decode of the same audio (beam search, n-best), run on
    # the encoder output the quick one computed. Not serialized.
    refine: Callable[[], Segment | None] | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict:
        out = asdict(replace(self, scorer=None, refine=None))
        del out["scorer"], out["alternatives"], out["refine"]
        return out


@dataclass
class Transcript:
    text: str
    segments: list[Segment] = field(default_factory=list)
    duration: float = 0.0  # seconds of input audio
    language: str = "zh"
    source: str | None = None  # file name, when transcribed from a file

    @property
    def raw_text(self) -> str:
        return "".join(s.raw for s in self.segments)

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "text": self.text,
            "language": self.language,
            "duration": round(self.duration, 3),
            "segments": [s.to_dict() for s in self.segments],
        }


class UtteranceEngine(Protocol):
    """What the live loop needs from a recognizer: one endpointed utterance at a time, and cheaper variants
    of the same loaded model (partials)."""

    def transcribe_utterance(self, audio: np.ndarray, *, hotwords: tuple[str, ...] = (),
                             beam_size: int | None = None, checked: bool = True,
                             previous: str = "", nbest: int = 0, quick: bool = False) -> Segment | None: ...

    def variant(self, **changes) -> UtteranceEngine: ...
