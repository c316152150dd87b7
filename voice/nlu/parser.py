"""`parse(text, now, profile) -> Intent`: normalize, run every grammar rule, keep the best."""

from __future__ import annotations

import re
from datetime import datetime

from voice.nlu.intents import RULES, context
from voice.nlu.normalize import canonical, normalize, strip_politeness
from voice.nlu.types import Intent

UNKNOWN_BELOW = 0.5


def parse(text: str, now: datetime | None = None, profile=None) -> Intent:
    """Understand one utterance. `profile` (voice.profile.Profile) fills slots the user left
    implicit: the home city for weather, favourite artists for "放我喜欢的歌"."""
    now = (now or datetime.now()).replace(second=0, microsecond=0)
    best = _best(text, now)
    if best is None or best[0][0] < 0.95:
        # "放首轻音乐吧，我要睡觉了": one clause may say the command better than the whole utterance.
        clauses = [c for c in _CLAUSES.split(text) if c.strip()]
        for clause in clauses if len(clauses) > 1 else ():
            found = _best(clause, now)
            if found and (best is None or found[0][0] > best[0][0]):
                best = found
    if best is None or best[0][0] < UNKNOWN_BELOW:
        return Intent(text=text, intent="unknown", slots={}, confidence=0.0, normalized=normalize(text))
    (score, _), intent, slots, norm = best
    if profile is not None:
        slots = _fill_from_profile(intent, slots, profile)
    return Intent(text=text, intent=intent, slots=slots, confidence=round(score, 3), normalized=norm)


_CLAUSES = re.compile(r"[，,。！？!?；;、\s]+")


def _best(text: str, now: datetime) -> tuple | None:
    """((score, slot count), intent, slots, normalized) of the best rule for `text`, or None."""
    canon = canonical(text)
    norm = strip_politeness(canon)
    plain = strip_politeness(canonical(text, numbers=False))
    ctx = context(norm, canon, now, morning=bool(re.search(r"起床|叫醒|醒来|起来", norm)), plain=plain)
    best: tuple | None = None
    for rule in RULES:
        found = rule(ctx)
        if not found:
            continue
        score, intent, slots = found
        key = (score, len([k for k in slots if not k.startswith("_")]))
        if best is None or key > best[0]:
            best = (key, intent, slots, norm)
    return best


def _fill_from_profile(intent: str, slots: dict, profile) -> dict:
    slots = dict(slots)
    if intent == "weather.query" and "city" not in slots and profile.home_city:
        slots["city"] = profile.home_city
        slots["_inferred"] = ["city"]
    if intent == "music.play" and slots.pop("_favourite", False) and profile.favourite_artists:
        slots["artist"] = profile.favourite_artists[0]
    return slots


def public_slots(slots: dict) -> dict:
    return {k: v for k, v in slots.items() if not k.startswith("_")}
