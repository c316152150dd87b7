"""One conversation turn: parse → (dialog context) → skill or LLM → reply, with state in SQLite.

Multi-turn rules (context lives 120 s):
- the assistant asked for a slot ("几点？") → the next utterance fills it ("七点");
- it asked for confirmation → 是/确定/好 runs the action, 不/算了 drops it;
- follow-ups "那后天呢" / "那上海呢" / "后天呢" reuse the previous intent with the new date or place;
- 算了 / 取消 ends the turn and forgets the context;
- the recognizer's text may have been misheard: `voice.nlu.understand` picks the reading to act on (n-best,
  sound-alike repair checked against the audio); when it is unsure it asks back ("您是说“打开客厅的灯”吗？"),
  是 runs that reading, 不是 drops it, anything else is understood afresh (a correction).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from voice.dialog import safety
from voice.nlu.normalize import normalize
from voice.nlu.timeexpr import parse_time
from voice.nlu.types import Hints, Intent, Reply
from voice.nlu.understand import Heard, Understanding, understand
from voice.nlu.vocabulary import Vocabulary
from voice.paths import database_path
from voice.profile import Profile, load_profile
from voice.skills.base import SkillContext
from voice.skills.chitchat import cannot, dismiss
from voice.skills.registry import HANDLERS
from voice.skills.store import Store

CONTEXT_TTL = timedelta(seconds=120)
_YES = re.compile(r"^(?:是|是的|对|对的|确定|确认|好|好的|可以|行|嗯|没错|要|全部|都取消|取消全部|全部取消)$")
_NO = re.compile(r"^(?:不|不是|不要|不用|别|算了|否|取消|不对|不行|先不)$")


@dataclass
class Turn:
    intent: Intent
    reply: Reply
    understanding: Understanding | None = field(default=None, repr=False)  # how the reading was chosen

    def to_dict(self) -> dict:
        out = {"text": self.intent.text, "intent": self.intent.intent,
               "slots": dict(self.intent.slots), "reply": self.reply.text,
               "confidence": self.intent.confidence}
        if self.reply.action:
            out["action"] = self.reply.action
        return out


class Assistant:
    def __init__(self, profile: Profile | str | Path | None = None, db_path: str | Path | None = None,
                 weather=None, llm=None, session: str = ""):
        """`session` names the conversation: its dialog context, pending confirmation, alarms, timers and
        reminders are its own, even on a database other sessions share ("" is the local user)."""
        self.profile = profile if isinstance(profile, Profile) else load_profile(profile)
        self.session = session
        self.store = Store(db_path or database_path(), owner=session)
        self.weather = weather
        if llm is None and self.profile.llm:
            from voice.dialog.llm import ChatClient

            llm = ChatClient(self.profile.llm)
        self.llm = llm
        self._vocabulary: Vocabulary | None = None
        # False: no repair of misheard text (no n-best, sound-alikes or answer repair); the precision guard
        # still applies. Benchmarks compare both.
        self.repair = True

    @property
    def vocabulary(self) -> Vocabulary:
        """What this user's assistant knows by name (built once: the music library is scanned here)."""
        if self._vocabulary is None:
            artists: list[str] = []
            titles: list[str] = []
            if self.profile.music_dir:
                from voice.skills.music import MusicLibrary

                tracks = MusicLibrary(self.profile.music_dir).tracks
                artists, titles = [t.artist for t in tracks], [t.title for t in tracks]
            self._vocabulary = Vocabulary.build(self.profile, artists, titles)
        return self._vocabulary

    def report_state(self, device: str, state: dict, now: datetime | None = None) -> None:
        """A host tells the assistant a device's state (`{"on": true}`, `{"temperature": 22.5}`, …), so state
        questions are answered from what the house reports, not only from what the assistant last set."""
        self.store.set_device_state(device, state, now or datetime.now())

    def close(self) -> None:
        self.store.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def ask(self, text: str, now: datetime | None = None,
            on_token: Callable[[str], None] | None = None, heard: Heard | None = None,
            understood: Understanding | None = None, answer: Reply | None = None) -> Turn:
        """Handle one utterance; `on_token` receives LLM text as it streams (for early TTS). `heard`: what the
        recognizer heard (its hypotheses and audio scorer) when `text` was spoken; typed text is taken as is
        apart from exact sound-alikes (an input method's homophones). `understood`: `preview(text, now, heard)`
        if the caller already has it; `answer`: the LLM's reply already streamed (`stream_answer`)."""
        exact = now or datetime.now()
        now = exact.replace(second=0, microsecond=0)
        previous = self._context(now)
        understood = understood or self.preview(text, now, heard)
        answering = self._answering(previous)
        intent = understood.intent
        if answering and understood.decision == "corrected":
            text = understood.text  # the answer as it was meant: what fills the slot
        norm = normalize(text)
        confirmed = False
        if understood.decision == "ask":
            said = re.sub(r"[。！？!?，,\s]+$", "", understood.text)
            self.store.set_context({"intent": intent.intent, "slots": intent.slots, "expects": "confirm",
                                    "text": understood.text, "hints": asdict(intent.hints), "asked": True}, now)
            return Turn(intent, Reply(f"您是说“{said}”吗？", expects="confirm"), understood)
        if previous and previous.get("expects") == "confirm":
            if _YES.match(norm):
                # "是" to "您是说…吗？" runs that reading as is; to "要取消全部吗？" it confirms all of them
                intent, confirmed = _restore(previous, text), not previous.get("asked")
            elif _NO.match(norm):
                self.store.set_context(None, now)
                answer = "好的，请再说一遍。" if previous.get("asked") else "好的，不取消了。"
                return Turn(Intent(text, "dialog.cancel", {}, 0.95, norm), Reply(answer), understood)
            else:
                self.store.set_context(None, now)  # anything else drops the pending confirmation
        elif previous and previous.get("expects") and intent.intent in ("unknown", "chitchat"):
            intent = self._fill(previous, text, norm, now) or intent
        elif previous and intent.intent in ("unknown", "weather.query", "date.query"):
            intent = self._follow_up(previous, intent, text, norm, now) or intent
        if intent.intent == "dialog.cancel":
            self.store.set_context(None, now)
            # "算了" to a pending question is acknowledged; "没事了 / 退下吧" otherwise closes in silence
            return Turn(intent, Reply("好的。") if previous and previous.get("expects") else dismiss(intent, None))
        reply = self._run(intent, now, confirmed, on_token, exact, answer)
        if intent.intent != "unknown":
            self.store.set_context({"intent": intent.intent, "slots": intent.slots, "expects": reply.expects,
                                    "text": text, "hints": asdict(intent.hints)}, now)
        return Turn(intent, reply, understood)

    def preview(self, text: str, now: datetime | None = None, heard: Heard | None = None) -> Understanding:
        """What `ask` would act on, without acting: no skill runs and nothing is stored (the live loop judges
        from it whether the user has finished speaking)."""
        now = (now or datetime.now()).replace(second=0, microsecond=0)
        previous = self._context(now)
        answering = self._answering(previous)
        return understand(heard or Heard(text), now, self.profile, self.vocabulary, repair=self.repair,
                          expects=previous["expects"] if answering else None)

    def begin_tentative(self) -> None:
        """Answer the next utterance tentatively: whatever its skill stores is kept in an open transaction until
        `confirm()`, or undone by `discard()` (the user went on speaking)."""
        self.store.begin_tentative()

    def confirm(self) -> None:
        self.store.confirm()

    def discard(self) -> None:
        self.store.discard()

    def routes_to_llm(self, understood: Understanding, now: datetime | None = None) -> bool:
        """Whether `ask` would hand this utterance to the LLM: an unknown intent, an LLM configured, and no
        pending dialog that could still make it a command (a yes to "您是说…吗？", an answer to "几点？", a
        follow-up such as "那北京呢")."""
        if self.llm is None or understood.intent.intent != "unknown":
            return False
        previous = self._context((now or datetime.now()).replace(second=0, microsecond=0))
        return not previous or not (previous.get("expects")
                                    or previous.get("intent") in ("weather.query", "date.query"))

    def expecting(self, now: datetime | None = None) -> str | None:
        """The slot the last reply asked for ("time", "contact", "confirm" …), if it is still pending."""
        previous = self._context((now or datetime.now()).replace(second=0, microsecond=0))
        return previous.get("expects") if previous else None

    @staticmethod
    def _answering(previous: dict | None) -> bool:
        # An answer to a pending question ("几点？" → "七点") is short and expected: repaired only towards a
        # known value of what was asked (下门 → 厦门), never towards other commands. After "您是说…吗？" a
        # correction is a new command and is repaired like one.
        return bool(previous and previous.get("expects") and previous["expects"] != "confirm")

    # --- dialog ----------------------------------------------------------------------------------

    def _context(self, now: datetime) -> dict | None:
        found = self.store.get_context()
        if not found:
            return None
        value, updated = found
        return value if now - updated <= CONTEXT_TTL and now >= updated else None

    def _fill(self, previous: dict, text: str, norm: str, now: datetime) -> Intent | None:
        slot = previous["expects"]
        slots = dict(previous["slots"])
        hints = Hints.from_dict(previous.get("hints"))
        if slot == "time":
            t = parse_time(norm, now, morning=previous["intent"] == "alarm.set")
            if t is None or not (t.when or t.date):
                return None
            if t.when:
                slots["time"] = t.iso()
            else:
                hints = replace(hints, date=t.date.isoformat())
            if t.repeat:
                slots["repeat"] = t.repeat
        elif slot == "duration_s":
            from voice.nlu.timeexpr import find_durations

            found = find_durations(norm)
            if not found:
                return None
            slots["duration_s"] = sum(d[2] for d in found)
        elif slot in ("text", "contact", "destination", "city"):
            slots[slot] = norm
        elif slot in ("room", "label") and re.search(r"全部|所有|都|两个都|每个", norm):  # "都关了", "全部"
            hints = replace(hints, all=True)
        elif slot == "room":  # "卧室的" or "阳台灯" to "要哪一个？"
            named = [d.name for d in self.profile.devices if d.name in norm or any(a in norm for a in d.aliases)]
            rooms = [d.room for d in self.profile.devices if d.room and d.room in norm]
            if named:
                slots["name"] = named[0]
            elif rooms:
                slots["room"] = rooms[0]
            else:
                return None
        elif slot == "label":  # "煮蛋的" / "十分钟的那个" to "要暂停哪一个？"
            from voice.nlu.timeexpr import find_durations

            found = find_durations(norm)
            label = re.sub(r"(?:的|那个|这个)?(?:计时器|计时|倒计时|闹钟)?$", "", re.sub(r"^(?:那个|这个)", "", norm))
            if found:
                slots["duration_s"] = sum(d[2] for d in found)
            elif label:
                slots["label"] = label
            else:
                return None
        else:
            return None
        return Intent(text, previous["intent"], slots, 0.9, norm, hints)

    def _follow_up(self, previous: dict, intent: Intent, text: str, norm: str, now: datetime) -> Intent | None:
        if previous["intent"] not in ("weather.query", "date.query"):
            return None
        slots = dict(previous["slots"])
        if intent.intent == previous["intent"]:
            # "后天会下雨吗" right after "上海明天天气" is still about 上海; a question that names
            # neither a day nor a place is a new question.
            said_city = "city" in intent.slots and "city" not in intent.hints.inferred
            if "date" in intent.slots and not said_city and "city" in slots:
                return Intent(text, intent.intent, {**intent.slots, "city": slots["city"]}, intent.confidence,
                              norm)
            return None
        m = re.fullmatch(r"(?:那|那么)?(.+?)(?:呢|怎么样|如何)?", norm)
        if not m or not (text.rstrip("？?。 ").endswith("呢") or norm.startswith("那")):
            return None
        rest = m.group(1)
        t = parse_time(rest, now)
        if t is not None and t.day and t.end - t.start == len(rest):
            slots["date"] = t.day.isoformat()
        elif previous["intent"] == "weather.query" and re.fullmatch(r"[\u4e00-\u9fff]{2,6}", rest):
            slots["city"] = re.sub(r"市$", "", rest)
        else:
            return None
        return Intent(text, previous["intent"], slots, 0.9, norm)

    # --- skills and fallback ----------------------------------------------------------------------

    def _run(self, intent: Intent, now: datetime, confirmed: bool,
             on_token: Callable[[str], None] | None, exact: datetime | None = None,
             answer: Reply | None = None) -> Reply:
        handler = HANDLERS.get(intent.intent)
        if handler is not None:
            ctx = SkillContext(self.store, now, self.profile, self.weather, confirmed, exact)
            if confirmed:
                intent = replace(intent, hints=replace(intent.hints, all=True))
            return handler(intent, ctx)
        if answer is not None:
            return answer
        if self.llm is None:
            return Reply(cannot(SkillContext(self.store, now, self.profile)))
        clauses = self.stream_answer(intent.text)
        while True:
            try:
                said = next(clauses)
            except StopIteration as done:
                return done.value
            if on_token:
                on_token(said)

    def stream_answer(self, question: str) -> Generator[str, None, Reply]:
        """The configured LLM's answer to an open question, as speakable clauses while it streams (each checked
        by the safety filter with everything before it); the generator's return value is the whole reply.
        Touches no database, so it may run on another thread; closing it closes the HTTP stream. Pass the reply
        to `ask(..., answer=)` to record the turn without asking the model again."""
        from voice.dialog.llm import OFFLINE_REPLY, LLMError

        if self.llm is None:
            return Reply(OFFLINE_REPLY, data={"llm": "absent"})
        if safety.blocked(question):
            return Reply(safety.blocked(question))
        pieces: list[str] = []
        spoken = 0
        try:
            for piece in _sentences(self.llm.stream(question)):
                if safety.blocked("".join(pieces) + piece):
                    break
                pieces.append(piece)
                if spoken < SPOKEN_MAX:
                    # each clause made speakable on its own (no markdown, links, emoji) as it arrives
                    said = safety.speakable(piece, max_chars=SPOKEN_MAX - spoken)
                    end = piece.rstrip()[-1:]
                    if said and end in "，,。！？!?；;：:" and not said.endswith(end):
                        said += end  # the clause's own punctuation: where the voice pauses and cuts
                    spoken += len(said)
                    if said:
                        yield said
        except LLMError:
            if not pieces:
                return Reply(OFFLINE_REPLY, data={"llm": "unavailable"})
        answer = "".join(pieces)
        # The LLM never produces an action; only the intent path does.
        return Reply(safety.filter_answer(question, answer) or OFFLINE_REPLY, data={"llm": "answered"})


SPOKEN_MAX = 150  # characters of an LLM answer spoken while it streams (safety.speakable's limit)


def _restore(previous: dict, text: str) -> Intent:
    return Intent(text, previous["intent"], dict(previous["slots"]), 0.95, normalize(text),
                  Hints.from_dict(previous.get("hints")))


def _sentences(tokens: Iterator[str]) -> Iterator[str]:
    """Regroup streamed tokens into clauses, so the safety check sees whole clauses (and everything before
    them) and the voice can start after the first one."""
    buf = ""
    for tok in tokens:
        buf += tok
        while True:
            m = re.search(r"[。！？!?；;，,：:\n]", buf)
            if not m:
                break
            yield buf[:m.end()]
            buf = buf[m.end():]
    if buf:
        yield buf
