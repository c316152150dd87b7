"""Sound-alike matching on toneless pinyin: where in an utterance a known phrase may have been misheard.

Whisper mishears short Mandarin commands mostly as near-homophones (几点→极点, 卧室→握式, 导航→倒横,
播放→步防). Tones carry little weight in its mistakes, so syllables are compared without tones, split into
initial and final (y/w spelled out: 音 yin → i+n, 我 wo → u+o; j/q/x + u → ü), at four costs:

====  ==========================================================================================
0     the same toneless syllable (握式 = 卧室, 十 = 时)
0.2   the same after folding the documented near confusions:
      initials zh/z, ch/c, sh/s, n/l, f/h; finals an/ang, en/eng, in/ing, ian/iang, uan/uang
      (so 十/是/四 and 首/手/搜 differ by at most this)
0.5   one part the same, the other a neighbour: initials in one articulation group (b/p, d/t, g/k,
      j/q/x, z/c/s, zh/ch/sh, m/n/l, r/l), finals an/en, ong/eng, o/u/uo, ao/ou, ei/ie, ai/ei, i/ü,
      in/ian, uen/en, iou/ou
0.8   one part the same, the other unrelated
1     otherwise
====  ==========================================================================================

A phrase matches a span of the same length when the summed cost is at most `max_cost(n)` and at least one
syllable is the same (an anchor): of two syllables one may be a neighbour (≤ 0.5), of three one may be
unrelated, of five two. Whether the rewrite is
right is not decided here: `voice.nlu.understand` keeps it only if it makes a better command and the audio
supports it. Characters that are not Chinese (digits, letters) never match anything but themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r", "z",
             "c", "s")
_FOLD_INITIAL = {"zh": "z", "ch": "c", "sh": "s", "n": "l", "f": "h"}
_FOLD_FINAL = {"ang": "an", "eng": "en", "ing": "in", "iang": "ian", "uang": "uan"}
_INITIAL_GROUPS = ({"b", "p"}, {"d", "t"}, {"g", "k"}, {"j", "q", "x"}, {"z", "c", "s"}, {"zh", "ch", "sh"},
                   {"m", "n", "l"}, {"r", "l"})
# on folded finals
_FINAL_NEIGHBOURS = ({"an", "en"}, {"ong", "en"}, {"o", "u", "uo"}, {"ao", "ou"}, {"ei", "ie"}, {"ai", "ei"},
                     {"i", "v"}, {"in", "ian"}, {"uen", "en"}, {"iou", "ou"})
_HAN = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=4096)
def split(syllable: str) -> tuple[str, str]:
    """Toneless pinyin → (initial, final), with y/w written out ("yin" → ("", "in"), "wo" → ("", "uo"))."""
    s = syllable.replace("ü", "v")
    if s.startswith("y"):
        rest = s[1:]
        if rest.startswith("u"):
            return "", "v" + rest[1:]
        return "", rest if rest.startswith("i") else "i" + rest
    if s.startswith("w"):
        rest = s[1:]
        return "", rest if rest.startswith("u") else "u" + rest
    for ini in _INITIALS:
        if s.startswith(ini):
            final = s[len(ini):]
            if ini in ("j", "q", "x") and final.startswith("u"):
                final = "v" + final[1:]
            final = {"iu": "iou", "ui": "uei", "un": "uen"}.get(final, final)
            return ini, final
    return "", s


def _fold(part: str, table: dict[str, str]) -> str:
    return table.get(part, part)


def _neighbours(a: str, b: str, groups) -> bool:
    return any(a in g and b in g for g in groups)


@lru_cache(maxsize=65536)
def syllable_cost(a: str, b: str) -> float:
    """0 … 1: how easily Whisper hears toneless syllable `a` as `b` (see the module's table)."""
    if a == b:
        return 0.0
    (ia, fa), (ib, fb) = split(a), split(b)
    ia, ib = _fold(ia, _FOLD_INITIAL), _fold(ib, _FOLD_INITIAL)
    fa, fb = _fold(fa, _FOLD_FINAL), _fold(fb, _FOLD_FINAL)
    same_i, same_f = ia == ib, fa == fb
    if same_i and same_f:
        return 0.2
    if same_i and _neighbours(fa, fb, _FINAL_NEIGHBOURS) or same_f and _neighbours(ia, ib, _INITIAL_GROUPS):
        return 0.5
    if same_i or same_f:
        return 0.8
    return 1.0


@lru_cache(maxsize=8192)
def _readings(char: str) -> tuple[str, ...]:
    from pypinyin import Style, pinyin

    if not _HAN.match(char):
        return (char.lower(),)
    return tuple(dict.fromkeys(pinyin(char, style=Style.NORMAL, heteronym=True)[0]))


@lru_cache(maxsize=4096)
def syllables(text: str, heard: bool = True) -> tuple[tuple[str, ...], ...]:
    """Per character, its toneless readings. Heard text gets the reading in context and then every other
    reading of the character (a misheard word has no context to choose from); a known phrase (`heard=False`)
    only its reading in context. Non-Chinese characters stand for themselves."""
    from pypinyin import Style, lazy_pinyin

    in_context = lazy_pinyin(text, style=Style.NORMAL, errors=lambda chunk: list(chunk))
    if len(in_context) != len(text):  # pypinyin merged something: fall back to one character at a time
        in_context = [_readings(ch)[0] for ch in text]
    if not heard:
        return tuple((ctx.lower(),) for ctx in in_context)
    return tuple(tuple(dict.fromkeys((ctx.lower(), *_readings(ch)))) for ch, ctx in zip(text, in_context))


def char_cost(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    return min(syllable_cost(x, y) for x in a for y in b)


def max_cost(n: int) -> float:
    """The most a phrase of n syllables may differ and still be a candidate."""
    return {1: 0.5, 2: 0.6, 3: 1.0, 4: 1.3}.get(n, 0.35 * n)


@dataclass(frozen=True)
class Match:
    start: int  # span in the utterance (character offsets)
    end: int
    phrase: str  # the known phrase it may have been
    cost: float  # summed syllable cost

    @property
    def heard(self) -> int:
        return self.end - self.start


def distance(heard: str, phrase: str) -> float | None:
    """Summed syllable cost of `heard` against `phrase` (same length), or None when not comparable."""
    if len(heard) != len(phrase):
        return None
    a, b = syllables(heard), syllables(phrase, heard=False)
    return sum(char_cost(x, y) for x, y in zip(a, b))


def sounds_like(heard: str, phrase: str) -> bool:
    """True when `heard` is a candidate mishearing of `phrase` (cost and anchor rules above)."""
    if heard == phrase:
        return True
    d = distance(heard, phrase)
    if d is None or d > max_cost(len(phrase)):
        return False
    a, b = syllables(heard), syllables(phrase, heard=False)
    return len(phrase) == 1 or any(char_cost(x, y) == 0 for x, y in zip(a, b))


def find(text: str, phrases, values: dict[str, tuple[int, int]] | None = None) -> list[Match]:
    """Every span of `text` that may be a mishearing of one of `phrases` (never the phrase itself), cheapest
    first. Spans over non-Chinese characters are skipped: digits and letters are kept as heard.
    `values` marks phrases made of a trigger and a value (给妈妈: the value is [1, 3)): the value part must
    also match on its own terms, so that the longer phrase loosens only the trigger (姐妈妈 → 给妈妈, but
    not 打开未来 → 打开微信)."""
    values = values or {}
    index = _index(tuple(phrases))
    sy = syllables(text)
    han = [bool(_HAN.match(ch)) for ch in text]
    pairs: set[tuple[str, int]] = set()
    for j, readings in enumerate(sy):
        if not han[j]:
            continue
        for r in readings:
            for phrase, k in index.anchors.get(r, ()):
                if 0 <= j - k <= len(text) - len(phrase):
                    pairs.add((phrase, j - k))
    for phrase in index.single:
        pairs.update((phrase, j) for j in range(len(text)) if han[j])
    found: list[Match] = []
    for phrase, start in pairs:
        n = len(phrase)
        span = text[start:start + n]
        if span == phrase or not all(han[start:start + n]):
            continue
        target = index.syllables[phrase]
        limit = max_cost(n)
        total = 0.0
        for x, y in zip(sy[start:start + n], target):
            total += char_cost(x, y)
            if total > limit:
                break
        if total <= limit and phrase in values:
            a, b = values[phrase]
            part = sum(char_cost(x, y) for x, y in zip(sy[start + a:start + b], target[a:b]))
            if part > max_cost(b - a):
                continue
        if total <= limit:
            found.append(Match(start, start + n, phrase, round(total, 3)))
    found.sort(key=lambda m: (m.cost / (m.end - m.start), -(m.end - m.start), m.start, m.phrase))
    return found


@dataclass(frozen=True)
class _Index:
    syllables: dict  # phrase → its syllables
    anchors: dict  # toneless syllable → ((phrase, offset), …): a phrase of two or more needs one exact syllable
    single: tuple[str, ...]  # one-syllable phrases (no anchor to look up)


@lru_cache(maxsize=16)
def _index(phrases: tuple[str, ...]) -> _Index:
    table = {p: syllables(p, heard=False) for p in phrases if p}
    anchors: dict[str, list] = {}
    for phrase, sy in table.items():
        if len(phrase) < 2:
            continue
        for k, (r,) in enumerate(sy):
            anchors.setdefault(r, []).append((phrase, k))
    return _Index(table, {k: tuple(v) for k, v in anchors.items()}, tuple(p for p in table if len(p) == 1))
