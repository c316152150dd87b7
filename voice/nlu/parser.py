"""`parse(text, now, profile) -> Intent`: normalize, run every grammar rule, keep the best."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from voice.nlu.normalize import canonical, normalize, strip_politeness
from voice.nlu.rules import RULES, context
from voice.nlu.types import Hints, Intent

UNKNOWN_BELOW = 0.5
CLAUSE_REST_CHARS = 6  # characters of other clauses a command said in one clause may come with


def parse(text: str, now: datetime | None = None, profile=None) -> Intent:
    """Understand one utterance. `profile` (voice.profile.Profile) fills slots the user left
    implicit: the home city for weather, favourite artists for "放我喜欢的歌"."""
    now = (now or datetime.now()).replace(second=0, microsecond=0)
    devices = tuple(profile.devices) if profile is not None else ()
    best = _best(text, now, devices)
    if best is None or best[0][0] < 0.95:
        # "放首轻音乐吧，我要睡觉了": one clause may say the command better than the whole utterance.
        # Only when the rest is as short as the clause or a few characters of filler: a command word inside a
        # long stretch of other speech ("…到达行的屋务战所便是，前往后贴") is no command.
        clauses = [c for c in _CLAUSES.split(text) if c.strip()]
        total = sum(len(c) for c in clauses)
        for clause in clauses if len(clauses) > 1 else ():
            if total - len(clause) > max(CLAUSE_REST_CHARS, len(clause)):
                continue
            found = _best(clause, now, devices)
            if found and (best is None or found[0][0] > best[0][0]):
                best = found
    if best is None or best[0][0] < UNKNOWN_BELOW:
        return Intent(text=text, intent="unknown", slots={}, confidence=0.0, normalized=normalize(text))
    (score, _), intent, slots, hints, norm = best
    if profile is not None:
        slots, hints = _fill_from_profile(intent, slots, hints, profile)
    return Intent(text=text, intent=intent, slots=slots, confidence=round(score, 3), normalized=norm, hints=hints)


_CLAUSES = re.compile(r"[，,。！？!?；;、\s]+")


def _best(text: str, now: datetime, devices: tuple = ()) -> tuple | None:
    """((score, slot count), intent, slots, hints, normalized) of the best rule for `text`, or None."""
    canon = canonical(text)
    norm = strip_politeness(canon)
    plain = strip_politeness(canonical(text, numbers=False))
    ctx = context(norm, canon, now, morning=bool(re.search(r"起床|叫醒|醒来|起来", norm)), plain=plain,
                  devices=devices)
    best: tuple | None = None
    for rule in RULES:
        found = rule(ctx)
        if not found:
            continue
        score, intent, slots, *hints = found
        key = (score, len(slots))
        if best is None or key > best[0]:
            best = (key, intent, slots, hints[0] if hints else Hints(), norm)
    return best


def _fill_from_profile(intent: str, slots: dict, hints: Hints, profile) -> tuple[dict, Hints]:
    slots = dict(slots)
    if intent == "weather.query" and "city" not in slots and profile.home_city:
        slots["city"] = profile.home_city
        hints = replace(hints, inferred=(*hints.inferred, "city"))
    if intent == "music.play" and hints.favourite and profile.favourite_artists:
        slots["artist"] = profile.favourite_artists[0]
    return slots, hints
