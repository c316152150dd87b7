"""Spoken Chinese for times, dates and durations in replies ("明天早上7点", "12月5日星期六")."""

from __future__ import annotations

from datetime import date, datetime

WEEKDAY_ZH = ("一", "二", "三", "四", "五", "六", "日")


def period(hour: int) -> str:
    if hour < 5:
        return "凌晨"
    if hour < 9:
        return "早上"
    if hour < 12:
        return "上午"
    if hour < 13:
        return "中午"
    if hour < 18:
        return "下午"
    return "晚上"


def clock(dt: datetime) -> str:
    h12 = dt.hour % 12 or 12
    minutes = "" if dt.minute == 0 else ("半" if dt.minute == 30 else f"{dt.minute:02d}分" if dt.minute < 10
                                         else f"{dt.minute}分")
    return f"{period(dt.hour)}{h12}点{minutes}"


def day(d: date, today: date) -> str:
    delta = (d - today).days
    words = {0: "今天", 1: "明天", 2: "后天", -1: "昨天"}
    if delta in words:
        return words[delta]
    if 2 < delta < 7:
        return f"星期{WEEKDAY_ZH[d.weekday()]}"
    if d.year != today.year:
        return f"{d.year}年{d.month}月{d.day}日"
    return f"{d.month}月{d.day}日"


def when(dt: datetime, now: datetime) -> str:
    return day(dt.date(), now.date()) + clock(dt)


def full_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日，星期{WEEKDAY_ZH[d.weekday()]}"


def duration(seconds: int) -> str:
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    parts = []
    if h:
        parts.append(f"{h}小时")
    if m:
        parts.append(f"{m}分钟")
    if s or not parts:
        parts.append(f"{s}秒")
    return "".join(parts)


REPEAT_ZH = {"daily": "每天", "weekdays": "每个工作日", "weekends": "每个周末"}


def repeat(rule: str | None) -> str:
    if not rule:
        return ""
    if rule.startswith("weekly:"):
        from voice.nlu.timeexpr import WEEKDAYS

        return "每周" + WEEKDAY_ZH[WEEKDAYS.index(rule.split(":")[1])]
    return REPEAT_ZH.get(rule, "")
