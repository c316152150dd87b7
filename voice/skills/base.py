"""What every skill receives and returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from voice.profile import Profile
from voice.skills.store import Store


@dataclass
class SkillContext:
    store: Store
    now: datetime
    profile: Profile = field(default_factory=Profile)
    weather: object | None = None  # voice.skills.weather.WeatherProvider
    confirmed: bool = False  # the user said yes to a destructive action
    exact_now: datetime | None = None  # `now` with seconds (timers), where `now` is rounded to the minute
