"""Small talk answered on the device, instantly and not always with the same words; a traffic question
answered honestly; what to say when nothing understood it and no LLM is configured.

Each topic has several answers, given in turn (the count is kept in the store), so asking again gets another
one. The jokes are written here to work when heard: short, the point in the last words, no puns on writing.
"""

from __future__ import annotations

import re

from voice.nlu.types import Intent, Reply
from voice.skills.base import SkillContext

_JOKES = (
    "闹钟跟我说：每天早上我都叫你，你每天都按掉我。我说：这就叫，有缘无分。",
    "我问体重秤：你能不能说句好听的？体重秤想了半天，说：你……真是个实在人。",
    "小蜗牛问妈妈：为什么我们要背着壳走路？妈妈说：因为房子太贵，只能自己带着。",
    "同事问我：周末干什么了？我说：躺着。他问：那周一呢？我说：周一最累，得上班休息一下。",
    "我对冰箱说：你怎么总是那么冷静？冰箱说：心里装的事太多，只能先冻起来。",
    "朋友说要减肥，晚饭只吃一个苹果。后来他又补了一句：饭后再吃。",
)
_TOPICS = (
    ("name", r"你是谁|你叫什么|名字", ("我是你的语音助手，在本机运行，不联网也能用。",
                                    "我是住在这台设备里的语音助手，你可以随时叫我。")),
    ("abilities", r"你会|你能|功能", ("我可以定闹钟、设提醒、计时、查日期、算数、换算单位、控制家电、播放本地音乐，还能打电话发消息。",
                                  "比如你可以说：明天早上七点叫我起床，或者：把客厅的灯关了。")),
    ("thanks", r"谢谢|多谢|辛苦", ("不客气。", "不用谢，随时叫我。", "应该的。")),
    ("night", r"晚安", ("晚安，做个好梦。", "晚安，明天见。")),
    ("bye", r"再见|拜拜", ("再见。", "好的，回头见。")),
    ("morning", r"早上好|早安|^早$", ("早上好！", "早！今天也加油。")),
    ("afternoon", r"中午好|下午好", ("下午好！",)),
    ("evening", r"晚上好", ("晚上好！",)),
    ("joke", r"笑话", _JOKES),
    ("mood", r"无聊|心情不好|累", ("辛苦了，要不要听首歌放松一下？", "那就歇一会儿吧，要我放点轻音乐吗？")),
    ("praise", r"爱你|喜欢你|真棒|聪明|厉害|可爱|夸", ("谢谢，我会继续努力的。", "被你夸得有点不好意思了。")),
    ("how", r"过得|怎么样|好吗|还好吗|好不好", ("我挺好的，谢谢关心。你今天怎么样？", "一切正常，随时待命。你呢？",
                                          "还不错，今天帮你做点什么？")),
    ("likes", r"喜欢", ("我不用吃饭，不过听说饺子很受欢迎。你喜欢什么？", "我喜欢听你说话，尤其是说清楚的时候。",
                      "我最喜欢把事情办好。")),
    ("age", r"几岁|多大", ("我还很年轻，每天都在学习。",)),
    ("what", r"机器人|男的|女的", ("我是一个语音助手。",)),
    ("here", r"在吗|在不在", ("我在，请说。", "在呢。")),
    ("home", r"回来了", ("欢迎回家！", "回来啦，辛苦了。")),
    ("out", r"出门了", ("路上注意安全。", "好的，早点回来。")),
)
_OTHERWISE = ("你好，有什么可以帮你？", "我在，请说。")


def _in_turn(ctx: SkillContext, topic: str, answers: tuple[str, ...]) -> str:
    return answers[ctx.store.bump(f"chitchat:{topic}", ctx.now) % len(answers)]


def chitchat(intent: Intent, ctx: SkillContext) -> Reply:
    for topic, pattern, answers in _TOPICS:
        if re.search(pattern, intent.normalized):
            return Reply(_in_turn(ctx, topic, answers))
    return Reply(_in_turn(ctx, "other", _OTHERWISE))


def traffic_query(intent: Intent, ctx: SkillContext) -> Reply:
    dest = intent.slots.get("destination")
    where = "回家的路上" if dest == "家" else f"去{dest}的路上" if dest else "路上"
    go = "导航回家" if dest == "家" else f"导航去{dest}" if dest else "导航去某个地方"
    text = f"我这里没有实时路况，说不准{where}堵不堵。可以说“{go}”，地图会按路况规划路线。"
    return Reply(text, action={"type": "traffic.query", **({"destination": dest} if dest else {})})


def dismiss(intent: Intent, ctx: SkillContext) -> Reply:
    """没事了 / 退下吧: nothing is said; the host may end the conversation."""
    return Reply("", action={"type": "dialog.end"})


_CAN_DO = ("这个我还不会。我可以定闹钟、计时、查天气、控制家电、放音乐，比如说：明天早上七点叫我起床。",
           "这个我还帮不上忙。你可以让我设提醒、算数、打电话，或者问问现在几点。",
           "抱歉，这个我不会。试试说：把客厅的灯关了，或者：定一个十分钟的计时器。")


def cannot(ctx: SkillContext) -> str:
    """Without an LLM: what it can do instead, said differently each time."""
    return _in_turn(ctx, "unknown", _CAN_DO)
