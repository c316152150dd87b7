"""Plain dataclasses of the assistant: what was understood, and what the assistant answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Intent:
    text: str  # the utterance as given
    intent: str  # e.g. "alarm.set"; "unknown" when nothing matched
    slots: dict[str, Any] = field(default_factory=dict)
    confidence: float = 0.0  # 0..1
    normalized: str = ""  # what the matcher saw (voice.nlu.normalize)


@dataclass
class Reply:
    text: str  # spoken reply, Simplified Chinese
    action: dict[str, Any] | None = None  # structured action for the host platform, if any
    expects: str | None = None  # the slot or "confirm" the assistant just asked for (dialog)
    data: dict[str, Any] = field(default_factory=dict)  # skill results (e.g. listed alarms)
