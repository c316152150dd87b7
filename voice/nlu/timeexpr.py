"""Chinese time expressions on normalized text (`voice.nlu.normalize.canonical`, digits already ITN'd).

One expression is a run of optional parts, in the order people say them:

    [recurrence] [date] [part of day] [clock]      每个工作日 / 下周三 / 上午 / 10点半
    duration (后|以后|之后|过后) [part of day] [clock]  一个半小时以后 / 3天后早上8点
    duration                                        25秒 / 半小时 (for timers)

Resolution rules (`now` is the reference, local, naive):
- clock without a date: the next future occurrence; without a part of day an hour 1–11 may also mean the
  afternoon (at 14:00 "3点" is 15:00 today, at 22:00 "7点" is 07:00 tomorrow); `morning=True` (waking up)
  keeps the morning reading;
- 下午/傍晚/晚上 add 12 h to 1–11; 中午 1–2 → 13–14; 凌晨 12 → 0; 晚上12点 → 00:00 next day;
- a part of day without a clock uses its usual hour (早上 8, 上午 9, 中午 12, 下午 15, 傍晚 18, 晚上 20, 凌晨 5);
- weekdays: 周三 = the next Wednesday (today if still ahead), 这周三 = this calendar week's (may be past),
  下周三 = next week's, 下下周三 the week after; 周末 = Saturday;
- N号 / N月N号 / 农历… / festivals: this month / year if not yet past, else the next one;
- recurrence resolves to its next occurrence (每周一 8点 → the coming Monday 08:00).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from voice.nlu.festivals import FEST_ALIASES, FESTIVALS, festival_date, lunar_date
from voice.nlu.numbers import to_int, to_number

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WD = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5,
       "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
_N = r"(?:\d+|[零一二两三四五六七八九十]+)"
_WEEK = r"(?:周|星期|礼拜)"
PERIODS = {"凌晨": 5, "清晨": 7, "早上": 8, "早晨": 8, "一早": 8, "上午": 9, "中午": 12, "下午": 15,
           "傍晚": 18, "晚上": 20, "晚间": 20, "夜里": 22, "夜间": 22, "深夜": 23, "半夜": 0}
_PM = {"下午", "傍晚", "晚上", "晚间", "夜里", "夜间", "深夜"}
_PERIOD = "|".join(sorted(PERIODS, key=len, reverse=True))
_DAY_WORDS = {"今天": 0, "今日": 0, "今儿": 0, "明天": 1, "明日": 1, "明儿": 1, "后天": 2,
              "大后天": 3, "昨天": -1, "前天": -2, "大前天": -3}
# 今晚 = 今天晚上 …
_DAY_PERIOD = {"今早": (0, "早上"), "今晨": (0, "早上"), "今晚": (0, "晚上"), "今夜": (0, "夜里"),
               "明早": (1, "早上"), "明晨": (1, "早上"), "明晚": (1, "晚上")}
_FEST = "|".join(sorted([*FESTIVALS, *FEST_ALIASES], key=len, reverse=True))

_REPEAT = (rf"(?P<rep>每天|天天|每日|每晚|每天晚上|每早|(?:每个?|所有)?工作日|每?(?:周|星期)一到(?:周|星期)?五|"
           rf"每个?周末|每(?:个)?{_WEEK}(?P<repwd>[一二三四五六日天1-7]))")
_DATE = (
    rf"(?P<date>"
    rf"(?P<dayword>大后天|大前天|今天|今日|今儿|明天|明日|明儿|后天|昨天|前天)(?:个)?"
    rf"|(?P<dayperiod>今早|今晨|今晚|今夜|明早|明晨|明晚)"
    rf"|(?P<wkpre>这个?|本|下下个?|下个?|上个?)?(?P<wk>{_WEEK}(?P<wd>[一二三四五六日天1-7])|周末)"
    rf"|(?P<lunar>(?:农历|阴历)(?:(?P<lm>{_N}|[正冬腊])月)?(?P<ld>初{_N}|廿{_N}|{_N})(?:日|号)?"
    rf"|(?P<lm2>[正腊])月(?P<ld2>初{_N}|廿{_N}|{_N}))"
    rf"|(?P<fyear>今年|明年|去年)?(?:的)?(?P<fest>{_FEST})"
    rf"|(?:(?P<year>\d{{4}})年)?(?P<monpre>这个?月|本月|下个?月|下下个?月)?(?:(?P<mon>\d{{1,2}})月)?"
    rf"(?P<mday>\d{{1,2}})(?:号|日)"
    rf")")
_CLOCK = (r"(?P<clock>(?P<hh>\d{1,2})(?::(?P<mm>\d{2})|点钟?(?:(?P<half>半)|(?P<quarter>一刻|三刻|1刻|3刻)"
          r"|(?P<min>\d{1,2})分?|(?:整))?))")
_DURATION = (
    rf"(?P<dur>(?:(?P<dh>{_N}|半)(?:个)?(?P<dhh>半)?(?:小时|钟头)(?:(?P<dhm>\d+)分(?:钟)?)?(?:(?P<dhs>\d+)秒)?"
    rf"|(?P<dm>{_N}|半)(?:分钟|分)(?P<dmh>半)?(?:(?P<dms>\d+)秒(?:钟)?)?"
    rf"|(?P<ds>{_N})秒(?:钟)?"
    rf"|(?P<dq>一刻钟)"
    rf"|(?P<dd>{_N}|半)(?:个)?(?P<ddh>半)?(?:天|日)"
    rf"|(?P<dw>{_N})(?:个)?(?:星期|礼拜|周)"
    rf"|(?P<dmo>{_N}|半)个(?P<dmoh>半)?月))")
_AFTER = r"(?P<after>以后|之后|过后|后)"
_SEP = r"(?:的|那个|的那个)?"

_ABS_RE = re.compile(
    rf"(?:{_REPEAT}{_SEP})?(?:{_DATE}{_SEP})?(?:(?P<period>{_PERIOD}){_SEP})?(?:{_CLOCK})?")
_REL_RE = re.compile(rf"{_DURATION}{_AFTER}(?:(?P<period>{_PERIOD}))?(?:{_CLOCK})?")
_DUR_RE = re.compile(_DURATION)


@dataclass
class TimeExpr:
    """What one expression said; exactly one of `when`, `date`, `duration_s` is the main value."""

    start: int
    end: int
    text: str
    when: datetime | None = None  # a point in time (clock said, or relative "…后")
    date: date | None = None  # a day without a clock
    duration_s: int | None = None  # a bare duration (timers)
    repeat: str | None = None  # daily, weekdays, weekends, weekly:mon … weekly:sun
    period: str | None = None  # 早上, 下午 … as said

    @property
    def day(self) -> date | None:
        return self.when.date() if self.when else self.date

    def iso(self) -> str | None:
        return self.when.strftime("%Y-%m-%dT%H:%M") if self.when else None


def duration_seconds(m: re.Match) -> int | None:
    """Seconds of a `_DURATION` match."""
    g = m.groupdict()

    def num(key: str, half_key: str | None = None):
        value = to_number(g[key]) if g.get(key) else None
        if value is not None and half_key and g.get(half_key):
            value += to_number("半")
        return value

    if g.get("dh"):
        hours = num("dh", "dhh")
        return int(hours * 3600 + int(g["dhm"] or 0) * 60 + int(g["dhs"] or 0)) if hours is not None else None
    if g.get("dm"):
        minutes = num("dm", "dmh")
        return int(minutes * 60 + int(g["dms"] or 0)) if minutes is not None else None
    if g.get("ds"):
        return to_int(g["ds"])
    if g.get("dq"):
        return 15 * 60
    if g.get("dd"):
        days = num("dd", "ddh")
        return int(days * 86400) if days is not None else None
    if g.get("dw"):
        weeks = to_int(g["dw"])
        return weeks * 7 * 86400 if weeks is not None else None
    if g.get("dmo"):
        months = num("dmo", "dmoh")
        return int(months * 30 * 86400) if months is not None else None
    return None


def find_durations(text: str) -> list[tuple[int, int, int]]:
    """(start, end, seconds) of every bare duration in `text`."""
    out = []
    for m in _DUR_RE.finditer(text):
        seconds = duration_seconds(m)
        if seconds:
            out.append((m.start(), m.end(), seconds))
    return out


def parse_time(text: str, now: datetime, *, morning: bool = False) -> TimeExpr | None:
    """The longest time expression in `text` (None if there is none)."""
    found = find_times(text, now, morning=morning)
    return max(found, key=lambda t: (t.end - t.start, -t.start)) if found else None


def find_times(text: str, now: datetime, *, morning: bool = False) -> list[TimeExpr]:
    """Every non-overlapping time expression, left to right (longest match at each position)."""
    out: list[TimeExpr] = []
    i = 0
    while i < len(text):
        best = None
        for rx, kind in ((_REL_RE, "rel"), (_ABS_RE, "abs"), (_DUR_RE, "dur")):
            m = rx.match(text, i)
            if m and m.end() > i and (best is None or m.end() > best[0].end()):
                best = (m, kind)
        expr = _resolve(best[0], best[1], now, morning) if best else None
        if expr is not None:
            out.append(expr)
            i = expr.end
        else:
            i += 1
    return out


# --- resolution -----------------------------------------------------------------------------------


def _resolve(m: re.Match, kind: str, now: datetime, morning: bool) -> TimeExpr | None:
    g = m.groupdict()
    expr = TimeExpr(m.start(), m.end(), m.group(0))
    if kind == "dur":
        expr.duration_s = duration_seconds(m)
        return expr if expr.duration_s else None
    if kind == "rel":
        seconds = duration_seconds(m)
        if not seconds:
            return None
        target = now + timedelta(seconds=seconds)
        if g.get("clock") or g.get("period"):
            hour, minute = _clock(g, g.get("period"))
            expr.when = datetime.combine(target.date(), datetime.min.time()) + timedelta(hours=hour, minutes=minute)
            expr.period = g.get("period")
        else:
            expr.when = target.replace(second=0, microsecond=0)
        return expr
    # absolute
    if not any(g.get(k) for k in ("rep", "date", "period", "clock")):
        return None
    if g.get("clock") and not (g.get("date") or g.get("period") or g.get("rep")) and not _clock_is_time(m):
        return None
    repeat = _repeat(g)
    expr.repeat = repeat
    period = g.get("period")
    day: date | None = None
    if g.get("date"):
        resolved = _date(g, now)
        if resolved is None:
            return None
        day, day_period = resolved
        period = period or day_period
    if g.get("rep") and g["rep"] in ("每晚", "每天晚上"):
        period = period or "晚上"
    if g.get("rep") == "每早":
        period = period or "早上"
    expr.period = period
    has_clock = bool(g.get("clock"))
    if not has_clock and not period:
        if repeat and not day:
            return expr  # "每天" alone: a recurrence without a time
        expr.date = day
        return expr
    hour, minute = _clock(g, period)
    if hour is None:
        return None
    if day is not None:
        expr.when = _at(day, hour, minute)
        if hour == 24:
            expr.when = _at(day + timedelta(days=1), 0, minute)
        return expr
    if repeat:
        expr.when = _next_repeat(repeat, now, hour % 24, minute)
        return expr
    # clock (and/or period) without a day: the next future occurrence
    candidates = [_at(now.date(), hour % 24, minute) + timedelta(days=hour // 24)]
    ambiguous = has_clock and not period and 1 <= hour <= 11 and not morning
    if ambiguous:
        candidates.append(_at(now.date(), hour + 12, minute))
    future = [c for c in candidates if c > now]
    expr.when = min(future) if future else candidates[0] + timedelta(days=1)
    return expr


def _clock_is_time(m: re.Match) -> bool:
    """A bare number is a clock only with 点 or h:mm (so "3个" or "26度" never become times)."""
    text = m.group("clock")
    return "点" in text or ":" in text


def _clock(g: dict, period: str | None) -> tuple[int | None, int]:
    if not g.get("clock"):
        return PERIODS[period], 0
    hour = int(g["hh"])
    minute = 0
    if g.get("mm"):
        minute = int(g["mm"])
    elif g.get("half"):
        minute = 30
    elif g.get("quarter"):
        minute = 15 if g["quarter"] in ("一刻", "1刻") else 45
    elif g.get("min"):
        minute = int(g["min"])
    if hour > 24 or minute > 59:
        return None, 0
    if period in _PM and 1 <= hour <= 11:
        if not (period in ("夜里", "深夜") and hour <= 4):
            hour += 12
    elif period in _PM and hour == 12:
        hour = 24  # 晚上12点 = midnight at the end of that day
    elif period == "中午" and 1 <= hour <= 2:
        hour += 12
    elif period in ("凌晨", "半夜") and hour == 12:
        hour = 0
    return hour, minute


def _at(day: date, hour: int, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day) + timedelta(hours=hour, minutes=minute)


def _repeat(g: dict) -> str | None:
    rep = g.get("rep")
    if not rep:
        return None
    if rep in ("每天", "天天", "每日", "每晚", "每天晚上", "每早"):
        return "daily"
    if "工作日" in rep or "一到" in rep:
        return "weekdays"
    if "周末" in rep:
        return "weekends"
    return "weekly:" + WEEKDAYS[_WD[g["repwd"]]]


def _next_repeat(repeat: str, now: datetime, hour: int, minute: int) -> datetime:
    for offset in range(0, 8):
        day = now.date() + timedelta(days=offset)
        wd = day.weekday()
        ok = (repeat == "daily" or (repeat == "weekdays" and wd < 5) or (repeat == "weekends" and wd >= 5)
              or repeat == f"weekly:{WEEKDAYS[wd]}")
        when = _at(day, hour, minute)
        if ok and when > now:
            return when
    return _at(now.date() + timedelta(days=7), hour, minute)


def _date(g: dict, now: datetime) -> tuple[date, str | None] | None:
    today = now.date()
    if g.get("dayword"):
        return today + timedelta(days=_DAY_WORDS[g["dayword"]]), None
    if g.get("dayperiod"):
        offset, period = _DAY_PERIOD[g["dayperiod"]]
        return today + timedelta(days=offset), period
    if g.get("wk"):
        target = 5 if g["wk"] == "周末" else _WD[g["wd"]]
        pre = (g.get("wkpre") or "").rstrip("个")
        monday = today - timedelta(days=today.weekday())
        if pre in ("这", "本"):
            return monday + timedelta(days=target), None
        if pre == "下":
            return monday + timedelta(days=7 + target), None
        if pre == "下下":
            return monday + timedelta(days=14 + target), None
        if pre == "上":
            return monday + timedelta(days=target - 7), None
        ahead = (target - today.weekday()) % 7
        if g["wk"] == "周末" and today.weekday() == 6:
            ahead = 0  # on Sunday "周末" is today
        return today + timedelta(days=ahead), None
    if g.get("lunar") or g.get("lm2"):
        return lunar_date(g.get("lm") or g.get("lm2"), g.get("ld") or g.get("ld2") or "", today), None
    if g.get("fest"):
        return festival_date(g["fest"], today, g.get("fyear")), None
    if g.get("mday"):
        return _month_day(g, today), None
    return None


def _month_day(g: dict, today: date) -> date | None:
    mday = int(g["mday"])
    month = int(g["mon"]) if g.get("mon") else None
    year = int(g["year"]) if g.get("year") else None
    pre = (g.get("monpre") or "").replace("个", "")
    if pre:
        shift = {"这月": 0, "本月": 0, "下月": 1, "下下月": 2}.get(pre, 0)
        y, mo = today.year, today.month + shift
        while mo > 12:
            y, mo = y + 1, mo - 12
        return _safe(y, mo, mday)
    if month is not None:
        if not 1 <= month <= 12:
            return None
        if year:
            return _safe(year, month, mday)
        d = _safe(today.year, month, mday)
        if d is not None and d < today:
            d = _safe(today.year + 1, month, mday)
        return d
    d = _safe(today.year, today.month, mday)
    if d is not None and d >= today:
        return d
    y, mo = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return _safe(y, mo, mday)


def _safe(year: int, month: int, mday: int) -> date | None:
    if not 1 <= month <= 12 or not 1 <= mday <= calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, mday)
