"""Is an utterance finished? The grammar's answer, used to end a turn early or to wait for the rest.

`completeness(text, intent)` is "complete" for a confident command or question with everything its skill
needs (打开客厅的灯, 现在几点, 三加五等于几), "incomplete" for words that cannot end a sentence (帮我定一个,
打开客厅的, 给妈妈打, a trailing 的/在/和/然后, a question word with nothing after it) or a command still
missing what its skill would ask for (定一个闹钟 without a time), and "unknown" otherwise (the caller keeps
its usual rule). `verdict(text, understanding)` applies it to what the NLU made of the heard text (voice.nlu.understand):
a reading the audio check accepted is judged as what it says; when the NLU could not decide what was said (it
would ask back), the verdict is "doubtful", and the loop waits as for a fragment: the rest may settle it.
Used by the live loop (voice.pipeline.loop) on the speculative transcript.
"""

from __future__ import annotations

import re

from voice.nlu.types import Intent

# Words a Mandarin sentence does not end on: structural particles, conjunctions, openers, operators and verbs
# waiting for their object.
DANGLING = (
    "的", "和", "跟", "与", "及", "或", "或者", "还有", "然后", "而且", "但是", "不过", "因为", "所以", "如果",
    "要是", "以及", "比如", "就是", "那么", "把", "帮我", "帮忙", "请", "麻烦", "我想", "我要", "想要", "一个", "一下子",
    "那个", "这个", "嗯", "呃", "乘以", "除以", "加上", "减去", "等于", "调到", "调成", "设为", "设置为", "导航到",
    "导航去", "打给", "发给", "想听", "要听", "想看", "我想知道", "请问", "我问你", "问一下", "想问一下",
)
# Verbs and prepositions that also end nouns (空调, 现在) or sentences whose object came first (暂停播放,
# 把灯关掉): a fragment only when the parse is no complete command either (给妈妈打, 告诉我 …).
DANGLING_IF_UNPARSED = ("播放", "打开", "关闭", "关掉", "提醒我", "告诉我", "一下", "在", "给", "对", "从", "到", "往", "向", "个", "打", "发", "叫", "设", "定", "调", "放", "查",
                        "去", "用", "是", "有", "再", "加", "减", "乘", "除")
# A bare verb is a command only with its object (播放 … 轻音乐): wait for it.
BARE_VERBS = {"播放", "打开", "关闭", "关掉", "关上", "设置", "提醒", "查询", "导航", "打电话", "发消息"}
# A question asks something: a topic alone (今天的天气, 北京天气) may be finished or may go on (…适合跑步吗).
ASKS = ("吗", "呢", "吧", "几", "多少", "什么", "怎么", "哪", "谁", "如何", "多久", "多远", "多大", "多高", "为什么",
        "会不会", "是不是", "有没有", "要不要", "能不能", "可不可以")
QUERIES = ("weather.query", "date.query", "time.query", "traffic.query", "device.query", "timer.query")
# How an unparsed sentence that is finished usually ends: a sentence-final particle or a question word.
ENDINGS = ("吗", "呢", "吧", "啊", "呀", "啦", "嘛", "什么", "怎么样", "为什么", "多少", "谁", "哪里", "哪儿", "几")
# Whole answers that end like a fragment (好的, 是的): judged by their intent, not by their last word.
ANSWERS = {"好的", "是的", "对的", "真的", "行的", "可以的", "没问题的", "对", "是", "在", "有", "要", "给"}
# A question word with nothing after it: 明天天气怎么 …, 哪 …
OPEN_QUESTION = ("怎么", "哪", "为啥")
# What a skill asks for when it is missing (see its `Reply(..., expects=...)`): said in a pause, the rest is
# probably coming. Each entry: slots of which one must be there.
REQUIRED = {
    "alarm.set": (("time",),), "timer.set": (("duration_s",),), "reminder.set": (("time",), ("text",)),
    "call.dial": (("contact", "number"),), "message.send": (("contact",), ("text",)),
    "navigation.start": (("destination",),), "calc.evaluate": (("result",),),
}
# Intents that answer or act on their own; "unknown" (the LLM path) and a bare dismissal keep the usual rule.
NOT_JUDGED = ("unknown",)
MIN_CONFIDENCE = 0.8

_PUNCT = re.compile(r"[\s，。！？、,.!?；;：:…]+$")
# Particles a fragment may trail off with (我想听啊, 帮我把了 as misheard): they do not finish it.
_TRAILING = re.compile(r"[啊呀了啦]+$")


def verdict(text: str, understood, answering: bool = False) -> str:
    """`completeness` of what `understood` (voice.nlu.understand.Understanding of `text`) acts on. A sound-alike
    reading the audio check accepted is judged as what it says (拨放 → 播放: a bare verb, so it waits), unless it
    is another n-best hypothesis differing in over half of the characters, or the words as heard already made
    sense as another intent; a reading repaired without audio (typed text, a wake phrase) is not judged either
    ("unknown": the usual rule); one it would ask about is "doubtful" (到航道: 导航到 … or a place called 航道?)."""
    if understood.decision == "corrected":
        from voice.nlu.understand import bare

        chosen, heard = understood.chosen, (understood.readings or [understood.chosen])[0]
        if chosen.acoustic is None:
            return "unknown"  # repaired from the text alone (no audio to check it against): not sure enough
        if chosen.source.startswith("n-best") and 2 * chosen.changed > len(bare(text)):
            # another hypothesis of most of the sentence (你不要乱 → 好，没关系): the recognizer was unsure what
            # was said, not of one word, so the turn is not hurried on it
            return "unknown"
        if heard.intent.intent not in ("unknown", understood.intent.intent) and not heard.flawed:
            return "unknown"  # the words as heard made sense as something else (好，没关系吧: small talk)
        return completeness(understood.text, understood.intent, answering, flawed=chosen.flawed)
    if understood.decision != "heard":
        return "doubtful"
    return completeness(text, understood.intent, answering, flawed=understood.chosen.flawed)


def completeness(text: str, intent: Intent | None, answering: bool = False, flawed: bool = False) -> str:
    """`answering`: the assistant just asked something (几点？ 要打给谁？ 您是说…吗？): a whole answer is complete.
    `flawed`: a slot holds a value nobody knows or a one-character label: a misheard fragment often parses so
    (我想听了 → music.play "了"), so it waits as a fragment."""
    bare = _PUNCT.sub("", text.strip())
    if not bare:
        return "unknown"
    if bare in ANSWERS:
        return "complete" if answering else "unknown"
    if bare.endswith(DANGLING) and not (bare.endswith("的") and "是" in bare[:-1]):  # 是…的 ends a sentence
        return "incomplete"
    core = _TRAILING.sub("", bare)
    if core != bare and core.endswith(DANGLING) and not core.endswith(("的", "就是")) and not answering:
        return "incomplete"  # 真的啊 and 就是啊 are finished; 我要啊 may answer a question
    if bare.endswith(OPEN_QUESTION) or bare in BARE_VERBS:
        return "incomplete"
    parsed = (intent is not None and intent.intent not in NOT_JUDGED and intent.confidence >= MIN_CONFIDENCE
              and not flawed)
    if not parsed and (bare.endswith(DANGLING_IF_UNPARSED) or bare.startswith("把")):
        return "incomplete"  # 把 + object still waits for its verb (把音量 … 调小一点)
    if answering:
        return "complete"
    if not parsed:
        # Whisper often mishears a fragment into words that parse as nothing (给老王发 → 记录王法): unless it
        # asks something or ends like a sentence, wait as for a fragment.
        finished = bare.endswith(ENDINGS) or any(w in bare for w in ASKS) or re.search(r"(.)不\1", bare)
        return "unknown" if finished and not _only_a_time(bare) else "incomplete"
    if intent.intent in QUERIES and not any(w in bare for w in ASKS) and not re.search(r"(.)不\1", bare):
        return "unknown"
    if any(not any(slot in intent.slots for slot in one_of) for one_of in REQUIRED.get(intent.intent, ())):
        return "incomplete"
    return "complete"

def _only_a_time(bare: str) -> bool:
    from datetime import datetime

    from voice.nlu.normalize import normalize
    from voice.nlu.timeexpr import parse_time

    norm = normalize(bare)
    t = parse_time(norm, datetime(2026, 1, 5, 12, 0))  # any fixed day: only the span matters
    return t is not None and t.start == 0 and t.end == len(norm)
