"""Is the utterance finished (voice.nlu.complete)? Labels written by hand; the parse is the real grammar's."""

import pytest

from voice.nlu.complete import completeness, verdict
from voice.nlu.understand import Heard, Reading, Understanding, understand

COMPLETE = ["打开客厅的灯", "现在几点", "三加五等于几", "明天早上七点叫我起床", "关掉卧室的空调", "给妈妈打电话",
            "暂停音乐", "把家里的灯全部关掉", "声音大一点", "导航去西湖", "十分钟后提醒我关火", "把空调调到26度",
            "今天是几号", "明天北京天气怎么样"]
INCOMPLETE = ["帮我定一个", "打开客厅的", "给妈妈打", "明天天气怎么", "我想听周杰伦的", "提醒我", "设一个闹钟",
              "然后", "帮我把", "导航到", "把空调调到", "一百乘以", "明天早上八点", "把音量", "播放", "我想知道",
              "我想听啊", "我想听呀"]
# No judgement from the grammar: the usual rule applies (a question for the LLM, small talk)
UNKNOWN = ["量子力学的基本原理是什么", "你觉得人生有意义吗", "北京天气", "真的啊", "就是啊"]


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


def test_a_flawed_reading_waits():
    assert judge("打开客厅的灯", flawed=True) == "incomplete"  # may be a misheard fragment (我想听了)
    assert judge("") == "unknown"


def _understood(heard: str, decision: str, chosen: str, source: str = "sound-alike", changed: int = 1,
                flaws: tuple[str, ...] = (), acoustic: float | None = -3.0) -> Understanding:
    """What the NLU would return after the audio check (`acoustic`: the chosen text's score, None = no audio)
    chose `chosen` for `heard`; sources, changes and flaws written by hand, the parses are the grammar's."""
    first = Reading(heard, understand(Heard(heard)).intent, "heard", flaws=flaws)
    pick = first if chosen == heard else Reading(chosen, understand(Heard(chosen)).intent, source, changed,
                                                  acoustic=acoustic)
    return Understanding(pick.intent, decision, pick, [first, pick] if pick is not first else [first])


def test_a_corrected_reading_is_judged_as_what_it_says():
    assert verdict("打开客厅的动", _understood("打开客厅的动", "corrected", "打开客厅的灯", flaws=("app",))) == "complete"
    assert verdict("拨放", _understood("拨放", "corrected", "播放")) == "incomplete"  # a bare verb: the rest comes
    assert verdict("播放周结伦的晴天", _understood("播放周结伦的晴天", "corrected", "播放周杰伦的晴天",
                                            flaws=("artist",))) == "complete"


def test_a_correction_the_words_as_heard_do_not_need_does_not_hurry_the_turn():
    # another hypothesis of most of the sentence: the recognizer did not know what was said
    assert verdict("你不要乱", _understood("你不要乱", "corrected", "好，没关系", "n-best", 4)) == "unknown"
    # heard as small talk, corrected into a command: the words made sense already
    assert verdict("好，没关系吧", _understood("好，没关系吧", "corrected", "好，没关系", "n-best", 1)) == "unknown"
    # repaired from the text alone (a wake-phrase turn has no audio scorer): not checked, not hurried
    assert verdict("打开客厅的动", _understood("打开客厅的动", "corrected", "打开客厅的灯", flaws=("app",),
                                           acoustic=None)) == "unknown"


def test_an_answer_may_trail_off_with_a_particle():
    assert judge("我要啊", answering=True) == "complete"
    assert judge("我要啊") == "incomplete"


def test_a_reading_the_nlu_would_ask_about_waits_as_for_a_fragment():
    assert verdict("到航道", _understood("到航道", "ask", "导航道")) == "doubtful"
    assert verdict("打开客厅的灯", _understood("打开客厅的灯", "heard", "打开客厅的灯")) == "complete"
