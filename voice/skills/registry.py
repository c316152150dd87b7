"""Intent name → skill handler."""

from __future__ import annotations

from collections.abc import Callable

from voice.nlu.types import Intent, Reply
from voice.skills import actions, chitchat, clock, home, info, music, weather
from voice.skills.base import SkillContext

Handler = Callable[[Intent, SkillContext], Reply]

HANDLERS: dict[str, Handler] = {
    "alarm.set": clock.alarm_set, "alarm.cancel": clock.alarm_cancel, "alarm.list": clock.alarm_list,
    "timer.set": clock.timer_set, "timer.cancel": clock.timer_cancel, "timer.query": clock.timer_query,
    "timer.pause": clock.timer_pause, "timer.resume": clock.timer_resume, "timer.adjust": clock.timer_adjust,
    "reminder.set": clock.reminder_set, "reminder.list": clock.reminder_list,
    "reminder.cancel": clock.reminder_cancel,
    "weather.query": weather.weather_query,
    "music.play": music.music_play, "media.control": music.media_control, "volume.set": music.volume_set,
    "call.dial": actions.call_dial, "message.send": actions.message_send,
    "device.control": home.device_control, "device.query": home.device_query, "navigation.start": actions.navigation_start,
    "app.open": actions.app_open,
    "time.query": info.time_query, "date.query": info.date_query,
    "calc.evaluate": info.calc_evaluate, "unit.convert": info.unit_convert,
    "chitchat": chitchat.chitchat, "traffic.query": chitchat.traffic_query,
}
