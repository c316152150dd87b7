"""Numbers as said: digit strings (after ITN) or the Chinese numerals ITN leaves alone (一个, 两个, 半)."""

from __future__ import annotations

import re
from fractions import Fraction

NUM = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)"
NUM_RE = re.compile(NUM)


def to_number(text: str) -> Fraction | None:
    """'26' -> 26, '1.5' -> 3/2, '两' -> 2, '二十五' -> 25, '半' -> 1/2; None if not a number."""
    import cn2an

    text = text.strip()
    if not text:
        return None
    if text == "半":
        return Fraction(1, 2)
    if re.fullmatch(r"-?\d+(?:\.\d+)?", text):
        return Fraction(text)
    try:
        value = cn2an.cn2an(text.replace("两", "二").replace("〇", "零"), "smart")
    except (ValueError, KeyError, IndexError):
        return None
    return Fraction(str(value))


def to_int(text: str) -> int | None:
    value = to_number(text)
    return int(value) if value is not None and value.denominator == 1 else None


def as_json_number(value: Fraction | float | int, places: int = 2) -> int | float:
    """Integral values as int, others rounded to `places` decimals (JSON numbers, never strings)."""
    value = Fraction(value)
    if value.denominator == 1:
        return int(value)
    rounded = round(float(value), places)
    return int(rounded) if rounded == int(rounded) else rounded
