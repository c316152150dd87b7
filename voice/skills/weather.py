"""Weather through a provider the user configures (nothing is contacted otherwise).

`HTTPWeatherProvider(url)` fetches `url` with `{city}` and `{date}` (YYYY-MM-DD) filled in, URL-encoded,
and expects JSON: {"condition": "小雨", "temp_min": 8, "temp_max": 15, "precipitation": 60?}.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from voice.nlu.types import Intent, Reply
from voice.skills import say
from voice.skills.base import SkillContext


@dataclass
class Forecast:
    condition: str
    temp_min: float | None = None
    temp_max: float | None = None
    precipitation: float | None = None  # chance of rain, percent


class WeatherError(RuntimeError):
    pass


class WeatherProvider(Protocol):
    def forecast(self, city: str, day: date) -> Forecast: ...


class HTTPWeatherProvider:
    def __init__(self, url: str, timeout_s: float = 5.0):
        self.url = url
        self.timeout_s = timeout_s

    def forecast(self, city: str, day: date) -> Forecast:
        url = self.url.format(city=urllib.parse.quote(city), date=day.isoformat())
        try:
            with urllib.request.urlopen(url, timeout=self.timeout_s) as resp:
                data = json.loads(resp.read().decode("utf-8"))
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            raise WeatherError(f"weather service {self.url}: {exc}") from None
        if not isinstance(data, dict) or "condition" not in data:
            raise WeatherError(f"weather service {self.url}: answer has no 'condition'")
        return Forecast(str(data["condition"]), data.get("temp_min"), data.get("temp_max"),
                        data.get("precipitation"))


def _deg(x) -> str:
    return f"零下{-round(x)}" if x < 0 else f"{round(x)}"


def weather_query(intent: Intent, ctx: SkillContext) -> Reply:
    city = intent.slots.get("city") or ctx.profile.home_city
    day = date.fromisoformat(intent.slots["date"]) if "date" in intent.slots else ctx.now.date()
    if not city:
        return Reply("您想查哪个城市的天气？", expects="city")
    provider = ctx.weather
    if provider is None and ctx.profile.weather_url:
        provider = HTTPWeatherProvider(ctx.profile.weather_url)
    if provider is None:
        return Reply("还没有配置天气服务，暂时查不了天气。可以在个人配置里设置 weather_url。")
    try:
        f = provider.forecast(city, day)
    except WeatherError:
        return Reply("天气服务暂时连不上，请稍后再试。")
    text = f"{city}{say.day(day, ctx.now.date())}{f.condition}"
    if f.temp_min is not None and f.temp_max is not None:
        text += f"，{_deg(f.temp_min)}到{_deg(f.temp_max)}度"
    if f.precipitation is not None:
        text += f"，降水概率百分之{round(f.precipitation)}"
    return Reply(text, data={"city": city, "date": day.isoformat(), "forecast": f.__dict__})
