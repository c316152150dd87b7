"""Text clean-up of raw Whisper output: script, punctuation, loops and known hallucinations.

Rules, applied per segment in this order:

1. **Simplified script**: OpenCC `t2s` (deterministic; unlike a Simplified prompt it costs no accuracy).
2. **Loops**: a unit of 2+ characters repeated 3+ times in a row, or one character 5+ times, is cut to one
   occurrence ("喇叭喇叭喇叭" → "喇叭"). The engine first retries such a decode (full window, then
   temperature fallback); the cut is the last resort.
3. **Hallucination blacklist**: a segment that, without punctuation and spaces, consists only of phrases
   Whisper is known to invent on silence, music or noise (subtitle credits, "作词/作曲", "谢谢观看",
   "请订阅", channel names) is dropped. See `HALLUCINATIONS`. Earlier lines of defence are the VAD gate and
   the no-speech / log-probability checks in the engine.
4. **Chinese punctuation**: ASCII , ? ! : ; and a sentence-final . become ，？！：；。 next to Chinese text;
   a space between two Chinese characters becomes "，" (Whisper marks pauses with spaces); spaces
   between Chinese and Latin/digits are removed, spaces inside Latin text kept; a segment with Chinese in
   it that does not end in punctuation gets "。" (or "？" after 吗/呢 questions).
"""

from __future__ import annotations

import re
import unicodedata
import zlib

from voice.text.script import to_simplified

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_IS_CJK = re.compile(f"[{_CJK}]")

# Phrases Whisper produces on non-speech (collected from public issue trackers of Whisper/faster-whisper
# and seen on the noise clips here). Matched against the whole segment, never inside real speech.
HALLUCINATIONS = [
    r"字幕(由|提供|製作|制作|组|翻译|校对)?.*",
    r".*amara\.?org.*",
    r"(中文)?字幕(by|由)?.*",
    r"作[词詞](\s*[:：]?.*)?",
    r"作曲(\s*[:：]?.*)?",
    r"(作词|作曲|编曲|演唱|词|曲)+",
    r"(谢谢|感谢|多谢)(大家|各位)?(的)?(观看|收看|收听|聆听)(本期视频)?",
    r"请(不吝)?(点赞|订阅|转发|打赏|关注)+.*",
    r".*(订阅|点赞)(我的)?(频道|栏目).*",
    r".*明镜(与|和)点点栏目.*",
    r"(优优独播剧场|yoyo television series exclusive).*",
    r"(本期)?视频就(到|讲到)这里.*",
    r"下(集|期)再见",
    r"我们下(期|次)再见",
    # English credits Whisper also invents on noise, even with language="zh" (matched without spaces)
    r"thank(s|you)(all|somuch|verymuch|everyone)?forwatching.*",
    r"(please)?(likeand)?subscribe.*",
    r"subtitles?by.*",
]
_HALLUCINATION = re.compile("|".join(f"(?:{p})" for p in HALLUCINATIONS), re.IGNORECASE)
# A filler alone is what Whisper says over noise, and also a real short reply (嗯, 哦): dropped only where
# nothing says it was speech.
_FILLER = re.compile(r"(嗯|啊|呃|哦|噢|唔)+")


def join_text(before: str, after: str) -> str:
    """Two consecutive pieces of transcript: a space only between two Latin words or numbers."""
    if before and before[-1].isascii() and before[-1].isalnum() and after[:1].isascii() and after[:1].isalnum():
        return before + " " + after
    return before + after


def join_texts(texts) -> str:
    """Consecutive pieces of transcript joined with `join_text`."""
    out = ""
    for t in texts:
        out = join_text(out, t)
    return out


def compression_ratio(text: str) -> float:
    """Whisper's repetitiveness measure: UTF-8 bytes over zlib-compressed bytes."""
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0


_LOOP_UNIT = re.compile(r"(.{2,20}?)\1{2,}", re.DOTALL)
_LOOP_CHAR = re.compile(r"(.)\1{4,}", re.DOTALL)


def _strip_punct(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PZ")


_DOUBLED = re.compile(r"(.{3,})\1", re.DOTALL)


def has_loop(text: str) -> bool:
    bare = _strip_punct(text)
    return bool(_LOOP_UNIT.search(bare) or _LOOP_CHAR.search(bare) or _DOUBLED.search(bare))


def cut_loops(text: str) -> str:
    """Collapse repeated units to one occurrence, tolerating punctuation/spaces between repeats."""
    text = re.sub(r"(\S)\1{4,}", r"\1", text)
    sep = r"[\s，,。、！？!?]*"
    return re.sub(rf"(\S{{2,20}}?)(?:{sep}\1){{2,}}", r"\1", text)


def is_hallucination(text: str, speech: bool = False) -> bool:
    """`speech`: the VAD found speech here and Whisper agrees (low no-speech probability): a lone filler is
    then a reply, not noise."""
    bare = _strip_punct(to_simplified(text)).lower()
    return not bare or bool(_HALLUCINATION.fullmatch(bare)) or (not speech and bool(_FILLER.fullmatch(bare)))


_ASCII_TO_CN = {",": "，", "?": "？", "!": "！", ":": "：", ";": "；"}
_END = set("。？！…")
_CLOSED = _END | set("，：；、」』”’）)\"'")  # a sentence ending in these gets no extra 。


def punctuate(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip() if _needs_nfkc(text) else text.strip()
    out: list[str] = []
    n = len(text)
    for i, ch in enumerate(text):
        prev = out[-1] if out else ""
        nxt = text[i + 1] if i + 1 < n else ""
        if ch in _ASCII_TO_CN and (_IS_CJK.match(prev or " ") or _IS_CJK.match(nxt or " ")):
            out.append(_ASCII_TO_CN[ch])
        elif ch == "." and _IS_CJK.match(prev or " ") and not nxt.isdigit():
            out.append("。")
        elif ch.isspace():
            if not prev or prev.isspace():
                continue
            if _IS_CJK.match(prev) and _IS_CJK.match(nxt or " "):
                out.append("，")
            elif _IS_CJK.match(prev) or _IS_CJK.match(nxt or " ") or prev in "，。？！：；、":
                continue
            else:
                out.append(" ")
        else:
            out.append(ch)
    result = "".join(out).strip()
    result = re.sub(r"([，。？！：；、])[，。？！：；、]+", r"\1", result)
    result = result.lstrip("，。：；、")
    if result and _IS_CJK.search(result) and result[-1] not in _CLOSED:
        result += "？" if result[-1] in "吗呢" else "。"
    elif result and result[-1] in "，：；、":
        result = result[:-1] + "。"
    return result


def _needs_nfkc(text: str) -> bool:
    # Full-width ASCII (Ｈｅｌｌｏ, １２３) folds to half-width; Chinese punctuation is left alone.
    return any("\uff10" <= ch <= "\uff5a" for ch in text)


def clean_segment(raw: str, speech: bool = False) -> str:
    """Steps 1–4 on one segment; returns "" for a segment that must be dropped (`speech`: see
    `is_hallucination`)."""
    text = to_simplified(raw)
    if has_loop(text):
        text = cut_loops(text)
    if is_hallucination(text, speech):
        return ""
    return punctuate(text)
