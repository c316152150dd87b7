"""Conversation that does not dead-end: small talk varies, a dismissal closes in silence, traffic questions
get an honest answer, and without an LLM the assistant says what it can do. Real SQLite, temporary folder."""

from datetime import datetime

import pytest

from voice.dialog.assistant import Assistant
from voice.profile import Profile

NOW = datetime(2026, 11, 27, 10, 0)


@pytest.fixture
def a(tmp_path):
    with Assistant(Profile(), tmp_path / "a.db") as assistant:
        yield assistant


def test_asking_again_gets_another_answer(a):
    jokes = [a.ask("讲个笑话吧", NOW).reply.text for _ in range(3)]
    assert len(set(jokes)) == 3 and all(j.endswith("。") for j in jokes)
    how = [a.ask("你今天过得怎么样", NOW).reply.text for _ in range(2)]
    assert how[0] != how[1]
    assert a.ask("你喜欢吃什么", NOW).intent.intent == "chitchat"


def test_a_dismissal_closes_in_silence_but_a_pending_question_is_acknowledged(a):
    turn = a.ask("退下吧", NOW)
    assert (turn.intent.intent, turn.reply.text, turn.reply.action) == ("dialog.cancel", "", {"type": "dialog.end"})
    assert a.ask("给我打个电话", NOW).reply.expects == "contact"
    assert a.ask("算了", NOW).reply.text == "好的。"


def test_traffic_is_understood_and_answered_honestly(a):
    turn = a.ask("去机场的路上堵不堵", NOW)
    assert (turn.intent.intent, turn.intent.slots) == ("traffic.query", {"destination": "机场"})
    assert "没有实时路况" in turn.reply.text and "导航去机场" in turn.reply.text
    assert turn.reply.action == {"type": "traffic.query", "destination": "机场"}


def test_without_an_llm_the_reply_says_what_it_can_do(a):
    turn = a.ask("给我编一段关于海边小镇的故事", NOW)
    assert turn.intent.intent == "unknown" and "我可以" in turn.reply.text
