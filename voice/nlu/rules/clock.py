"""Alarms, timers and reminders."""

from __future__ import annotations

import re

from voice.nlu.rules.common import (
    ALL,
    CANCEL,
    EXACT,
    LIST,
    LISTING,
    SOFT_WRAPPER,
    TYPICAL,
    WRAPPER,
    Context,
    as_said,
    clean_label,
    time_slots,
)
from voice.nlu.timeexpr import find_durations
from voice.nlu.types import Hints


def alarm(c: Context):
    n = c.norm
    if not re.search(r"闹钟|闹铃|叫醒我|叫我起床|喊我起床|叫我$|把我叫醒|起床铃", n):
        return None
    t = c.time
    slots, day = time_slots(t)
    if t is not None and not t.repeat and re.search(r"(?<![这下本上])周末", n):
        slots["repeat"] = "weekends"  # an alarm "周末早上八点" rings every weekend
    tagged = re.search(r"(?:备注|标签)(?:是|为|叫)?([\u4e00-\u9fff]{1,8}?)的", c.without_times()) or \
        re.search(r"(?:备注|标签|名字|名称)(?:是|为|叫)?([\u4e00-\u9fff]{1,8}?)(?:的闹钟)?$", c.without_times())
    if re.search(CANCEL, n) and re.search(r"闹钟|闹铃", n):
        out = dict(slots)
        if tagged:
            out["label"] = tagged.group(1)
        return EXACT, "alarm.cancel", out, Hints(all=bool(re.search(ALL, n)), date=day)
    if re.search(r"闹钟|闹铃", n) and (re.search(r"几个|哪些|有什么|什么|列表|查看|看看|有没有|都有", n) and t is None
                                     or re.search(LIST, n) and not re.search(r"设|定|订|建|加", n)):
        return LISTING, "alarm.list", {}
    label = None
    m = re.search(r"(?:的)?([\u4e00-\u9fff]{1,6}?)(?:的)?闹钟", c.without_times())
    if m:
        candidate = clean_label(re.sub(r"^(?:设置?|定|订|建|创建|新建|加|添加|来|整|弄)?(?:一个|个|一下)?", "",
                                        m.group(1)))
        if candidate and not re.search(r"^(?:设|定|订|建|加|添|来|帮|个|把|我|请|明|今|后|每|下|这|那|标签|备注)", candidate):
            label = candidate
    if tagged:
        label = tagged.group(1)
    if label:
        slots["label"] = label
    return EXACT, "alarm.set", slots, Hints(date=day)


def timer(c: Context):
    n = c.norm
    if not re.search(r"计时|倒计时|定时器|计时器|秒表", n):
        return None
    kind = "timer.set"
    if re.search(CANCEL, n):
        kind = "timer.cancel"
    elif re.search(r"还剩|还有多久|还有多少|剩多少|剩下|多长时间|多久|查看|看看|进度|还有几", n):
        kind = "timer.query"
    n = re.sub(r"那个|这个", "", n)
    durations = find_durations(n)
    slots = {}
    if durations:
        slots["duration_s"] = sum(d[2] for d in durations)
        label_text = n[:durations[0][0]] + n[durations[-1][1]:]
    else:
        label_text = n
    label_text = label_text.replace("倒计时", "计时")
    label_text = re.sub(rf"^(?:把)?{CANCEL}|^把|^我的|^我", "", label_text)
    m = re.search(r"([\u4e00-\u9fff]{1,6}?)(?:的)?(?:倒计时|计时器|计时)", label_text)
    if m:
        label = clean_label(re.sub(r"^(?:设置?|定|开始|开启|启动|开|来|创建|新建|帮)?(?:一个|个)?", "", m.group(1)))
        if label and label not in ("开始", "启动", "设置", "定", "设", "开", "看看", "查看", "查"):
            slots["label"] = label
    m = re.search(r"(?:给|为)([\u4e00-\u9fff]{1,6}?)(?:计时|倒计时|定时)", n)
    if m:
        slots["label"] = m.group(1)
    if kind != "timer.set":
        slots.pop("label", None) if slots.get("label") in ("取消", "关掉", "停止", "删除") else None
        return (EXACT if kind == "timer.cancel" else LISTING), kind, slots
    return EXACT, "timer.set", slots


def timer_bare(c: Context):
    """"10分钟后叫我" is an alarm-like reminder; "定时25分钟" / "25分钟计时" are timers (above)."""
    m = re.fullmatch(r"(?:定时|设定时|定个时|开始计时)(.*)", c.norm)
    if m:
        durations = find_durations(m.group(1))
        if durations:
            return TYPICAL, "timer.set", {"duration_s": sum(d[2] for d in durations)}
    return None


def reminder(c: Context):
    n = c.norm
    has_remind = re.search(r"提醒|别忘了|不要忘了|记得|备忘|待办|叫我", n)
    if not has_remind:
        return None
    negative = re.match(r"^(?:不用|不要|别|无需|不需要)(?:再)?提醒我?(.+?)(?:了)?$", n)
    if negative:
        return EXACT, "reminder.cancel", {"text": as_said(c, clean_label(negative.group(1)))}
    setting = re.search(r"提醒我|提醒一下我|提醒下我|叫我|记得", n)
    if re.search(r"提醒|备忘|待办", n) and not re.search(CANCEL, n) and not setting and re.search(
            r"什么|哪些|几个|列|查|看|所有|全部|多少|有没有", n):
        return LISTING, "reminder.list", {}
    if re.search(r"提醒|备忘|待办", n):
        if re.search(CANCEL, n):
            rest = c.without_times()
            tm = re.search(rf"{CANCEL}(?:掉)?(?:提醒我)?(.+?)的(?:那个|这个)?(?:提醒|备忘)", rest)
            out, day = time_slots(c.time)
            if tm and clean_label(tm.group(1)) not in ("所有", "全部", ""):
                out["text"] = as_said(c, clean_label(re.sub(r"^(?:所有|全部|那个|这个)", "", tm.group(1))))
            return EXACT, "reminder.cancel", out, Hints(all=bool(re.search(ALL, n)), date=day)
        if re.search(LIST, n) and not re.search(r"提醒我|提醒一下我|提醒下我", n):
            return LISTING, "reminder.list", {}
    t = c.time
    slots, day = time_slots(t)
    rest = c.without_times()
    m = (re.search(r"(?:提醒我|提醒一下我|提醒下我|记得提醒我|提醒一下|叫我|提醒)(?:说|一下|一声)?(.*)", rest)
         or re.search(r"(?:别忘了|不要忘了|记得)(.*)", rest))
    text = clean_label(m.group(1)) if m else ""
    text = re.sub(r"^(?:的|在|到时候|到时|要)+", "", text)
    if not text:
        m2 = re.match(r"(.+?)(?:的时候)?(?:要)?(?:提醒我|叫我)", rest)
        if m2:
            text = clean_label(re.sub(r"^(?:在|到)", "", m2.group(1)))
    if text:
        slots["text"] = as_said(c, text)
    if "叫我" in n and "提醒" not in n and not t:
        return None
    return (WRAPPER if "提醒" in n else SOFT_WRAPPER), "reminder.set", slots, Hints(date=day)
