"""Things only the host platform can do (calls, messages, navigation, apps): a structured
action for the host, and an honest reply that says what was asked of it."""

from __future__ import annotations

from voice.nlu.types import Intent, Reply
from voice.skills.base import SkillContext


def call_dial(intent: Intent, ctx: SkillContext) -> Reply:
    s = intent.slots
    if "number" in s:
        return Reply(f"正在呼叫{s['number']}", action={"type": "call.dial", "number": s["number"]})
    if "contact" not in s:
        return Reply("要打给谁？", expects="contact")
    contact = ctx.profile.find_contact(s["contact"])
    if contact is None or not contact.phone:
        return Reply(f"通讯录里没有找到{s['contact']}的电话。",
                     action={"type": "call.dial", "contact": s["contact"], "resolved": False})
    return Reply(f"正在呼叫{s['contact']}", action={"type": "call.dial", "contact": contact.name,
                                                  "number": contact.phone, "resolved": True})


def message_send(intent: Intent, ctx: SkillContext) -> Reply:
    s = intent.slots
    if "contact" not in s and "number" not in s:
        return Reply("要发给谁？", expects="contact")
    if not s.get("text"):
        return Reply("要发送什么内容？", expects="text")
    who = s.get("contact") or s.get("number")
    contact = ctx.profile.find_contact(s["contact"]) if "contact" in s else None
    action = {"type": "message.send", "to": contact.name if contact else who, "text": s["text"]}
    if contact and contact.phone:
        action["number"] = contact.phone
    elif "number" in s:
        action["number"] = s["number"]
    return Reply(f"好的，发给{who}：{s['text']}", action=action)


def navigation_start(intent: Intent, ctx: SkillContext) -> Reply:
    dest = intent.slots.get("destination")
    if not dest:
        return Reply("要去哪里？", expects="destination")
    return Reply(f"好的，开始导航去{dest}", action={"type": "navigation.start", "destination": dest})


def app_open(intent: Intent, ctx: SkillContext) -> Reply:
    app = intent.slots["app"]
    return Reply(f"好的，正在打开{app}", action={"type": "app.open", "app": app})
