"""Alarms, timers and reminders: stored in SQLite, fired by voice.skills.scheduler."""

from __future__ import annotations

from datetime import datetime, timedelta

from voice.nlu.types import Intent, Reply
from voice.skills import say
from voice.skills.base import SkillContext


def _time_of(intent: Intent, ctx: SkillContext) -> datetime | None:
    s = intent.slots
    if "time" in s:
        return datetime.fromisoformat(s["time"])
    if intent.hints.date and ctx.profile.wake_time and intent.intent == "alarm.set":
        h, m = (int(x) for x in ctx.profile.wake_time.split(":"))
        return datetime.fromisoformat(intent.hints.date) + timedelta(hours=h, minutes=m)
    return None


def _said(when: datetime, repeat: str | None, ctx: SkillContext) -> str:
    """"每个工作日早上7点" for a recurring item, "明天早上7点" for a one-off."""
    rep = say.repeat(repeat)
    return f"{rep}{say.clock(when)}" if rep else say.when(when, ctx.now)


def alarm_set(intent: Intent, ctx: SkillContext) -> Reply:
    when = _time_of(intent, ctx)
    if when is None:
        return Reply("好的，闹钟定在几点？", expects="time")
    if when <= ctx.now and not intent.slots.get("repeat"):
        return Reply(f"{say.when(when, ctx.now)}已经过去了，请换一个时间。", expects="time")
    label = intent.slots.get("label")
    repeat = intent.slots.get("repeat")
    item = ctx.store.add("alarms", when, repeat=repeat, label=label)
    what = _said(when, repeat, ctx)
    text = f"好的，已为您设置{what}的闹钟" + (f"，备注：{label}" if label else "")
    return Reply(text, action={"type": "alarm.set", "id": item, "time": when.strftime("%Y-%m-%dT%H:%M"),
                               "repeat": repeat, "label": label})


def _cancel(kind: str, noun: str, intent: Intent, ctx: SkillContext) -> Reply:
    items = ctx.store.items(kind)
    if not items:
        return Reply(f"您现在没有{noun}。")
    if "time" in intent.slots:
        t = intent.slots["time"]
        chosen = [i for i in items if i["time"].startswith(t)]
    elif intent.hints.date:
        chosen = [i for i in items if i["time"].startswith(intent.hints.date)]
    elif len(items) == 1:
        chosen = items
    else:
        chosen = items if intent.hints.all else []
        if not chosen:
            return Reply(f"您有{len(items)}个{noun}，要取消全部吗？", expects="confirm")
    if not chosen:
        return Reply(f"没有找到这个时间的{noun}。")
    if len(chosen) > 1 and not ctx.confirmed:
        return Reply(f"确定要取消全部{len(chosen)}个{noun}吗？", expects="confirm")
    ctx.store.deactivate(kind, [i["id"] for i in chosen])
    return Reply(f"好的，已取消{len(chosen)}个{noun}" if len(chosen) > 1 else f"好的，已取消{noun}",
                 action={"type": f"{kind[:-1]}.cancel", "ids": [i["id"] for i in chosen]})


def alarm_cancel(intent: Intent, ctx: SkillContext) -> Reply:
    return _cancel("alarms", "闹钟", intent, ctx)


def alarm_list(intent: Intent, ctx: SkillContext) -> Reply:
    items = ctx.store.items("alarms")
    if not items:
        return Reply("您现在没有闹钟。")
    said = [(say.repeat(i["repeat"]) + say.clock(datetime.fromisoformat(i["time"])) if i["repeat"]
             else say.when(datetime.fromisoformat(i["time"]), ctx.now)) for i in items]
    return Reply(f"您有{len(items)}个闹钟：" + "、".join(said), data={"alarms": items})


def timer_set(intent: Intent, ctx: SkillContext) -> Reply:
    seconds = intent.slots.get("duration_s")
    if not seconds:
        return Reply("好的，计时多长时间？", expects="duration_s")
    label = intent.slots.get("label")
    ends = (ctx.exact_now or ctx.now) + timedelta(seconds=seconds)
    item = ctx.store.add("timers", ends, duration_s=seconds, label=label)
    return Reply(f"好的，开始{say.duration(seconds)}的{label or ''}计时",
                 action={"type": "timer.set", "id": item, "duration_s": seconds, "label": label})


def timer_cancel(intent: Intent, ctx: SkillContext) -> Reply:
    return _cancel("timers", "计时器", intent, ctx)


def timer_query(intent: Intent, ctx: SkillContext) -> Reply:
    items = ctx.store.items("timers")
    if not items:
        return Reply("现在没有正在进行的计时。")
    parts = []
    for i in items:
        left = max(0, int((datetime.fromisoformat(i["time"]) - (ctx.exact_now or ctx.now)).total_seconds()))
        parts.append((f"{i['label']}" if i["label"] else "") + f"还剩{say.duration(left)}")
    return Reply("，".join(parts), data={"timers": items})


def reminder_set(intent: Intent, ctx: SkillContext) -> Reply:
    when = _time_of(intent, ctx)
    text = intent.slots.get("text")
    if when is None and intent.hints.date:
        when = datetime.fromisoformat(intent.hints.date) + timedelta(hours=9)
    if when is None:
        return Reply("好的，什么时候提醒您？", expects="time")
    if not text:
        return Reply("好的，要提醒您做什么？", expects="text")
    repeat = intent.slots.get("repeat")
    if when <= ctx.now and not repeat:
        return Reply(f"{say.when(when, ctx.now)}已经过去了，请换一个时间。", expects="time")
    item = ctx.store.add("reminders", when, text=text, repeat=repeat)
    what = _said(when, repeat, ctx)
    return Reply(f"好的，{what}提醒您{text}",
                 action={"type": "reminder.set", "id": item, "time": when.strftime("%Y-%m-%dT%H:%M"),
                         "text": text, "repeat": repeat})


def reminder_list(intent: Intent, ctx: SkillContext) -> Reply:
    items = ctx.store.items("reminders")
    if not items:
        return Reply("您现在没有提醒。")
    said = [f"{say.when(datetime.fromisoformat(i['time']), ctx.now)}{i['text'] or ''}" for i in items]
    return Reply(f"您有{len(items)}个提醒：" + "；".join(said), data={"reminders": items})


def reminder_cancel(intent: Intent, ctx: SkillContext) -> Reply:
    return _cancel("reminders", "提醒", intent, ctx)
