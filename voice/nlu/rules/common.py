"""What every rule shares: the parsed utterance (`Context`), the named scores, and `as_said`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from voice.nlu.timeexpr import TimeExpr, find_times

# Scores, highest first. Most rules say EXACT or TYPICAL; the others exist to win or lose a known contest.
WRAPPER = 0.97  # "提醒…" around another command is a reminder, not that command ("提醒我关灯")
EXACT = 0.95  # an unambiguous command with its trigger word ("取消闹钟", "静音", "给妈妈打电话")
LISTING = 0.93  # a list or status query ("有哪些闹钟", "计时还剩多久"): under a command on the same words
INEXACT = 0.93  # the trigger word is there but a value is a default or a guess ("大点声" → +10, "周杰伦的稻香")
SOFT_WRAPPER = 0.92  # 叫我 / 记得 without 提醒: a reminder over a TYPICAL reading, under an EXACT command
TYPICAL = 0.9  # a typical phrasing without the word that settles it ("明天下雨吗", "去机场", "我要打电话")
LIKELY_APP = 0.85  # "打开X" for an X that is no device and not called an app
BARE = 0.8  # the intent's word alone, nothing to act on yet ("导航")
WEAK = 0.7  # weak evidence: "来点X" with an unknown X is probably music
GUESS = 0.6  # a date question with no day in it: today, unless another rule claims the utterance


@dataclass
class Context:
    norm: str  # politeness stripped
    canon: str  # before stripping
    now: datetime
    times: list[TimeExpr]
    plain: str = ""  # like norm but without ITN (numbers as said)
    devices: tuple = ()  # the user's own devices (voice.home.devices.Device)

    def without_times(self) -> str:
        text = self.norm
        for t in sorted(self.times, key=lambda t: -t.start):
            text = text[:t.start] + text[t.end:]
        return text

    @property
    def time(self) -> TimeExpr | None:
        dated = [t for t in self.times if t.when or t.date or t.repeat]
        return max(dated, key=lambda t: t.end - t.start) if dated else None


def context(norm: str, canon: str, now: datetime, morning: bool = False, plain: str = "",
            devices: tuple = ()) -> Context:
    return Context(norm, canon, now, find_times(norm, now, morning=morning), plain, devices)


CANCEL = r"(?:取消|删除|删掉|删了|去掉|关掉|关闭|关了|不要|撤销|清除|清空|停掉|停止|停了|移除)"
LIST = r"(?:有哪些|有什么|有几个|有多少|有没有|列出|查看|看看|看下|查询|查查|查一查|查|列表|几点的|都有|哪些)"
ALL = r"(?:所有|全部|全都|都)"


def time_slots(t: TimeExpr | None) -> tuple[dict, str | None]:
    """The public `time`/`repeat` slots of `t`, and the ISO day when only a day was said."""
    if t is None:
        return {}, None
    slots = {}
    day = None
    if t.when:
        slots["time"] = t.iso()
    elif t.date:
        day = t.date.isoformat()
    if t.repeat:
        slots["repeat"] = t.repeat
    return slots, day


def clean_label(text: str) -> str:
    return re.sub(r"^(?:的|一个|个|一下|要|记得|该|去做|一声)+|(?:的|了|一下|一声)+$", "", text)


def as_said(c: Context, text: str) -> str:
    """`text` (cut from ITN'd text) as the user said it: "会议改到3点" → "会议改到三点" when they said 三点."""
    if not re.search(r"\d", text) or not c.plain:
        return text
    pattern = "".join("[零〇一二两三四五六七八九十百千万点0-9.:%]+?" if part.isdigit() else re.escape(part)
                      for part in re.split(r"(\d+)", text) if part)
    m = re.search(pattern + "$", c.plain) or re.search(pattern, c.plain)
    return m.group(0) if m else text
