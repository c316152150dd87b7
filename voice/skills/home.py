"""The smart home: commands and state questions about the user's devices.

With a device list in the profile, a command acts on the devices it names: one by its name, or every device
of a kind in a room ("关掉客厅所有的灯"); a name that is not in the list gets an honest answer. Without a
list, the command goes to the host as said (kind and room). Either way the reply says what was done, the
action carries the devices' ids for the host (Home Assistant) to carry out, and the assistant keeps the state
it set, so "卧室灯开着吗" is answered from it; a host may report fresher states with `report_state`.
"""

from __future__ import annotations

from datetime import datetime

from voice.home.devices import Device
from voice.nlu.lexicon import DEVICE_NAMES_ZH
from voice.nlu.types import Intent, Reply
from voice.skills import say
from voice.skills.base import SkillContext

_ACTION_ZH = {"on": "打开", "off": "关闭", "up": "调高", "down": "调低", "lock": "锁上", "unlock": "解锁",
              "pause": "暂停", "dock": "让它回去充电："}
_OPENS = ("curtain", "cover", "valve")
_UNIT_ZH = {"celsius": "度", "percent": "%", "level": "档"}


def _said(s: dict) -> str:
    """The device as the user named it: "阳台灯", "客厅的灯", "灯"."""
    if s.get("name"):
        return s["name"]
    kind = DEVICE_NAMES_ZH.get(s.get("device", "media_player"), s.get("device", ""))
    return f"{s['room']}的{kind}" if s.get("room") else kind


def _targets(intent: Intent, ctx: SkillContext) -> list[Device] | Reply | None:
    """The user's devices `intent` is about; None when the user keeps no device list (the host decides)."""
    devices = ctx.profile.devices
    if not devices:
        return None
    s = intent.slots
    if s.get("name"):
        named = [d for d in devices if d.name == s["name"]]
        return named or Reply(f"没有找到{_said(s) if not s.get('room') else s['room'] + '的' + s['name']}，"
                              "可以在个人配置的设备列表里添加。")
    kind, room = s.get("device"), s.get("room")
    players = ("tv", "media_player")
    same = [d for d in devices if d.kind == kind or (kind == "sensor" and d.kind == "air_conditioner")
            or (kind is None and d.kind in players)]  # "客厅下一首": the room's player
    if room:
        same = [d for d in same if d.room == room or room in d.name]
    noun = DEVICE_NAMES_ZH.get(kind or "media_player", kind or "")
    if not same:
        return Reply(f"没有找到{room}的{noun}。" if room else f"您的设备里没有{noun}。")
    # a question about a kind is answered for each ("哪些灯开着"); a command asks which
    if len(same) > 1 and not intent.hints.all and not room and intent.intent != "device.query":
        names = "、".join(d.name for d in same)
        return Reply(f"您有{len(same)}个{noun}：{names}。要哪一个？", expects="room")
    return same


def _state_of(s: dict) -> dict:
    """What the command leaves the device in."""
    action = s["action"]
    if action in ("on", "off"):
        key = "open" if s["device"] in _OPENS else "on"
        return {key: action == "on"}
    if action in ("lock", "unlock"):
        return {"locked": action == "lock"}
    if action == "set" and "color" in s:
        return {"on": True, "color": s["color"]}
    if action == "set":
        key = {"celsius": "target", "level": "speed"}.get(s.get("unit"), "position" if s["device"] in _OPENS
                                                              else "brightness")
        return {key: s["value"], **({"open": s["value"] > 0} if key == "position" else {"on": True})}
    if action == "dock":
        return {"on": False, "docked": True}
    if action == "pause":
        return {"on": False}
    return {"on": True}


def _later(intent: Intent, ctx: SkillContext) -> Reply | None:
    """A question or a refusal when the time said for a command does not work: a day without an hour, or a
    time already past."""
    s = intent.slots
    if intent.hints.date and not s.get("time"):
        return Reply(f"好的，{say.day(datetime.fromisoformat(intent.hints.date).date(), ctx.now.date())}几点？",
                     expects="time")
    if s.get("time") and not s.get("repeat") and datetime.fromisoformat(s["time"]) <= ctx.now:
        return Reply(f"{say.when(datetime.fromisoformat(s['time']), ctx.now)}已经过去了，请换一个时间。", expects="time")
    return None


def device_control(intent: Intent, ctx: SkillContext) -> Reply:
    s = intent.slots
    later = _later(intent, ctx)
    if later is not None:
        return later
    targets = _targets(intent, ctx)
    if isinstance(targets, Reply):
        return targets
    name = _said(s)
    if targets is None and s["device"] == "other":  # no device list: nothing to say what it is
        return Reply(f"我不知道{name}是哪个设备，可以在个人配置的设备列表里添加。")
    if s["action"] == "set" and "color" in s:
        text = f"好的，{name}调成{s['color']}"
    elif s["action"] == "set":
        text = f"好的，{name}调到{s['value']}{_UNIT_ZH.get(s.get('unit', ''), '')}"
    elif s["device"] in _OPENS and s["action"] in ("on", "off"):
        text = f"好的，正在{'打开' if s['action'] == 'on' else '关上'}{name}"
    elif s["action"] == "dock":
        text = f"好的，{name}回去充电了"
    else:
        text = f"好的，正在{_ACTION_ZH[s['action']]}{name}"
    if targets and intent.hints.all and len(targets) > 1:
        text += f"，共{len(targets)}个"
    if s.get("time"):  # for later: said with its time; the state changes when the host carries it out
        at = datetime.fromisoformat(s["time"])
        when = f"{say.repeat(s['repeat'])}{say.clock(at)}" if s.get("repeat") else say.when(at, ctx.now)
        text = text.replace("好的，", f"好的，{when}", 1).replace("正在", "")
    else:
        state = _state_of(s)
        for key in [d.name for d in targets] if targets else [name]:
            ctx.store.set_device_state(key, state, ctx.now)
    action = {"type": "device.control", **s}
    if targets is not None:
        action["targets"] = [{"name": d.name, "id": d.id} for d in targets]
    return Reply(text, action=action)


_ASKED_ZH = {"temperature": "温度", "humidity": "湿度", "brightness": "亮度", "position": "开合程度"}


def device_query(intent: Intent, ctx: SkillContext) -> Reply:
    s = intent.slots
    targets = _targets(intent, ctx)
    if isinstance(targets, Reply):
        return targets
    name = _said(s) if s.get("device") != "sensor" or s.get("name") else (s.get("room") or "室内")
    attribute = s["attribute"]
    action = {"type": "device.query", **s}
    if targets is not None:
        action["targets"] = [{"name": d.name, "id": d.id} for d in targets]
    keys = [d.name for d in targets] if targets else [_said(s)]
    # a room's temperature is said of the room ("客厅现在22度"), anything else of the device
    by_room = s.get("device") == "sensor" and not s.get("name") and len(keys) == 1
    answers = [_answer(name if by_room or not targets else k, attribute, ctx.store.device_state(k)) for k in keys]
    known = [a for a in answers if a]
    if not known:
        what = _ASKED_ZH.get(attribute, "状态")
        return Reply(f"我还不知道{name}现在的{what}。", action=action)
    return Reply("，".join(known) + "。", action=action, data={"states": {k: ctx.store.device_state(k) for k in keys}})


def _answer(name: str, attribute: str, state: dict | None) -> str | None:
    if not state:
        return None
    if attribute == "locked" and "locked" in state:
        return f"{name}{'锁着' if state['locked'] else '没有锁'}"
    if attribute in ("open", "position") and "position" in state and attribute == "position":
        return f"{name}开到了{state['position']}%"
    if attribute in ("open", "position") and "open" in state:
        return f"{name}{'开着' if state['open'] else '关着'}"
    if attribute == "temperature" and "temperature" in state:
        return f"{name}现在{state['temperature']}度"
    if attribute == "temperature" and "target" in state:
        return f"{name}设定在{state['target']}度"
    if attribute == "humidity" and "humidity" in state:
        return f"{name}湿度{state['humidity']}%"
    if attribute == "brightness" and "brightness" in state:
        return f"{name}亮度{state['brightness']}%"
    if attribute == "on" and "on" in state:
        return f"{name}{'开着' if state['on'] else '关着'}"
    return None


_PLAYER_ZH = {"pause": "已暂停", "resume": "继续播放", "next": "切到下一首", "previous": "切到上一首"}


def player_control(intent: Intent, ctx: SkillContext) -> Reply:
    """A media command aimed at one of the house's players ("暂停电视", "客厅音箱下一首")."""
    targets = _targets(intent, ctx)
    if isinstance(targets, Reply):
        return targets
    action = {"type": "media.control", **intent.slots}
    if targets is not None:
        action["targets"] = [{"name": d.name, "id": d.id} for d in targets]
    return Reply(f"好的，{_said(intent.slots)}{_PLAYER_ZH[intent.slots['action']]}", action=action)
