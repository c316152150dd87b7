"""Typed events between the loop's stages; every event is one JSON line in `--events FILE.jsonl`.

`asr.final` also carries the utterance's audio as `Event.audio` for observers that need it (benchmarks
comparing decodes); it is never serialized."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

TYPES = ("listen.start", "speech.start", "turn.judged", "reply.dropped", "speech.end", "asr.partial", "asr.final",
         "nlu.result", "reply.text", "tts.first_audio", "tts.end", "barge_in", "turn", "timeout", "error",
         "listen.end")


@dataclass
class Event:
    type: str
    t: float  # seconds on the audio clock since the stream started
    data: dict[str, Any] = field(default_factory=dict)
    audio: np.ndarray | None = field(default=None, repr=False, compare=False)

    def to_json(self) -> str:
        return json.dumps({"type": self.type, "t": round(self.t, 3), **self.data}, ensure_ascii=False)
