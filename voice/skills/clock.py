"""Alarms, timers and reminders: stored in SQLite, fired by voice.skills.scheduler."""

from __future__ import annotations

from datetime import datetime, timedelta

from voice.nlu import phonetic
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
    label = intent.slots.get("label")
    named = [i for i in items if label and i["label"] and (label in i["label"] or i["label"] in label)]
    if named and kind == "alarms":
        chosen = [i for i in named if i["time"].startswith(intent.slots.get("time", ""))]
    elif label and kind == "alarms":
        # "取消起床闹钟" where no alarm has that name: the one without a name, if that is clear
        unnamed = [i for i in items if not i["label"]]
        chosen = unnamed if len(unnamed) == 1 else []
        if not unnamed:
            return Reply(f"没有找到{label}闹钟。")
        if not chosen:
            return Reply(f"没有叫{label}的闹钟。您有{len(items)}个闹钟，要取消哪个时间的？", expects="time")
    elif "time" in intent.slots:
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


def _left(item: dict, ctx: SkillContext) -> int:
    if item.get("paused_s") is not None:
        return int(item["paused_s"])
    return max(0, round((datetime.fromisoformat(item["time"]) - (ctx.exact_now or ctx.now)).total_seconds()))


def _timer_name(item: dict) -> str:
    return f"{item['label']}计时器" if item["label"] else f"{say.duration(item['duration_s'])}的计时器"


def _timers(intent: Intent, ctx: SkillContext, verb: str) -> list[dict] | Reply:
    """The timers `intent` is about: the one named (煮蛋计时器) or of that length, all of them when said or
    when there is only one; otherwise a question which."""
    items = ctx.store.items("timers")
    if not items:
        return Reply("现在没有计时器。")
    label, seconds = intent.slots.get("label"), intent.slots.get("duration_s")
    if label:
        chosen = [i for i in items if i["label"] and (label in i["label"] or i["label"] in label)]
        # a label heard wrong (主旦 for 煮蛋) still names the timer it sounds like
        chosen = chosen or [i for i in items if i["label"] and phonetic.sounds_like(label, i["label"])]
        return chosen or Reply(f"没有找到{label}计时器。")
    if seconds:
        chosen = [i for i in items if i["duration_s"] == seconds]
        return chosen or Reply(f"没有{say.duration(seconds)}的计时器。")
    if intent.hints.all or len(items) == 1:
        return items
    names = "、".join(_timer_name(i) for i in items)
    return Reply(f"您有{len(items)}个计时器：{names}。要{verb}哪一个？", expects="label")


def timer_cancel(intent: Intent, ctx: SkillContext) -> Reply:
    if not (intent.slots.get("label") or intent.slots.get("duration_s")):
        return _cancel("timers", "计时器", intent, ctx)
    chosen = _timers(intent, ctx, "取消")
    if isinstance(chosen, Reply):
        return chosen
    ctx.store.deactivate("timers", [i["id"] for i in chosen])
    return Reply(f"好的，已取消{_timer_name(chosen[0])}" if len(chosen) == 1 else f"好的，已取消{len(chosen)}个计时器",
                 action={"type": "timer.cancel", "ids": [i["id"] for i in chosen]})


def timer_pause(intent: Intent, ctx: SkillContext) -> Reply:
    chosen = _timers(intent, ctx, "暂停")
    if isinstance(chosen, Reply):
        return chosen
    running = [i for i in chosen if i["paused_s"] is None]
    if not running:
        return Reply("计时器已经暂停了。" if len(chosen) == 1 else "这些计时器都已经暂停了。")
    for i in running:
        ctx.store.pause_timer(i["id"], _left(i, ctx))
    text = (f"好的，已暂停{_timer_name(running[0])}，还剩{say.duration(_left(running[0], ctx))}"
            if len(running) == 1 else f"好的，已暂停{len(running)}个计时器")
    return Reply(text, action={"type": "timer.pause", "ids": [i["id"] for i in running]})


def timer_resume(intent: Intent, ctx: SkillContext) -> Reply:
    chosen = _timers(intent, ctx, "继续")
    if isinstance(chosen, Reply):
        return chosen
    paused = [i for i in chosen if i["paused_s"] is not None]
    if not paused:
        return Reply("计时器正在运行。" if len(chosen) == 1 else "这些计时器都在运行。")
    now = ctx.exact_now or ctx.now
    for i in paused:
        ctx.store.adjust_timer(i["id"], now + timedelta(seconds=i["paused_s"]), i["duration_s"], None)
    text = (f"好的，{_timer_name(paused[0])}继续计时，还剩{say.duration(paused[0]['paused_s'])}"
            if len(paused) == 1 else f"好的，{len(paused)}个计时器继续计时")
    return Reply(text, action={"type": "timer.resume", "ids": [i["id"] for i in paused]})


def timer_adjust(intent: Intent, ctx: SkillContext) -> Reply:
    delta = int(intent.slots["delta_s"])
    chosen = _timers(intent, ctx, "调整")
    if isinstance(chosen, Reply):
        return chosen
    for i in chosen:  # all or none
        if _left(i, ctx) + delta <= 0:
            return Reply(f"{_timer_name(i)}只剩{say.duration(_left(i, ctx))}了，不能再减{say.duration(-delta)}。")
    changed = []
    for i in chosen:
        left = _left(i, ctx) + delta
        paused = left if i["paused_s"] is not None else None
        ctx.store.adjust_timer(i["id"], (ctx.exact_now or ctx.now) + timedelta(seconds=left),
                               i["duration_s"] + delta, paused)
        changed.append((i, left))
    verb = "加了" if delta > 0 else "减了"
    text = (f"好的，{_timer_name(changed[0][0])}{verb}{say.duration(abs(delta))}，还剩{say.duration(changed[0][1])}"
            if len(changed) == 1 else f"好的，{len(changed)}个计时器都{verb}{say.duration(abs(delta))}")
    return Reply(text, action={"type": "timer.adjust", "ids": [i["id"] for i, _ in changed], "delta_s": delta})


def timer_query(intent: Intent, ctx: SkillContext) -> Reply:
    if intent.slots.get("label") or intent.slots.get("duration_s"):
        items = _timers(intent, ctx, "查")
        if isinstance(items, Reply):
            return items
    else:
        items = ctx.store.items("timers")
    if not items:
        return Reply("现在没有正在进行的计时。")
    parts = []
    for i in items:
        name = _timer_name(i) if len(items) > 1 else ""
        parts.append(name + ("已暂停，" if i["paused_s"] is not None else "") + f"还剩{say.duration(_left(i, ctx))}")
    head = f"您有{len(items)}个计时器：" if len(items) > 1 else ""
    return Reply(head + "，".join(parts), data={"timers": items})


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
