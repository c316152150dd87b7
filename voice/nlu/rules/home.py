"""Smart-home devices: which device, which room, what to do, to which value."""

from __future__ import annotations

import re

from voice.nlu.lexicon import DEVICES, ROOMS, by_length
from voice.nlu.numbers import as_json_number, to_number
from voice.nlu.rules.common import EXACT, Context

DEVICE_RE = re.compile("|".join(by_length(DEVICES)))
_ROOM_RE = re.compile("|".join(by_length(ROOMS)))
_ON = r"打开|开启|启动|开开|点亮|亮起|拉开|开始|开一下|开着|运行|扫地|扫一下|打扫|清扫|开"
_OFF = r"关闭|关掉|关上|关了|熄灭|拉上|合上|停止|停掉|暂停|关|灭"
_SET = r"调到|调成|调为|设为|设置为|设置成|设成|设到|开到|调至|定到|设定为|设定到|调在|设置到|改到|改成|调整到|调整为"
_UP = r"调高|升高|调亮|调大|加大|增大|提高|升温|加强|高一点|亮一点|大一点|热一点|强一点|高点|亮点|大点|暖和一点|再高|再亮|再大|加热"
_DOWN = r"调低|降低|调暗|调小|减小|降温|减弱|低一点|暗一点|小一点|凉一点|弱一点|冷一点|低点|暗点|小点|凉快一点|再低|再暗|再小"


def device(c: Context):
    n = c.norm
    dm = DEVICE_RE.search(n)
    if not dm:
        return None
    name = dm.group(0)
    dev = DEVICES[name]
    slots: dict = {"device": dev}
    room = _ROOM_RE.search(n)
    if room:
        slots["room"] = room.group(0)
    else:
        rm = re.search(rf"(?:把|将)?([\u4e00-\u9fff]{{2,4}}?)(?:的|里的|里面的|里)(?:{re.escape(name)})", n)
        if rm and not re.search(rf"^(?:{_ON}|{_OFF}|帮|给|请|所有|全部|家里|家)", rm.group(1)):
            slots["room"] = rm.group(1)
    value = None
    unit = None
    vm = re.search(r"(-?\d+(?:\.\d+)?|[一二两三四五六七八九十]+)(度|%|档|级)", n) or re.search(r"(?:温度|亮度|风速)(?:调到|设为|到|为)?(-?\d+(?:\.\d+)?)", n)
    if vm:
        value = as_json_number(to_number(vm.group(1)))
        suffix = vm.group(2) if vm.lastindex and vm.lastindex >= 2 else ("度" if "温度" in vm.group(0) else "%")
        unit = {"度": "celsius", "%": "percent", "档": "level", "级": "level"}[suffix]
        if suffix == "度" and dev == "light":
            unit = "percent"
    action = None
    n = n.replace(name, "#")  # "扫地机器人" must not read as the verb 扫地
    if re.search(_SET, n) and value is not None:
        action = "set"
    elif re.search(_UP, n):
        action = "up"
    elif re.search(_DOWN, n):
        action = "down"
    elif value is not None and re.search(r"#(?:温度)?(?:调|开|设|定)?(?:到|在|成)?-?\d", n):
        action = "set"
    elif re.search(_OFF, n) and not re.search(r"开始", n):
        off = re.search(_OFF, n)
        on = re.search(_ON, n)
        action = "off" if not on or off.start() <= on.start() or on.group(0) == "开" else "on"
        if dev == "curtain" and re.search(r"拉开", n):
            action = "on"
    elif re.search(_ON, n):
        action = "on"
    if action is None:
        return None
    slots["action"] = action
    if value is not None:
        slots["value"] = value
        slots["unit"] = unit
    return EXACT, "device.control", slots
