"""Plain dataclasses of the assistant: what was understood, and what the assistant answers."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class Hints:
    """What the skill and the dialog need beyond the slots; never part of the JSON output."""

    all: bool = False  # every matching item ("取消所有闹钟", or "是" to "要取消全部吗？")
    date: str | None = None  # ISO day said without a clock ("明天提醒我…"): the skill picks the hour
    favourite: bool = False  # "放我喜欢的歌": the profile's favourite artists
    inferred: tuple[str, ...] = ()  # slots filled from the profile, not said (e.g. "city")
    error: str | None = None  # why the expression could not be evaluated (calc)

    @classmethod
    def from_dict(cls, data: dict | None) -> Hints:
        """From `dataclasses.asdict` after a JSON round trip; unknown keys are dropped."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in (data or {}).items() if k in known}
        if "inferred" in values:
            values["inferred"] = tuple(values["inferred"])
        return cls(**values)


@dataclass
class Intent:
    text: str  # the utterance as given
    intent: str  # e.g. "alarm.set"; "unknown" when nothing matched
    slots: dict[str, Any] = field(default_factory=dict)
    confidence: float = 0.0  # 0..1
    normalized: str = ""  # what the matcher saw (voice.nlu.normalize)
    hints: Hints = field(default_factory=Hints)


@dataclass
class Reply:
    text: str  # spoken reply, Simplified Chinese
    action: dict[str, Any] | None = None  # structured action for the host platform, if any
    expects: str | None = None  # the slot or "confirm" the assistant just asked for (dialog)
    data: dict[str, Any] = field(default_factory=dict)  # skill results (e.g. listed alarms)
