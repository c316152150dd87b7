"""From what the recognizer heard to what the user meant: n-best, sound-alike repair, a check against the audio.

1. Readings: the recognizer's best text, its other beam hypotheses, sound-alike rewrites of the best text
   (one or two spans that may be a misheard known word, `voice.nlu.phonetic` over `voice.nlu.vocabulary`),
   the same rewrites of the first alternative (it may have right a word the best text has wrong: 灯关了 in
   把握式的灯关了 → 把卧室的灯关了; verified only when no first-hand reading takes the place), and, in a short utterance that was not understood or is flawed, the text without its first syllable
   (以上一首, 大家里的灯).
   When none of these is better, an unknown utterance of three to six syllables is compared as a whole with
   short commands people say as they are (`Vocabulary.commands`, at most `WHOLE_COMMAND_COST` per syllable):
   拔充你辣香 → 把窗帘拉上.
2. Each reading is parsed. Its quality is the parser's confidence, plus `KNOWN_BONUS` for each slot value the
   assistant knows (a contact, an app, an artist, a room…) and minus `UNKNOWN_PENALTY` for each flaw: a
   contact, app, artist, room or city nobody knows ("姐妈妈", "客厅的动"), a one-character label.
3. Only a heard reading that needs it is repaired: one not understood, under EXACT confidence, or flawed
   (a complete command in known words is never rewritten into another rule's command), or one a rewrite
   gives a value it lacked. Readings of higher quality are candidates; the best `MAX_VERIFIED` are scored
   against the audio: the forced log-probability of each text given the encoder output the recognizer already
   computed (CTranslate2 `Whisper.align`, `voice.asr.whisper.AudioScorer`). A name rewritten to an exact
   homophone is scored in the heard spelling (the audio can't tell 雷雷 from 雷蕾; Whisper's dislike of a
   rare character is no evidence against a user's name).
4. A candidate is accepted when it scores at most `ACCEPT_NATS + PER_CHANGE_NATS × changed characters` below
   the heard text; two accepted readings of different meaning the audio can't separate (< 1 nat), or one
   within `ASK_NATS` more, are asked about (您是说…吗？); otherwise the heard text stands. The margins were
   set on the bundled samples and their other voices (`voice bench understand`, `tools/misheard_cases.py
   replay --set ACCEPT_NATS=…`); a different command from the same grammar scores far lower (FACTS §3: 5–26
   nats under the right one), which is what keeps "打开未来" from becoming "打开微信".
Without audio (typed text) a rewrite is taken only when it is an exact sound-alike (cost ≤ `TEXT_ONLY_COST`)
of a reading that was not understood or named something unknown, and no other candidate competes.
An answer to the assistant's question (`expects`) is repaired only towards a known value of what was asked.

What no reading may be, the heard one included, is the precision guard's business (`voice.nlu.guard`); here
an utterance longer than `MAX_REPAIR_CHARS` is never rewritten (people do not give a voice assistant commands
that long: the longest of the spoken sets has 15, and a long sentence offers many spans that sound like
something), over `_MAX_SHORT` characters a one-syllable word is not rewritten, and the beam's alternatives
much shorter or longer than the best text (a hypothesis cut short) are not readings.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from voice.nlu import phonetic
from voice.nlu.guard import PENALIZED, flaws, incomplete, named_sensibly, plausible
from voice.nlu.parser import parse
from voice.nlu.rules.common import EXACT
from voice.nlu.types import Intent
from voice.nlu.vocabulary import Vocabulary

KNOWN_BONUS = 0.03
UNKNOWN_PENALTY = 0.03
MAX_VERIFIED = 3
ACCEPT_NATS = 4.0
PER_CHANGE_NATS = 2.5
ASK_NATS = 4.0
TEXT_ONLY_COST = 0.2
WHOLE_COMMAND_COST = 0.55  # per syllable: how far an unknown short utterance may sound from a whole command
MAX_REPAIR_CHARS = 18
_MAX_SINGLE = 10
_MAX_PAIRED = 5
_MAX_ALTERNATIVES_REWRITTEN = 1
_MAX_LENGTH_CHANGE = 0.25  # share of the best text's length an n-best alternative may differ by (at least 1)
_MAX_SHORT = 10  # utterances up to this long may have a first syllable Whisper added, or one misheard
# one-syllable word (客厅的动 → 客厅的灯); in a longer sentence a lone syllable is too weak a clue
_NAMES = ("contact", "app", "artist", "title", "city", "room", "genre", "name")
_PUNCT = re.compile(r"[\s，,。！？!?、；;：:“”\"'（）()《》…~～]+")

Scorer = Callable[[Sequence[str]], list[float]]


@dataclass
class Heard:
    """What the recognizer heard: its best text, its other hypotheses, and a way to score any text against
    the same audio (None for typed text)."""

    text: str
    alternatives: tuple[str, ...] = ()
    score: Scorer | None = None


@dataclass
class Reading:
    text: str
    intent: Intent
    source: str  # "heard", "n-best" or "sound-alike"
    changed: int = 0  # characters that differ from the heard text
    cost: float = 0.0  # summed syllable cost of a sound-alike rewrite
    quality: float = 0.0
    acoustic: float | None = None  # forced log-probability given the audio
    flaws: tuple[str, ...] = ()  # slots holding a value nobody knows, or a one-character label (see `flaws`)
    scored: str = ""  # the text scored against the audio (see `_rewrites`)

    @property
    def flawed(self) -> bool:
        return bool(self.flaws)


@dataclass
class Understanding:
    intent: Intent  # what to act on (or to ask about, when decision == "ask")
    decision: str  # "heard", "corrected" or "ask"
    chosen: Reading
    readings: list[Reading] = field(default_factory=list)
    verify_ms: float = 0.0  # time spent scoring candidates against the audio

    @property
    def text(self) -> str:
        return self.chosen.text


def bare(text: str) -> str:
    """Text as compared: no spaces or punctuation."""
    return _PUNCT.sub("", text)


def spoken(text: str) -> str:
    """Text as scored against the audio and searched for sound-alikes: digits spelled as said ("13" → "十三"),
    so that a reading with an extra syllable ("计时13分钟" for "计十三分钟") costs what that syllable costs."""
    import cn2an

    # "7:30" is said 七点三十 and "10%" 百分之十: spelled out before punctuation goes
    text = re.sub(r"(\d{1,2})[:：](\d{2})", lambda m: f"{m[1]}点" + ("" if m[2] == "00" else (
        f"零{m[2][1]}" if m[2][0] == "0" else m[2])), text)
    text = re.sub(r"(\d+(?:\.\d+)?)%", r"百分之\1", text)
    flat = bare(text)
    if not re.search(r"\d", flat):
        return flat
    try:
        return bare(cn2an.transform(flat, "an2cn"))
    except (ValueError, KeyError, IndexError):
        return flat


def quality(intent: Intent, vocabulary: Vocabulary) -> float:
    if intent.intent == "unknown":
        return 0.0
    q = intent.confidence + 0.005 * sum(k not in ("label", "text") for k in intent.slots)
    q -= UNKNOWN_PENALTY * len(flaws(intent, vocabulary))
    q -= UNKNOWN_PENALTY if incomplete(intent) else 0.0
    for kind in _NAMES:
        value = intent.slots.get(kind)
        if value is not None and kind not in intent.hints.inferred and vocabulary.known(kind, value):
            q += KNOWN_BONUS
    return round(q, 4)


def understand(heard: Heard, now: datetime | None = None, profile=None, vocabulary: Vocabulary | None = None,
               repair: bool = True, expects: str | None = None) -> Understanding:
    """The reading to act on. `repair=False` parses the heard text only. `expects`: the slot a question just
    asked for ("contact", "city", "time", …): the utterance is an answer, repaired only towards a known
    value of that kind (下门 → 厦门 after "哪个城市？"), never towards another command."""
    vocabulary = vocabulary or Vocabulary.build(profile)
    if expects is not None:
        return _answer(heard, expects, now, profile, vocabulary) if repair else _as_heard(heard, now, profile,
                                                                                          vocabulary)
    parsed: dict[str, Intent] = {}

    def reading(text: str, source: str, changed: int = 0, cost: float = 0.0, scored: str = "") -> Reading:
        key = bare(text)
        if key not in parsed:
            parsed[key] = parse(text, now, profile)
        intent = replace(parsed[key], text=text)
        if intent.intent != "unknown" and not plausible(intent, vocabulary):
            intent = Intent(text=text, intent="unknown", slots={}, confidence=0.0, normalized=intent.normalized)
        return Reading(text, intent, source, changed, cost, quality(intent, vocabulary),
                       flaws=tuple(flaws(intent, vocabulary)), scored=scored or text)

    first = reading(heard.text, "heard")
    flat = bare(heard.text)
    if not repair or not flat or len(flat) > MAX_REPAIR_CHARS:
        return Understanding(first.intent, "heard", first, [first])
    readings = [first]
    most = max(1, int(_MAX_LENGTH_CHANGE * len(flat)))
    alternatives = [alt for alt in dict.fromkeys(heard.alternatives)
                    if bare(alt) and bare(alt) != flat and abs(len(bare(alt)) - len(flat)) <= most]
    for alt in alternatives:
        readings.append(reading(alt, "n-best", _edits(flat, bare(alt))))
    if (first.intent.intent == "unknown" or first.flawed) and 2 < len(flat) <= _MAX_SHORT:
        # Whisper sometimes adds a syllable before the first word (以上一首, 大家里的灯): the rest alone
        readings.append(reading(heard.text[heard.text.index(flat[1]):], "deletion", 1))
    for text, changed, cost, scored in _rewrites(heard.text, vocabulary):
        readings.append(reading(text, "sound-alike", changed, cost, scored))

    # the beam's runner-up may have one word right the best text has wrong (到杭道北京西站 vs …西展): its own
    # sound-alike rewrites are readings too, their changes counted from the heard text
    for alt in alternatives[:_MAX_ALTERNATIVES_REWRITTEN]:
        for text, _, cost, scored in _rewrites(alt, vocabulary):
            readings.append(reading(text, "n-best sound-alike", _edits(flat, bare(text)), cost, scored))
    if spoken(heard.text) != bare(heard.text):  # digits: also search the numbers as said ("30多勺" = 三十多少)
        for text, changed, cost, scored in _rewrites(spoken(heard.text), vocabulary):
            readings.append(reading(text, "sound-alike", changed, cost, scored))
    candidates = _candidates(first, readings[1:])
    if not candidates and first.intent.intent == "unknown" and 3 <= len(flat) <= 6:
        # nothing word by word: the utterance as a whole may be a short command said as it is (拔充你辣香)
        for command in vocabulary.commands:
            cost = phonetic.distance(flat, command)
            if cost is not None and cost <= WHOLE_COMMAND_COST * len(flat):
                readings.append(reading(command, "sound-alike", sum(a != b for a, b in zip(flat, command)), cost))
        candidates = _candidates(first, readings[1:])
    if not candidates:
        return Understanding(first.intent, "heard", first, readings)
    if heard.score is None:
        return _text_only(first, candidates, readings, vocabulary)
    accepted, verify_ms = _verify(heard.score, first, candidates, spoken(first.text),
                                  [spoken(c.scored) for c in candidates])
    if accepted:
        best = max(accepted, key=lambda c: (c.quality, c.acoustic))
        rivals = [c for c in accepted if c is not best and _reading_key(c) != _reading_key(best)
                  and c.quality >= best.quality - 0.01 and abs(c.acoustic - best.acoustic) < 1.0]
        return Understanding(best.intent, "ask" if rivals else "corrected", best, readings, verify_ms)
    doubtful = [c for c in candidates if _deficit(first, c) <= _margin(c) + ASK_NATS]
    if doubtful:
        best = max(doubtful, key=lambda c: (c.acoustic, c.quality))
        return Understanding(best.intent, "ask", best, readings, verify_ms)
    return Understanding(first.intent, "heard", first, readings, verify_ms)


ANSWER_KINDS = ("contact", "city")


def _as_heard(heard: Heard, now, profile, vocabulary: Vocabulary) -> Understanding:
    intent = parse(heard.text, now, profile)
    if intent.intent != "unknown" and not plausible(intent, vocabulary):
        intent = Intent(text=heard.text, intent="unknown", slots={}, confidence=0.0, normalized=intent.normalized)
    first = Reading(heard.text, intent, "heard")
    return Understanding(first.intent, "heard", first, [first])


def _answer(heard: Heard, expects: str, now, profile, vocabulary: Vocabulary) -> Understanding:
    """An answer to "要打给谁？" / "哪个城市？": a known contact or city it sounds like, checked as any rewrite."""
    plain = _as_heard(heard, now, profile, vocabulary)
    flat = bare(heard.text)
    known = vocabulary.values.get(expects, frozenset()) if expects in ANSWER_KINDS else frozenset()
    if not known or not flat or flat in known or len(flat) > 6:
        return plain
    first = plain.chosen
    def spelled(name: str) -> str:  # as scored: a user's own name in the heard spelling where it sounds the same
        if len(name) != len(flat) or name not in vocabulary.user:
            return name
        return "".join(h if phonetic.char_cost(x, y) == 0 else p for h, p, x, y in zip(
            flat, name, phonetic.syllables(flat), phonetic.syllables(name, heard=False)))

    found: dict[str, Reading] = {}
    for alt in heard.alternatives:
        if bare(alt) in known:
            found.setdefault(bare(alt), Reading(bare(alt), first.intent, "n-best", _edits(flat, bare(alt)),
                                                scored=spelled(bare(alt))))
    for m in phonetic.find(flat, tuple(known)):
        if (m.start, m.end) == (0, len(flat)):
            changed = sum(a != b for a, b in zip(flat, m.phrase))
            found.setdefault(m.phrase, Reading(m.phrase, first.intent, "sound-alike", changed, m.cost,
                                               scored=spelled(m.phrase)))
    candidates = sorted(found.values(), key=lambda r: (r.source != "n-best", r.cost, r.changed))[:MAX_VERIFIED]
    if not candidates:
        return plain
    if heard.score is None:
        best = candidates[0]
        alone = len(candidates) == 1 or candidates[1].cost > best.cost
        if best.source == "sound-alike" and best.cost <= TEXT_ONLY_COST and alone and best.text in vocabulary.user:
            return Understanding(replace(first.intent, text=best.text), "corrected", best, [first, *candidates])
        return plain
    accepted, verify_ms = _verify(heard.score, first, candidates, flat, [c.scored for c in candidates])
    if accepted:
        best = max(accepted, key=lambda c: c.acoustic)
        if not any(c is not best and abs(c.acoustic - best.acoustic) < 1.0 for c in accepted):
            return Understanding(replace(first.intent, text=best.text), "corrected", best, [first, *candidates],
                                 verify_ms)
    return Understanding(first.intent, "heard", first, [first, *candidates], verify_ms)


def _verify(score: Scorer, first: Reading, candidates: list[Reading], heard_text: str,
            texts: list[str]) -> tuple[list[Reading], float]:
    """Score the heard text and the candidates (as `texts`) against the audio; the candidates within their
    margin, and the milliseconds it took."""
    t0 = time.perf_counter()
    scores = score([heard_text, *texts])
    verify_ms = (time.perf_counter() - t0) * 1000
    first.acoustic = scores[0]
    for c, value in zip(candidates, scores[1:]):
        c.acoustic = value
    return [c for c in candidates if _deficit(first, c) <= _margin(c)], verify_ms


def _deficit(first: Reading, c: Reading) -> float:
    return first.acoustic - c.acoustic


def _margin(c: Reading) -> float:
    return ACCEPT_NATS + PER_CHANGE_NATS * max(1, c.changed)


def _reading_key(r: Reading) -> tuple:
    return r.intent.intent, tuple(sorted((k, str(v)) for k, v in r.intent.slots.items()))


def _repairs(first: Reading, r: Reading) -> bool:
    """Whether `r` mends something in the heard reading. A complete command whose words are all known
    ("明天早上六点半叫醒我") is kept even when another rule would score a rewrite higher ("…提醒我"): only
    a reading that was not understood, was unsure (under EXACT), named something unknown or lacks what the
    command needs (an alarm without a time) is repaired,
    or one the rewrite gives a value it lacked (把握式空调… → 把卧室空调…: the same command, now with a room)."""
    heard = first.intent
    if heard.intent == "unknown" or heard.confidence < EXACT or first.flawed:
        return True
    if incomplete(heard):
        return not incomplete(r.intent)  # "定一个计时器" is not mended by "定一歌计时器"
    return r.intent.intent == heard.intent and set(heard.slots.items()) < set(r.intent.slots.items())


def _candidates(first: Reading, others: list[Reading]) -> list[Reading]:
    """Readings better than the heard one, best first, one per distinct meaning."""
    # a rewrite that names somebody or something nobody knows is no repair ("波上狼犀的红豆" → "拨上狼犀的红豆"
    # would call a contact called 上狼犀的红豆); the heard text itself may, the assistant then says so
    better = [r for r in others if r.intent.intent != "unknown" and r.quality > first.quality + 0.004
              and named_sensibly(r.intent, r.flaws) and _reading_key(r) != _reading_key(first) and _repairs(first, r)]
    rank = {"n-best": 0, "sound-alike": 1, "deletion": 2}  # a dropped syllable is the weakest evidence
    # a rewrite of a runner-up is two guesses deep: it only takes a place no other reading wants
    better.sort(key=lambda r: (r.source == "n-best sound-alike", -r.quality, rank.get(r.source, 3), r.cost,
                               r.changed))
    seen: set[tuple] = set()
    out = []
    for r in better:
        if _reading_key(r) in seen or (r.source == "n-best sound-alike" and out and
                                       out[-1].source == "n-best sound-alike"):
            continue
        seen.add(_reading_key(r))
        out.append(r)
    return out[:MAX_VERIFIED]


def _text_only(first: Reading, candidates: list[Reading], readings: list[Reading],
               vocabulary: Vocabulary) -> Understanding:
    best = candidates[0]
    weak = first.intent.intent == "unknown" or any(
        k in first.intent.slots and not best.intent.slots.get(k) == first.intent.slots.get(k) for k in PENALIZED)
    alone = len(candidates) == 1 or candidates[1].quality < best.quality - 0.01
    # typed homophones of names are taken only towards the user's own (张维 → 张伟 in the contacts), never
    # towards a list of common ones (抚州 stays 抚州, not 福州)
    own = all(v in vocabulary.user for k, v in best.intent.slots.items()
              if k in _NAMES and v != first.intent.slots.get(k))
    if best.source == "sound-alike" and best.cost <= TEXT_ONLY_COST and weak and alone and own:
        return Understanding(best.intent, "corrected", best, readings)
    return Understanding(first.intent, "heard", first, readings)


def _rewrites(text: str, vocabulary: Vocabulary) -> list[tuple[str, int, float, str]]:
    """(rewritten text, characters changed, cost, text to score) for one or two non-overlapping sound-alike
    spans. The
    rewrite is made in the text as heard (its punctuation kept), spans are found in its bare form."""
    keep = [i for i, ch in enumerate(text) if not _PUNCT.fullmatch(ch)]
    flat = "".join(text[i] for i in keep)
    matches = phonetic.find(flat, vocabulary.phrases, vocabulary.parts)
    if len(flat) > _MAX_SHORT:
        matches = [m for m in matches if m.heard > 1]
    # a known word heard as it is written is never cut into (打开京东 does not become 打开京灯); a longer
    # phrase may contain it whole (姐妈妈 → 给妈妈)
    heard_words = [(i, i + len(w)) for w in vocabulary.phrases if len(w) > 1 and w in flat
                   for i in _occurrences(flat, w)]
    matches = [m for m in matches if not any(m.start < b and a < m.end and not (m.start <= a and b <= m.end)
                                             for a, b in heard_words)]
    # longer spans first among equals: a one-character match is the least specific evidence
    matches.sort(key=lambda m: (m.heard == 1, m.cost / m.heard, -m.heard))

    def apply(chosen: list[phonetic.Match], spelled: bool = True) -> str:
        """The rewrite; `spelled=False`: as scored against the audio, where a name keeps the heard spelling
        of each syllable that sounds exactly the same (雷雷 for 雷蕾, 500 for 伍佰): the audio can't tell
        homophones apart, and Whisper's dislike of a rare spelling is no evidence against a user's name."""
        out = list(text)
        for m in sorted(chosen, key=lambda m: -m.start):
            new = list(m.phrase)
            span = None if spelled else vocabulary.name_span(m.phrase)
            if span:
                heard = phonetic.syllables(flat[m.start:m.end])
                said = phonetic.syllables(m.phrase, heard=False)
                for k in range(*span):
                    if phonetic.char_cost(heard[k], said[k]) == 0:
                        new[k] = flat[m.start + k]
            out[keep[m.start]:keep[m.end - 1] + 1] = new
        return "".join(out)

    def changed(m: phonetic.Match) -> int:
        return sum(a != b for a, b in zip(flat[m.start:m.end], m.phrase))

    out: list[tuple[str, int, float, str]] = []
    seen = {text}
    for m in matches[:_MAX_SINGLE]:
        t = apply([m])
        if t not in seen:
            seen.add(t)
            out.append((t, changed(m), m.cost, apply([m], spelled=False)))
    head = matches[:_MAX_PAIRED]
    for i, a in enumerate(head):
        for b in head[i + 1:]:
            if a.end <= b.start or b.end <= a.start:
                t = apply([a, b])
                if t not in seen:
                    seen.add(t)
                    out.append((t, changed(a) + changed(b), a.cost + b.cost, apply([a, b], spelled=False)))
    return out


def _occurrences(text: str, word: str) -> list[int]:
    out, i = [], text.find(word)
    while i >= 0:
        out.append(i)
        i = text.find(word, i + 1)
    return out


def _edits(a: str, b: str) -> int:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(a, b)
