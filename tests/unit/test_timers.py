"""Timers as people use them: several named ones, pause / resume, more or less time, status, cancel one or
all; alarms cancelled by name. Real SQLite in a temporary folder, a clock passed in."""

from datetime import datetime, timedelta

import pytest

from voice.dialog.assistant import Assistant
from voice.profile import Profile
from voice.skills.scheduler import Scheduler

T0 = datetime(2026, 11, 27, 10, 0, 0)


@pytest.fixture
def assistant(tmp_path):
    a = Assistant(Profile(), tmp_path / "a.db")
    yield a
    a.close()


def say(a, text, seconds):
    return a.ask(text, T0 + timedelta(seconds=seconds))


def test_pause_resume_and_adjust_one_named_timer(assistant):
    say(assistant, "设一个十分钟的煮蛋计时器", 0)
    say(assistant, "定一个五分钟的计时器", 0)
    # two timers, none named: the assistant asks which, and the answer completes the command
    r = say(assistant, "暂停计时器", 60)
    assert r.reply.expects == "label" and "要暂停哪一个" in r.reply.text
    r = say(assistant, "煮蛋的", 62)
    assert r.intent.intent == "timer.pause" and r.reply.text.endswith("还剩8分钟58秒")
    # paused: a later question still says 8 min 58 s left, and the scheduler never rings it
    r = say(assistant, "煮蛋计时器还剩多长时间", 600)
    assert r.reply.text == "已暂停，还剩8分钟58秒"
    fired = Scheduler(assistant.store).due(T0 + timedelta(seconds=700))
    assert [f.kind for f in fired] == ["timer"] and fired[0].label is None  # only the 5-minute one
    r = say(assistant, "继续煮蛋计时器", 700)
    assert r.intent.intent == "timer.resume"
    r = say(assistant, "煮蛋计时器加两分钟", 700)
    assert (r.intent.intent, r.intent.slots["delta_s"]) == ("timer.adjust", 120)
    assert "还剩10分钟58秒" in r.reply.text
    assert not Scheduler(assistant.store).due(T0 + timedelta(seconds=700 + 657))
    assert Scheduler(assistant.store).due(T0 + timedelta(seconds=700 + 658))


def test_shortening_past_zero_is_refused_and_changes_nothing(assistant):
    say(assistant, "计时一分钟", 0)
    r = say(assistant, "计时器减少五分钟", 10)
    assert "不能再减" in r.reply.text
    r = say(assistant, "计时器还剩多久", 10)
    assert r.reply.text == "还剩50秒"


def test_cancel_one_by_name_or_length_and_all_with_confirmation(assistant):
    say(assistant, "设一个十分钟的煮蛋计时器", 0)
    say(assistant, "定一个五分钟的计时器", 0)
    say(assistant, "定一个三分钟的面条计时器", 0)
    r = say(assistant, "取消五分钟的计时器", 5)
    assert r.reply.text == "好的，已取消5分钟的计时器"
    assert {t["label"] for t in assistant.store.items("timers")} == {"煮蛋", "面条"}
    r = say(assistant, "取消所有计时器", 6)
    assert r.reply.expects == "confirm"
    say(assistant, "是的", 7)
    assert assistant.store.items("timers") == []


def test_pause_with_no_timer_says_so(assistant):
    assert say(assistant, "暂停计时器", 0).reply.text == "现在没有计时器。"


def test_alarms_cancelled_by_name(assistant):
    say(assistant, "明天早上七点的起床闹钟", 0)
    say(assistant, "明天晚上八点设一个吃药的闹钟", 0)
    r = say(assistant, "取消起床闹钟", 5)
    assert r.intent.slots == {"label": "起床"} and r.reply.text == "好的，已取消闹钟"
    assert [a["label"] for a in assistant.store.items("alarms")] == ["吃药"]
    assert say(assistant, "删除健身闹钟", 6).reply.text == "没有找到健身闹钟。"
    assert say(assistant, "我有哪些闹钟", 7).reply.text.startswith("您有1个闹钟")


def test_an_alarm_named_as_nobody_named_it_is_the_one_without_a_name(assistant):
    say(assistant, "明天早上七点叫我起床", 0)
    say(assistant, "明天晚上八点设一个吃药的闹钟", 0)
    r = say(assistant, "取消起床闹钟", 5)  # the 7 o'clock one has no name, the other is 吃药
    assert r.reply.text == "好的，已取消闹钟"
    assert [a["label"] for a in assistant.store.items("alarms")] == ["吃药"]


def test_which_timer_is_answered_by_its_length_or_all(assistant):
    say(assistant, "定一个十分钟的计时器", 0)
    say(assistant, "定一个五分钟的煮蛋计时器", 0)
    assert say(assistant, "暂停计时器", 1).reply.expects == "label"
    r = say(assistant, "十分钟的那个", 2)
    assert r.intent.slots == {"duration_s": 600} and r.reply.text.startswith("好的，已暂停10分钟的计时器")
    assert say(assistant, "暂停计时器", 3).reply.expects == "label"
    r = say(assistant, "全部", 4)
    assert r.intent.hints.all and all(t["paused_s"] is not None for t in assistant.store.items("timers"))
