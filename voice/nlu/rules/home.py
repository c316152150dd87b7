"""Smart-home devices: which device (one of the user's own, or a kind), which room, what to do or ask.

`device.control` slots: `device` (the kind), `name` (one of the user's devices, when one was named),
`room`, `action` (on, off, up, down, set, lock, unlock, pause, dock), `value` + `unit` (celsius, percent,
level) or `color`, and `time` when it is for later ("12分钟后开灯"). `device.query` asks about a state: `attribute` is on, open, locked, temperature,
humidity, position or brightness. "所有的灯" sets `Hints.all`. A media player told to pause or skip is
`media.control` with the player's `device` / `name` / `room`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from voice.nlu.lexicon import DEVICES, ROOMS, by_length
from voice.nlu.numbers import as_json_number, to_number
from voice.nlu.rules.common import ALL, EXACT, TYPICAL, Context
from voice.nlu.types import Hints

DEVICE_RE = re.compile("|".join(by_length(DEVICES)))
_ROOM_RE = re.compile("|".join(by_length(ROOMS)))
_ON = r"打开|开启|启动|开开|点亮|亮起|拉开|开始|开一下|开着|运行|扫地|扫一下|打扫|清扫|通电|上电|开"
_OFF = r"关闭|关掉|关上|关了|熄灭|拉上|合上|停止|停掉|暂停|断电|断开|关|灭"
_SET = r"调到|调成|调为|设为|设置为|设置成|设成|设到|开到|调至|定到|设定为|设定到|调在|设置到|改到|改成|调整到|调整为|变成|换成"
_UP = r"调高|升高|调亮|调大|加大|增大|提高|升温|加强|高一点|亮一点|大一点|热一点|强一点|高点|亮点|大点|暖和一点|再高|再亮|再大|加热"
_DOWN = r"调低|降低|调暗|调小|减小|降温|减弱|低一点|暗一点|小一点|凉一点|弱一点|冷一点|低点|暗点|小点|凉快一点|再低|再暗|再小"
_COLORS = {"红": "红色", "橙": "橙色", "黄": "黄色", "绿": "绿色", "青": "青色", "蓝": "蓝色", "紫": "紫色",
           "粉": "粉色", "白": "白色", "暖白": "暖白色", "冷白": "冷白色", "暖黄": "暖黄色", "暖": "暖色", "冷": "冷色"}
_COLOR_RE = re.compile(r"(?:调成|调为|变成|换成|改成|设为|设成|调到|开成|设置为|设置成|调节为|调节成|^#(?:的颜色)?)("
                       + "|".join(by_length(_COLORS)) + r")(?:色|光|颜色)?$")
_QUESTION = r"(?:吗|嘛|没有|没|了没|没关|没开|没锁|多少|几度|几|怎么样|如何|是不是|是否|有没有)[？?]?$|[？?]$"
_ASKING = r"哪个|哪些|哪一|哪几|几个|几扇|几盏|几台|多少个|多少扇|多少盏|有没有|是不是|是否|有多少"
_MEDIA = ((r"下一(?:首|曲|个|集|台)|切歌", "next"), (r"上一(?:首|曲|个|集|台)", "previous"),
          (r"暂停|停一下", "pause"), (r"继续播放|继续|恢复播放", "resume"))


def _asks(canon: str) -> bool:
    """Whether the utterance is a question ("卧室灯开着不？", "哪些灯开着", "有几扇门锁着")."""
    text = canon.rstrip("。！!")
    return bool(re.search(_QUESTION, text) or re.search(r"不[？?]?$", text) or re.search(_ASKING, text)
                or re.search(r"(.{1,2})[不没]\1", text))  # 开着不开着, 关没关


_LOCKS = r"开锁|解锁|上锁|锁门|锁上|锁好"
_DOCK = r"回充|返回(?:到)?(?:基站|充电座|底座)|回(?:到)?(?:基站|充电座|底座)|返回充电|回去充电"


def _by_verb(c: Context, n: str):
    """No device named, but the words say which kind: a door and a lock ("门锁着吗", "厨房上锁"), a vacuum's
    way home ("Rover返回充电")."""
    rooms = _room_re(c.devices)
    room = re.search(rooms, n)
    slots = {"room": room.group(0)} if room else {}
    if re.search(r"门", n) and re.search(r"锁", n) or re.search(_LOCKS, n):
        slots = {"device": "lock", **slots}
        if _asks(c.canon):
            return EXACT, "device.query", {**slots, "attribute": "locked"}, Hints(all=bool(re.search(ALL, n)))
        # a command is short and says only that: "把门锁上", "厨房上锁" (not "我把钥匙锁在门里了")
        if re.fullmatch(rf"(?:把|将|帮我|给我)?(?:{rooms})?(?:的)?(?:所有的|全部)?(?:门|大门|房门|前门|后门)?(?:都)?"
                        rf"(?:{_LOCKS}|锁|打开|开)(?:门|一下|上|好)?(?:吧)?", c.without_times() if c.times else n):
            return EXACT, "device.control", {**slots, "action": "unlock" if re.search(r"开锁|解锁|打开|开", n)
                                             else "lock"}
        return None
    if re.search(_DOCK, n):
        return EXACT, "device.control", {"device": "robot_vacuum", **slots, "action": "dock"}
    # "打开地下室的抽风机": something in a room nobody listed is still a device (answered honestly), no app
    m = re.fullmatch(rf"(?:把|将|帮我)?(打开|开启|启动|关闭|关掉|关上)?({rooms})(?:的|里的)"
                     rf"([\u4e00-\u9fff]{{2,6}}?)(打开|关掉|关上|关了|开一下)?", n)
    if m and (m.group(1) or m.group(4)):
        verb = m.group(1) or m.group(4)
        return TYPICAL, "device.control", {"device": "other", "name": m.group(3), "room": m.group(2),
                                           "action": "on" if "开" in verb else "off"}
    return None


def _user_device(n: str, devices) -> tuple | None:
    """(device, start, end) of the longest of the user's device names or aliases said in `n`."""
    best = None
    for d in devices:
        for name in d.names:
            i = n.find(re.sub(r"\s+", "", name).lower())  # as normalized text writes it ("Sonos" → "sonos")
            if i >= 0 and (best is None or len(name) > best[2] - best[1]):
                best = (d, i, i + len(name))
    return best


def _rooms(devices) -> list[str]:
    return by_length({*ROOMS, *(d.room for d in devices if d.room)})


def _room_re(devices) -> str:
    """The rooms as one regex alternation, each escaped (a user's room may hold any character)."""
    return "|".join(re.escape(r) for r in _rooms(devices))


# a sentence about devices that asks nothing of this one: a reminder's words, shopping, somebody else's doing
_NOT_ASKED = r"记得|别忘|忘了|牌子|买|多少钱|品牌|推荐|价格|好看|^(?:他|她|它|他们|她们|昨天|前天|上次|那天)"


def device(c: Context):
    """The device rule, with the time said for it: "12分钟后开灯", "每天晚上八点关灯" (`time`, `repeat`; a day
    without a clock, "明天把窗户打开", leaves `Hints.date` for the skill to ask the hour)."""
    if re.search(_NOT_ASKED, c.norm):
        return None
    found = _device(c)
    if not found or found[1] == "device.query" or c.time is None:
        return found
    score, intent, slots, *rest = found
    hints = rest[0] if rest else Hints()
    t = c.time
    slots = {**slots, **({"time": t.iso()} if t.when else {}), **({"repeat": t.repeat} if t.repeat else {})}
    if not t.when and t.date:
        hints = replace(hints, date=t.date.isoformat())
    return score, intent, slots, hints


def _device(c: Context):
    n = c.norm
    mine = _user_device(n, c.devices)
    generic = DEVICE_RE.search(n)
    if not mine and not generic and "的" in n:  # "车库的门" is the 车库门
        n = re.sub(r"(?<=[\u4e00-\u9fff])的(?=门|窗|灯|锁|阀)", "", n)
        mine = _user_device(n, c.devices)
        generic = DEVICE_RE.search(n)
    if not mine and not generic:
        return _by_verb(c, n)
    if mine and not (generic and generic.end() - generic.start() > mine[2] - mine[1]):
        dev, start, end = mine
        kind, name, said = dev.kind, dev.name, n[start:end]
    elif generic:
        kind, name, said = DEVICES[generic.group(0)], None, generic.group(0)
        if said == "门锁" and re.search(r"门锁(?:了|上|好|住)", n):  # "门锁了没有": the door, locked
            said = "门"
    else:
        return None
    slots: dict = {"device": kind}
    if name:
        slots["name"] = name
    room = re.search(_room_re(c.devices), n)
    if room and not (name and room.group(0) in name):
        slots["room"] = room.group(0)
    elif not name:  # a room the lists do not know, shaped like one ("小孩房的灯", "二楼卫生间的灯")
        rm = re.search(rf"(?:把|将)?([\u4e00-\u9fff]{{1,4}}?(?:室|房|厅|间|台|库|院|楼|屋))(?:的|里的|里面的|里)"
                       rf"(?:{re.escape(said)})", n)
        if rm and not re.search(rf"^(?:{_ON}|{_OFF}|帮|给|请|所有|全部|家里|家)", rm.group(1)):
            slots["room"] = rm.group(1)
    hints = Hints(all=bool(re.search(rf"{ALL}(?:的)?(?:{re.escape(said)})|(?:{re.escape(said)})(?:全部|都)", n)))
    rest = n.replace(said, "#")  # "扫地机器人" must not read as the verb 扫地, "门锁" not as 锁

    asked = _attribute(rest, kind, _asks(c.canon))
    if asked:
        return TYPICAL if asked == "on" and not re.search(r"开着|关着|亮着|开了|关了|在开|在运行", rest) else EXACT, \
            "device.query", {**slots, "attribute": asked}, hints
    if kind in ("tv", "media_player"):
        for pattern, action in _MEDIA:
            if re.search(pattern, rest):
                return EXACT, "media.control", {"action": action, **slots}
    if kind == "robot_vacuum":
        if re.search(rf"{_DOCK}|充电|回去|回家|回到|返回|回基座|归位", rest):
            return EXACT, "device.control", {**slots, "action": "dock"}, hints
        if re.search(r"暂停|停一下", rest):
            return EXACT, "device.control", {**slots, "action": "pause"}, hints
    if kind == "lock" or said == "门":
        if re.search(r"解锁|开锁|打开|开门|开开", rest):
            return EXACT, "device.control", {**slots, "device": "lock", "action": "unlock"}, hints
        if re.search(r"锁|关", rest):
            return EXACT, "device.control", {**slots, "device": "lock", "action": "lock"}, hints
        return None
    color = _COLOR_RE.search(rest)
    if color and kind == "light":
        return EXACT, "device.control", {**slots, "action": "set", "color": _COLORS[color.group(1)]}, hints
    value, unit = _value(rest, kind)
    action = None
    if value is not None and (re.search(_SET, rest) or re.search(r"设置|设定|调节|调整|#(?:的)?(?:亮度|温度|风速|位置)?(?:为|到)", rest)):
        action = "set"
    elif re.search(_UP, rest):
        action = "up"
    elif re.search(_DOWN, rest):
        action = "down"
    elif value is not None and re.search(r"#(?:温度|亮度|风速)?(?:调|开|设|定|拉|关)?(?:到|在|成)?-?\d", rest):
        action = "set"
    elif re.search(_OFF, rest) and not re.search(r"开始", rest):
        off = re.search(_OFF, rest)
        on = re.search(_ON, rest)
        action = "off" if not on or off.start() <= on.start() or on.group(0) == "开" else "on"
        if kind in ("curtain", "cover") and re.search(r"拉开", rest):
            action = "on"
    elif re.search(_ON, rest):
        action = "on"
    if action is None:
        return None
    slots["action"] = action
    if value is not None:
        slots["value"] = value
        slots["unit"] = unit
    return EXACT, "device.control", slots, hints


_PLACE = r"室内|屋里|屋子里|家里|房间里?|室温"


def room_climate(c: Context):
    """"客厅温度多少" / "卧室现在几度" / "家里湿度怎么样": a sensor's reading, not the weather."""
    rooms = _room_re(c.devices)
    known = set(_rooms(c.devices))
    if DEVICE_RE.search(c.norm):
        return None
    # "温度设置为30度" / "把卧室的温度调到26度": the room's climate device, set
    t = re.search(rf"^(?:把|将)?({rooms}|{_PLACE})?(?:的|里的)?(?:温度|室温)(?:设置|设定|调节|调整|调|设|改|定)?(?:为|到|成|在)"
                  rf"(-?\d+(?:\.\d+)?)(?:度|摄氏度|℃)", c.norm)
    if t:
        slots = {"device": "air_conditioner", **({"room": t.group(1)} if t.group(1) in known else {}),
                 "action": "set", "value": as_json_number(to_number(t.group(2))), "unit": "celsius"}
        return EXACT, "device.control", slots
    m = re.search(rf"({rooms}|{_PLACE})(?:的|里|里面)?(?:现在|目前)?(?:的)?(温度|湿度|多少度|几度|热不热|冷不冷)", c.norm)
    if not m or re.search(_SET + "|" + _UP + "|" + _DOWN, c.norm):
        return None
    slots = {"device": "sensor", "attribute": "humidity" if m.group(2) == "湿度" else "temperature"}
    if m.group(1) in known:
        slots["room"] = m.group(1)
    return EXACT, "device.query", slots


def _value(rest: str, kind: str) -> tuple[float | int | None, str | None]:
    if kind in ("curtain", "cover", "valve") and re.search(r"一半", rest):
        return 50, "percent"
    rest = re.sub(r"百分之(\d+(?:\.\d+)?)", r"\1%", rest)  # "百分之50": ITN leaves mixed forms alone
    vm = re.search(r"(-?\d+(?:\.\d+)?|[一二两三四五六七八九十]+)(度|%|档|级)", rest) or \
        re.search(r"(?:温度|亮度|风速)(?:调到|设为|到|为)?(-?\d+(?:\.\d+)?)", rest)
    if not vm and kind in ("curtain", "cover", "valve", "light"):  # "热水阀门设置到100": a position, in %
        bare = re.search(r"(?:到|为|成)(\d+(?:\.\d+)?)$", rest)
        return (as_json_number(to_number(bare.group(1))), "percent") if bare else (None, None)
    if not vm:
        return None, None
    value = as_json_number(to_number(vm.group(1)))
    suffix = vm.group(2) if vm.lastindex and vm.lastindex >= 2 else ("度" if "温度" in vm.group(0) else "%")
    unit = {"度": "celsius", "%": "percent", "档": "level", "级": "level"}[suffix]
    if suffix == "度" and kind == "light":
        unit = "percent"
    return value, unit


def _attribute(rest: str, kind: str, question: bool) -> str | None:
    """What a question about the device asks ("开着吗" → on), or None when it is no question."""
    if not (question or re.search(_QUESTION, rest)) and not re.search(r"(?:温度|湿度|亮度)(?:是)?多少|多少度|几度", rest):
        return None
    if re.search(r"湿度", rest) or kind == "sensor" and "湿度" in rest:
        return "humidity"
    if kind == "sensor":
        return "temperature"
    if re.search(r"温度|多少度|几度|热不热|冷不冷", rest):
        return "temperature"
    if re.search(r"亮度|多亮", rest):
        return "brightness"
    if re.search(r"开了多少|开多大|开到多少|位置", rest):
        return "position"
    if kind == "lock" or re.search(r"锁", rest):
        return "locked"
    if kind in ("curtain", "cover", "valve"):
        return "open"
    if re.search(r"开着|关着|亮着|开了|关了|关没关|开没开|在开|在运行|在转|在工作|打开|关闭|开|关|亮", rest):
        return "on"
    return None
