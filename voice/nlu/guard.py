"""The precision guard: what the assistant must not take for a command, however it was heard.

Every reading passes through it, the heard one included (measured by `voice bench understand`'s `guard` set:
sentences of news, lectures and conversation that must not become commands, and by tests of ordinary
commands that must still get through):
- `plausible`: a value nobody knows in a free-text slot must look like one (`FREE_TEXT_LIMITS`: an "app" of
  twelve characters is a sentence that started with 开, not an app); otherwise the reading is unknown;
- `flaws`: values that look misheard (a contact, app, artist, room or city nobody knows; a one-character
  label, title or message): they lower a reading's quality and make the heard one worth repairing;
- `incomplete`: a command without the slot it cannot do without (an alarm at no time);
- `named_sensibly`: a rewrite may carry no flaw but a contact shaped like a name (打电话给王经理 names
  somebody the contact list may not have yet; 拨上狼犀的红豆 would call nobody).
"""

from __future__ import annotations

import re

from voice.nlu.types import Intent
from voice.nlu.vocabulary import Vocabulary, looks_like_name

# Longest plausible value of a free-text slot the assistant does not know (characters)
# (a run of Latin letters or digits counts as one: "Taylor Swift", "12306")
FREE_TEXT_LIMITS = {"app": 6, "title": 12, "artist": 8, "contact": 6, "destination": 24, "label": 8}
NO_DIGITS = ("contact",)  # slots whose unknown value may hold no digits (a number is dialled as a number)
PENALIZED = ("contact", "app", "artist", "room", "city")  # name slots whose unknown value is a flaw


def plausible(intent: Intent, vocabulary: Vocabulary) -> bool:
    """False when a free-text slot holds something no user would name that way."""
    for kind, limit in FREE_TEXT_LIMITS.items():
        value = intent.slots.get(kind)
        if not isinstance(value, str) or vocabulary.known(kind, value):
            continue
        if _units(value) > limit or kind in NO_DIGITS and re.search(r"\d", value):
            return False
    return True


def _units(value: str) -> int:
    """Length in characters, a run of Latin letters or digits counting as one."""
    return len(re.sub(r"[a-z0-9][a-z0-9 .&'-]*", "x", value.lower()))


# The slot a command cannot do without: heard without it ("序销所有的闹钟" → an alarm labelled 序销所有, at no
# time), the reading is as doubtful as one with a flaw, and a complete rewrite (取消所有的闹钟) may replace it.
REQUIRED = {"alarm.set": "time", "reminder.set": "time", "timer.set": "duration_s"}


def incomplete(intent: Intent) -> bool:
    need = REQUIRED.get(intent.intent)
    return need is not None and need not in intent.slots


def flaws(intent: Intent, vocabulary: Vocabulary) -> list[str]:
    """Slots whose value looks misheard: a contact, app, artist, room or city nobody knows, or a one-character
    label, title or message ("十分钟的道计时")."""
    out = []
    for kind, value in intent.slots.items():
        if not isinstance(value, str) or kind in intent.hints.inferred or vocabulary.known(kind, value):
            continue
        if kind in PENALIZED or kind in ("label", "title", "text") and len(value) == 1 \
                or kind == "name" and intent.slots.get("device") == "other":  # a device nobody listed
            out.append(kind)
    return out


def named_sensibly(intent: Intent, flawed: tuple[str, ...] | list[str]) -> bool:
    """A rewrite's own flaws may only be contacts written like a name (打电话给王经理 names somebody the
    contact list does not have yet; 拨上狼犀的红豆 does not)."""
    return all(kind == "contact" and looks_like_name(intent.slots[kind]) for kind in flawed)
