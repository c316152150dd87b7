"""The zh-CN grammar: one small rule per intent, ranked by score.

Why our own engine rather than hassil templates: every rule shares one normalization (script, numbers,
politeness) and one time-expression parser, so a rule only names the words that decide the intent and
where the slots are; slots that need arithmetic (time, duration, calc, units) are computed in place.

A rule takes a `Context` and returns `(score, intent, slots)` or `(score, intent, slots, hints)`, or None.
Slots are what the JSON output shows; `voice.nlu.types.Hints` carry what only the skill and the dialog need
(e.g. `all` for "取消所有闹钟", `date` for a day said without a clock). The best score wins, ties go to the
candidate with more slots, then to the earlier rule in `RULES`. The scores are named in
`voice.nlu.rules.common`; below `voice.nlu.parser.UNKNOWN_BELOW` the utterance is `unknown`.
"""

from voice.nlu.rules.clock import alarm, reminder, timer, timer_bare
from voice.nlu.rules.common import Context, context
from voice.nlu.rules.comms import call, message
from voice.nlu.rules.dialog import chitchat, dialog_cancel, traffic
from voice.nlu.rules.home import device, room_climate
from voice.nlu.rules.info import calculate, convert, date_query, time_query
from voice.nlu.rules.media import media, music, volume
from voice.nlu.rules.places import app, navigation
from voice.nlu.rules.weather import weather

# the order breaks ties between equal scores and slot counts
RULES = (alarm, timer, timer_bare, reminder, weather, media, volume, music, call, message, device, room_climate,
         time_query, date_query, calculate, convert, navigation, app, dialog_cancel, traffic, chitchat)

__all__ = ["RULES", "Context", "context"]
