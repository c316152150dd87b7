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
        named = re.search(rf"^(?:把|将)?(?:{CANCEL})?(?:掉)?(?:我的|那个|这个)?([\u4e00-\u9fff]{{1,6}}?)(?:的)?(?:闹钟|闹铃)",
                          c.without_times())
        label = clean_label(named.group(1)) if named else ""
        if label and not re.search(rf"^(?:{ALL}|{CANCEL}|一个|个|把|我|今|明|后|这|那|下|上|最近|已经|设好|叫我)|几|哪|刚",
                                   label):
            out["label"] = label  # "取消起床闹钟": the alarm called 起床
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


_PAUSE = r"暂停|停一下|停一停|先停|暂时停|停住"
_RESUME = r"继续|恢复|重新开始|接着"
_MORE = r"(?:再加|多加|加上|增加|延长|加长|加)(?:了|上)?$"
_LESS = r"(?:减少|减去|减掉|缩短|扣掉|扣除|减|少)(?:了)?$"
_TIMER_VERBS = rf"^(?:把|将|给|帮我)?(?:{CANCEL}|{_PAUSE}|{_RESUME}|查看|看看|看下|查一下|查)?(?:一下)?(?:我的|我)?"


def _change(n: str, durations: list) -> int | None:
    """Which of `durations` lengthens or shortens a timer named before it ("计时器加五分钟"), if any."""
    for k, (start, _, _) in enumerate(durations):
        before = n[:start]
        if re.search(r"计时|定时器", before) and (re.search(_MORE, before) or re.search(_LESS, before)):
            return k
    return None


def timer(c: Context):
    """Set, pause, resume, lengthen or shorten, ask about and cancel timers, one by its label or all."""
    n = c.norm
    if not re.search(r"计时|倒计时|定时器|计时器|秒表", n):
        return None
    n = re.sub(r"那个|这个", "", n)
    durations = find_durations(n)
    kind = "timer.set"
    if re.search(_PAUSE, n):
        kind = "timer.pause"
    elif re.search(_RESUME, n):
        kind = "timer.resume"
    elif _change(n, durations) is not None:
        kind = "timer.adjust"
    elif re.search(CANCEL, n):
        kind = "timer.cancel"
    elif re.search(r"还剩|还有多久|还有多少|剩多少|剩下|剩余|多长时间|多久|查看|看看|进度|还有几|状态|到哪|几个|哪些|"
                   r"有没有|怎么样了", n):
        kind = "timer.query"
    slots: dict = {}
    if kind == "timer.adjust":
        k = _change(n, durations)
        start, end, seconds = durations[k]
        slots["delta_s"] = -seconds if re.search(_LESS, n[:start]) else seconds
        if k:  # "五分钟的计时器减少一分钟": the first length names the timer
            slots["duration_s"] = sum(d[2] for d in durations[:k])
        label_text = n[durations[k - 1][1] if k else 0:start]
    elif durations:
        slots["duration_s"] = sum(d[2] for d in durations)
        label_text = n[:durations[0][0]] + n[durations[-1][1]:]
    else:
        label_text = n
    label_text = label_text.replace("倒计时", "计时")
    label_text = re.sub(_TIMER_VERBS, "", label_text)
    label_text = re.sub(rf"^{ALL}(?:的)?", "", label_text)
    m = re.search(r"([\u4e00-\u9fff]{1,6}?)(?:的)?(?:倒计时|计时器|计时)", label_text)
    if m:
        label = clean_label(re.sub(r"^(?:设置?|定|开始|开启|启动|开|来|创建|新建|帮|添加|加)?(?:一个|个)?", "",
                                        m.group(1)))
        if label and not re.fullmatch(r"开始|启动|设置|定|设|开|看看|查看|查|取消|关掉|停止|删除|所有|全部|"
                                      r"暂停|继续|恢复|加|减|剩下|现在|目前|当前|我|我们", label) \
                and not re.search(r"几|哪|有|还|剩|刚才|之前|上次|现在|那个", label):
            slots["label"] = label
    m = re.search(r"(?:给|为)([\u4e00-\u9fff]{1,6}?)(?:计时|倒计时|定时)", n)
    if m and kind == "timer.set":
        slots["label"] = m.group(1)
    if kind == "timer.set":
        return EXACT, "timer.set", slots
    hints = Hints(all=bool(re.search(ALL, n)))
    return (LISTING if kind == "timer.query" else EXACT), kind, slots, hints


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
    # 记得 asks to be reminded ("记得买牛奶"), but "我记得…" only recalls something
    has_remind = re.search(r"提醒|别忘了|不要忘了|(?<!我)记得|备忘|待办|叫我", n)
    if not has_remind:
        return None
    negative = re.match(r"^(?:不用|不要|别|无需|不需要)(?:再)?提醒我?(.+?)(?:了)?$", n)
    if negative:
        return EXACT, "reminder.cancel", {"text": as_said(c, clean_label(negative.group(1)))}
    setting = re.search(r"提醒我|提醒一下我|提醒下我|叫我|(?<!我)记得", n)
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
         or re.search(r"(?:别忘了|不要忘了|(?<!我)记得)(.*)", rest))
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
