"""Answers computed on the device: time, dates (weekday, lunar date, festivals), arithmetic, units."""

from __future__ import annotations

from datetime import date

from voice.nlu.types import Intent, Reply
from voice.skills import say
from voice.skills.base import SkillContext


def lunar_text(d: date) -> str:
    from borax.calendars.lunardate import LunarDate

    return "农历" + LunarDate.from_solar(d).strftime("%L%M月%D")


def time_query(intent: Intent, ctx: SkillContext) -> Reply:
    return Reply(f"现在是{say.clock(ctx.now)}", data={"time": ctx.now.strftime("%H:%M")})


def date_query(intent: Intent, ctx: SkillContext) -> Reply:
    d = date.fromisoformat(intent.slots.get("date") or ctx.now.date().isoformat())
    today = ctx.now.date()
    text = f"{say.day(d, today)}是" if say.day(d, today) in ("今天", "明天", "后天", "昨天") else ""
    text += f"{say.full_date(d)}，{lunar_text(d)}"
    if "还有" in intent.normalized and d > today:
        text += f"，还有{(d - today).days}天"
    return Reply(text, data={"date": d.isoformat(), "weekday": d.isoweekday(), "lunar": lunar_text(d)})


def _num(value) -> str:
    return str(value)


def calc_evaluate(intent: Intent, ctx: SkillContext) -> Reply:
    s = intent.slots
    if intent.hints.error:
        return Reply("这个算不了：" + {"division by zero": "不能除以零"}.get(intent.hints.error, "算式有误"))
    return Reply(f"{s['expression']}等于{_num(s['result'])}".replace("*", "乘").replace("/", "除以")
                 .replace("+", "加").replace("sqrt", "根号").replace("^", "的次方"))


def unit_convert(intent: Intent, ctx: SkillContext) -> Reply:
    s = intent.slots
    return Reply(f"{_num(s['value'])}{s['from_unit']}等于{_num(s['result'])}{s['to_unit']}")
