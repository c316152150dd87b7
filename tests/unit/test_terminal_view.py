"""The demo's printout shows what a misheard transcript was taken to mean."""

import io

from voice.pipeline.events import Event
from voice.pipeline.observers import TerminalView


def _turn(view, transcript, decision, understood):
    view(Event("nlu.result", 1.0, {"intent": "call.dial", "slots": {}, "decision": decision,
                                   "understood": understood}))
    view(Event("turn", 1.1, {"transcript": transcript, "intent": "call.dial", "reply": "好的",
                             "eou_ms": 480.0, "voice_to_voice_ms": 510.0}))


def test_corrections_and_questions_are_shown_after_the_transcript():
    out = io.StringIO()
    view = TerminalView(out)
    _turn(view, "姐妈妈打电话。", "corrected", "给妈妈打电话。")
    _turn(view, "给张为打电话。", "ask", "给张伟打电话。")
    _turn(view, "给妈妈打电话。", "heard", "给妈妈打电话。")
    lines = [x for x in out.getvalue().splitlines() if x.startswith("你: ")]
    assert lines == ["你: 姐妈妈打电话。 → 给妈妈打电话。", "你: 给张为打电话。 →? 给张伟打电话。", "你: 给妈妈打电话。"]
