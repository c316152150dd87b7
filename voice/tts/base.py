"""What every TTS engine provides, and the audio chunks the streaming API yields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass
class AudioChunk:
    samples: np.ndarray  # float32 mono: a clause, a block of one, or the pause after one
    sample_rate: int
    text: str  # the clause it belongs to, as spoken (normalized)
    index: int  # position in the stream, 0 for the first chunk


class TTSEngine(Protocol):
    name: str
    sample_rate: int
    voices: list[str]
    default_voice: str

    def synthesize_clause(self, text: str, voice: str | None = None, speed: float = 1.0) -> np.ndarray:
        """One clause of normalized Chinese text → float32 mono samples at `sample_rate` (may be empty)."""
        ...

    # Optional: engines that can yield a clause in blocks (FastSpeech2's vocoder) also define
    # stream_clause(text, voice=None, speed=1.0) -> Iterator[np.ndarray]; the Synthesizer prefers it.
