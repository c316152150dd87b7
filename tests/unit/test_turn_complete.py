"""Is the utterance finished (voice.nlu.complete)? Labels written by hand; the parse is the real grammar's."""

import pytest

from voice.nlu.complete import completeness
from voice.nlu.understand import Heard, understand

COMPLETE = ["打开客厅的灯", "现在几点", "三加五等于几", "明天早上七点叫我起床", "关掉卧室的空调", "给妈妈打电话",
            "暂停音乐", "把家里的灯全部关掉", "声音大一点", "导航去西湖", "十分钟后提醒我关火", "把空调调到26度",
            "今天是几号", "明天北京天气怎么样"]
INCOMPLETE = ["帮我定一个", "打开客厅的", "给妈妈打", "明天天气怎么", "我想听周杰伦的", "提醒我", "设一个闹钟",
              "然后", "帮我把", "导航到", "把空调调到", "一百乘以", "明天早上八点", "把音量", "播放", "我想知道"]
# No judgement from the grammar: the usual rule applies (a question for the LLM, small talk)
UNKNOWN = ["量子力学的基本原理是什么", "你觉得人生有意义吗", "北京天气"]


def judge(text, **kw):
    return completeness(text, understand(Heard(text)).intent, **kw)


@pytest.mark.parametrize("text", COMPLETE)
def test_complete_commands(text):
    assert judge(text) == "complete"


@pytest.mark.parametrize("text", INCOMPLETE)
def test_fragments(text):
    assert judge(text) == "incomplete"


@pytest.mark.parametrize("text", UNKNOWN)
def test_no_judgement(text):
    assert judge(text) == "unknown"


def test_an_answer_to_a_question_is_complete():
    assert judge("是的", answering=True) == "complete"
    assert judge("明天下午三点", answering=True) == "complete"
    assert judge("明天下午三点") == "incomplete"  # a time alone, asked for nothing: more is coming


def test_a_corrected_reading_keeps_the_usual_rule_and_a_flawed_one_waits():
    assert judge("打开客厅的灯", as_heard=False) == "unknown"  # a sound-alike correction: not sure enough to hurry
    assert judge("打开客厅的灯", flawed=True) == "incomplete"  # may be a misheard fragment (我想听了)
    assert judge("") == "unknown"
