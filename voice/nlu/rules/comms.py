"""Phone calls and messages: a contact or a number, and what to say."""

from __future__ import annotations

import re

from voice.nlu.rules.common import EXACT, TYPICAL, Context, as_said

_NUMBER_RE = re.compile(r"^\+?\d[\d-]{2,}$")


def _contact_or_number(who: str) -> dict:
    who = re.sub(r"^(?:我的|我)(?=[\u4e00-\u9fff]{2})", "", who)
    who = re.sub(r"(?:的)?(?:手机号码|手机号|手机|电话号码|电话|座机|号码)$", "", who)
    digits = who.replace("-", "").lstrip("+")
    if _NUMBER_RE.match(who) and digits.isdigit():
        return {"number": digits}
    return {"contact": who} if who else {}


def call(c: Context):
    n = c.norm
    n = re.sub(r"(?:视频|语音|微信)(?=电话|通话)", "", n)
    patterns = [r"^给(.+?)打(?:一个|一通|个|通)?电话$", r"^(?:打电话|打个电话|拨个电话|打一个电话|打一通电话)给(.+)$",
                r"^(?:呼叫|拨打|拨通|拨|打给|联系|致电|call)(.+?)(?:的电话)?$", r"^(.+?)打(?:一个|个)?电话(?:给他|给她)?$",
                r"^打(.+?)的(?:手机|电话)$", r"^打(\+?\d[\d-]{2,})$", r"^和(.+?)(?:通话|打电话)$", r"^跟(.+?)打(?:个)?电话$"]
    for p in patterns:
        m = re.match(p, n)
        if m:
            slots = _contact_or_number(m.group(1))
            if slots:
                return EXACT, "call.dial", slots
    if re.fullmatch(r"(?:打电话|打个电话|拨号|拨打电话|我要打电话)", n):
        return TYPICAL, "call.dial", {}
    return None


_MSG = r"(?:短信|消息|信息|微信|微信消息|短消息|一条消息|条消息|个消息|一条短信|条短信|个短信|一条微信|条微信|个微信|qq消息|简讯)"


def message(c: Context):
    n = c.norm
    patterns = [rf"^给(.+?)(?:发|发送|发一|发个|发条|回)(?:一条|条|个)?{_MSG}(?:说|告诉(?:他|她)|内容是|跟(?:他|她)说|讲)?(.*)$",
                rf"^(?:发|发送|发一条|发条|发个)(?:一条|条|个)?{_MSG}(?:给|到)(.+?)(?:说|内容是|告诉(?:他|她))(.+)$",
                rf"^(?:发|发送|发一条|发条|发个)(?:一条|条|个)?{_MSG}(?:给|到)(.+)()$",
                rf"^(?:发|发送|发一条|发条|发个)(?:一条|条|个)?{_MSG}(?:告诉|通知|跟)([\u4e00-\u9fff]{{1,4}}?)(?:说)?"
                r"((?:我|你|他|她|我们|今天|明天|晚上|下午|上午|待会|等会|马上).+)$",
                r"^(?:告诉|通知|跟|和)(.+?)(?:说)(?:一声|一下)?(.+)$",
                r"^(?:告诉|通知)([\u4e00-\u9fff]{1,4}?)((?:我|你|他|她|我们|今天|明天|晚上|下午|上午|待会|等会|马上).+)$", r"^(?:用微信|微信)(?:告诉|通知|跟)(.+?)(?:说)?(.+)$",
                r"^(?:回复|回)(.+?)(?:说)(.+)$"]
    for p in patterns:
        m = re.match(p, n)
        if m:
            slots = {}
            who = m.group(1)
            if who:
                slots.update(_contact_or_number(who))
            text = as_said(c, m.group(2).strip()) if m.lastindex and m.lastindex >= 2 else ""
            if text:
                slots["text"] = text
            return EXACT, "message.send", slots
    if re.fullmatch(rf"(?:发|发送|发个|发条|发一条)(?:一条|条|个)?{_MSG}", n):
        return TYPICAL, "message.send", {}
    return None
