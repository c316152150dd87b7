"""Fires due alarms, timers and reminders as events; recurring items move to their next occurrence.

`Scheduler.due(now)` is pure pull: the caller decides when to look (tests pass a clock, the live loop polls
or calls `run`). A fired event is what the pipeline later speaks.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from voice.nlu.timeexpr import WEEKDAYS
from voice.skills.store import Store


@dataclass
class Fired:
    kind: str  # "alarm", "timer", "reminder"
    id: int
    at: datetime  # when it was due
    label: str | None
    text: str  # what to say


def next_occurrence(previous: datetime, repeat: str, now: datetime) -> datetime:
    """The first occurrence of `repeat` after both `previous` and `now`, at the same clock time."""
    day = max(previous, now).date()
    for offset in range(0, 9):
        candidate = datetime.combine(day + timedelta(days=offset), previous.time())
        wd = candidate.weekday()
        ok = (repeat == "daily" or (repeat == "weekdays" and wd < 5) or (repeat == "weekends" and wd >= 5)
              or repeat == f"weekly:{WEEKDAYS[wd]}")
        if ok and candidate > previous and candidate > now:
            return candidate
    raise ValueError(f"unknown repeat rule: {repeat}")


class Scheduler:
    def __init__(self, store: Store):
        self.store = store

    def due(self, now: datetime) -> list[Fired]:
        fired: list[Fired] = []
        for kind in ("alarms", "timers", "reminders"):
            for item in self.store.due(kind, now):
                at = datetime.fromisoformat(item["time"])
                fired.append(_event(kind, item, at))
                repeat = item.get("repeat")
                if repeat:
                    self.store.move(kind, item["id"], next_occurrence(at, repeat, now))
                else:
                    self.store.deactivate(kind, [item["id"]])
        return sorted(fired, key=lambda f: f.at)

    def next_time(self) -> datetime | None:
        times = [datetime.fromisoformat(i["time"]) for k in ("alarms", "timers", "reminders")
                 for i in self.store.items(k) if i.get("paused_s") is None]
        return min(times) if times else None

    def run(self, on_fire: Callable[[Fired], None], stop: threading.Event, poll_s: float = 1.0,
            clock: Callable[[], datetime] = datetime.now) -> None:
        """Blocking loop for hosts that want one; returns when `stop` is set."""
        while not stop.is_set():
            for event in self.due(clock()):
                on_fire(event)
            stop.wait(poll_s)


def _event(kind: str, item: dict, at: datetime) -> Fired:
    label = item.get("label")
    if kind == "alarms":
        text = f"闹钟时间到了：{label}" if label else "闹钟时间到了"
        return Fired("alarm", item["id"], at, label, text)
    if kind == "timers":
        text = f"{label}的计时结束了" if label else "计时结束了"
        return Fired("timer", item["id"], at, label, text)
    text = f"提醒您：{item.get('text')}" if item.get("text") else "您设置的提醒时间到了"
    return Fired("reminder", item["id"], at, item.get("text"), text)
