"""Content-safety filter for generated (LLM) answers before they are spoken.

Blocks answers touching a small set of harmful categories (instructions for weapons, explosives, drugs,
self-harm, sexual content involving minors, hate) and makes the rest speakable: no markdown, links, code
or emoji, and at most `max_chars` characters cut at a sentence end.
"""

from __future__ import annotations

import re

REFUSAL = "这个问题我不能回答。"
SELF_HARM_REPLY = "听起来你现在很难受。请联系身边信任的人，或拨打心理援助热线12356，你并不孤单。"

_BLOCKED = re.compile(
    r"(?:制作|制造|合成|自制|配制)(?:炸弹|炸药|爆炸物|毒品|冰毒|枪支|武器|毒药)|"
    r"(?:炸弹|炸药|冰毒|海洛因|枪支)(?:的)?(?:制作|配方|做法)|"
    r"儿童色情|幼女|种族(?:灭绝|清洗)|杀光|恐怖袭击(?:方法|计划)")
_SELF_HARM = re.compile(r"自杀(?:方法|的方法|步骤)|怎么自杀|如何自杀|割腕|结束(?:自己的)?生命的方法")
_MARKDOWN = re.compile(r"`{1,3}[^`]*`{1,3}|\*\*|__|^#+\s*|^\s*[-*]\s+|\[([^\]]*)\]\([^)]*\)", re.M)
_URL = re.compile(r"https?://\S+")
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]")


def blocked(text: str) -> str | None:
    """The reply to say instead, when `text` must not be spoken."""
    if _SELF_HARM.search(text):
        return SELF_HARM_REPLY
    if _BLOCKED.search(text):
        return REFUSAL
    return None


def speakable(text: str, max_chars: int = 150) -> str:
    text = _MARKDOWN.sub(lambda m: m.group(1) or "", text)
    text = _EMOJI.sub("", _URL.sub("", text))
    text = re.sub(r"\s*\n+\s*", "，", text.strip())
    text = re.sub(r"[，,]{2,}", "，", text).strip("，, ")
    if len(text) > max_chars:
        cut = max(text.rfind(p, 0, max_chars) for p in "。！？!?；")
        text = text[:cut + 1] if cut > max_chars // 3 else text[:max_chars] + "……"
    return text


def filter_answer(question: str, answer: str) -> str:
    """What may be spoken for `answer` to `question` (either may trigger the block)."""
    return blocked(question) or blocked(answer) or speakable(answer)
