"""Small talk answered on the device, instantly (the LLM is only for open questions)."""

from __future__ import annotations

import re

from voice.nlu.types import Intent, Reply
from voice.skills.base import SkillContext

_ANSWERS = (
    (r"你是谁|你叫什么|名字", "我是你的语音助手，在本机运行，不联网也能用。"),
    (r"你会|你能|功能", "我可以定闹钟、设提醒、计时、查日期、算数、换算单位、控制家电、播放本地音乐，还能打电话发消息。"),
    (r"谢谢|多谢|辛苦", "不客气。"),
    (r"晚安", "晚安，做个好梦。"),
    (r"再见|拜拜", "再见。"),
    (r"早上好|早安|^早$", "早上好！"),
    (r"中午好|下午好", "下午好！"),
    (r"晚上好", "晚上好！"),
    (r"笑话", "为什么程序员分不清万圣节和圣诞节？因为Oct 31等于Dec 25。"),
    (r"无聊|心情不好|累", "辛苦了，要不要听首歌放松一下？"),
    (r"爱你|喜欢你|真棒|聪明|厉害|可爱|夸", "谢谢，我会继续努力的。"),
    (r"几岁|多大", "我还很年轻，每天都在学习。"),
    (r"机器人|男的|女的", "我是一个语音助手。"),
    (r"在吗|在不在", "我在，请说。"),
    (r"回来了", "欢迎回家！"),
    (r"出门了", "路上注意安全。"),
)


def chitchat(intent: Intent, ctx: SkillContext) -> Reply:
    for pattern, answer in _ANSWERS:
        if re.search(pattern, intent.normalized):
            return Reply(answer)
    return Reply("你好，有什么可以帮你？")
