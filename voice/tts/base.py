"""What every TTS engine provides, and the audio chunks the streaming API yields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass
class AudioChunk:
    samples: np.ndarray  # float32 mono, including the pause that follows the clause
    sample_rate: int
    text: str  # the clause, as spoken (normalized)
    index: int  # 0 for the first clause


class TTSEngine(Protocol):
    name: str
    sample_rate: int
    voices: list[str]
    default_voice: str

    def synthesize_clause(self, text: str, voice: str | None = None, speed: float = 1.0) -> np.ndarray:
        """One clause of normalized Chinese text → float32 mono samples at `sample_rate` (may be empty)."""
        ...
