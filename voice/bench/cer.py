"""Character error rate with a published normalization.

Both reference and hypothesis are normalized the same way before the edit distance is taken:

1. Traditional → Simplified (OpenCC t2s); ASCII letters lower-cased; full-width forms folded (NFKC).
2. Numbers made comparable by writing Arabic digits as Chinese numerals:
   - a run of 5+ digits, or one starting with 0, is read digit by digit (phone numbers, codes);
   - a 4-digit run followed by 年 is read digit by digit (years: 2026年 → 二零二六年);
   - any other integer or decimal is read as a number (25 → 二十五, 3.5 → 三点五); `N%` → 百分之N;
   - then 幺 → 一, 两 → 二, 〇 → 零, so 幺三八 / 一三八 and 两点 / 2点 compare equal.
3. Then only CJK ideographs and the letters a–z are kept: punctuation, symbols, spaces, and also any digit
   left over, kana, Greek or full-width oddities are dropped from both sides.

CER = total edit distance / total reference characters (micro average over the clips scored).

An issue reported 41.1 % with another scorer (NFKC, t2s, `cn2an.transform(s, "an2cn")`, CJK and a–z only,
over the speech, command and mixed clips) where this bench said 35.9 %. Re-scored on the same outputs, the
two agree to the last digit on ../shared/audio (34.21 % and 36.84 % for two engines' outputs, both scorers):
the gap came from comparing different runs. Plain faster-whisper samples at temperature > 0 when its
fallback triggers, so two of its runs differed by 3 points here (33.9 % and 36.8 %); `voice bench asr` now
seeds CTranslate2's sampler so its baseline repeats. Step 3 is the stricter character filter of the two.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

_DIGITS = "零一二三四五六七八九"
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)(%?)(年?)")
_FOLD = str.maketrans({"幺": "一", "两": "二", "〇": "零"})


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def _spell_digits(digits: str) -> str:
    return "".join(_DIGITS[int(d)] for d in digits)


def _number_to_chinese(match: re.Match) -> str:
    import cn2an

    number, percent, year = match.groups()
    if "." not in number and (len(number) >= 5 or (len(number) > 1 and number[0] == "0")):
        spoken = _spell_digits(number)
    elif year and len(number) == 4:
        spoken = _spell_digits(number)
    else:
        spoken = cn2an.an2cn(number)
    return ("百分之" + spoken if percent else spoken) + year


def normalize_for_cer(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _t2s().convert(text).lower()
    text = _NUMBER.sub(_number_to_chinese, text)
    text = text.translate(_FOLD)
    return "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "a" <= ch <= "z")


def edit_distance(ref: str, hyp: str) -> int:
    return Levenshtein.distance(ref, hyp)


def cer(refs: list[str], hyps: list[str]) -> float:
    """Micro-averaged CER over pairs, after `normalize_for_cer`."""
    errors = total = 0
    for ref, hyp in zip(refs, hyps, strict=True):
        r, h = normalize_for_cer(ref), normalize_for_cer(hyp)
        errors += edit_distance(r, h)
        total += len(r)
    return errors / total if total else 0.0


_T2S_CHANGED: dict[str, bool] = {}


def traditional_chars(text: str) -> int:
    """Characters that OpenCC t2s would change (i.e. Traditional-only forms)."""
    converter = _t2s()
    count = 0
    for ch in text:
        if ch not in _T2S_CHANGED:
            _T2S_CHANGED[ch] = converter.convert(ch) != ch
        count += _T2S_CHANGED[ch]
    return count
