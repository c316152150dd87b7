"""Text the matcher sees: one canonical form of what the user said.

Rules, in order (each tested in tests/unit/test_nlu_normalize.py):
1. Traditional → Simplified (OpenCC t2s), NFKC (full-width letters, digits and punctuation → ASCII);
   "H.MM" right after a part of the day (早上6.40, Whisper's way of writing 六点四十) → "H:MM".
2. Inverse text normalization (`voice.text.itn`): spoken numbers, times, dates, percentages → digits.
3. Letters lower-cased; spaces and punctuation removed, except inside numbers (``3:30``, ``1.5``, ``-5``)
   and arithmetic signs.
4. Politeness and filler removed: leading 请/麻烦你/帮我/你帮我/能不能/可以/我想/我要…, trailing particles
   吧/呢/啊/呀/哈/嘛/哦/啦/吗 (了 only after 点/号: 几点了), and 一下 anywhere.
"""

from __future__ import annotations

import re
import unicodedata

from voice.text.script import to_simplified

_KEEP = r"0-9a-z\u3400-\u9fff%+\-*/×÷=:.°℃"
_DROP_RE = re.compile(rf"[^{_KEEP}]")
_LEADING = re.compile(
    r"^(?:小助手|助手|嘿|嗨(?=[^你])|喂|那个|嗯|呃|"
    r"请问|请你?|麻烦(?:你|您)?|劳驾|你?帮(?:我|忙)|您?帮我|能不能|能否|可不可以|可以|你能|你可以|"
    r"我想要|我想|我要|我需要|我得|给我(?=[来放播设定订打开调])|替我)+")
_TRAILING = re.compile(r"(?:吧|呢|啊|呀|哈|嘛|哦|喔|啦|吗|(?<=[点号])了|好吗|好不好|行吗|可以吗|谢谢|谢啦)+$")
_FILLER = re.compile(r"一下(?:子)?")


def canonical(text: str, *, numbers: bool = True) -> str:
    """Steps 1–3: script, width, numbers (unless `numbers=False`), punctuation (keeps every word)."""
    from voice.text.itn import itn

    text = unicodedata.normalize("NFKC", to_simplified(text or ""))
    text = text.replace("：", ":").replace("。", " ").lower()
    text = re.sub(r"(?<=\d)\s*[:：]\s*(?=\d)", ":", text)
    # Whisper writes 六点四十 as "6.40": after a part of the day it is a clock time, not a decimal
    text = re.sub(r"(?<=早上|上午|中午|下午|晚上|凌晨|傍晚|夜里|今晚|明早|明晚)(\d{1,2})\.([0-5]\d)(?!\d)", r"\1:\2", text)
    text = re.sub(r":(?!\d)|(?<!\d):", " ", text)
    if numbers:
        text = itn(text)
    # ITN may leave "." as a full stop at the end; keep it only between digits.
    text = re.sub(r"\.(?!\d)|(?<!\d)\.", " ", text)
    return _DROP_RE.sub("", text)


def strip_politeness(text: str) -> str:
    """Step 4 on canonical text; never strips the text to nothing."""
    out = _FILLER.sub("", text)
    for _ in range(2):
        out = _LEADING.sub("", out)
        out = _TRAILING.sub("", out)
    return out or text


def normalize(text: str) -> str:
    return strip_politeness(canonical(text))
