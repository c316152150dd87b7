"""The NLU normalization rules documented in voice/nlu/normalize.py."""

import pytest

from voice.nlu.normalize import canonical, normalize


@pytest.mark.parametrize("text,expected", [
    ("請幫我把臥室空調調到二十六度，好嗎？", "把卧室空调调到26度"),  # t2s, politeness, ITN, punctuation
    ("明天早上七點叫我起床。", "明天早上7点叫我起床"),
    ("３：３０叫我", "3:30叫我"),  # full-width digits and colon
    ("麻烦你帮我查一下北京明天的天气吧", "查北京明天的天气"),
    ("可以打开微信吗", "打开微信"),
    ("现在几点了", "现在几点"),
    ("算了", "算了"),  # 了 is kept unless after 点/号
    ("Hello，你好", "hello你好"),
    ("1.5公里是多少米？", "1.5公里是多少米"),
    ("给小李发短信：我晚点到", "给小李发短信我晚点到"),  # a colon not between digits is punctuation
    ("请", "请"),  # never normalized to nothing
    ("明天早上6.40", "明天早上6:40"),  # Whisper's 六点四十 after a part of the day is a clock time
    ("下午3.15开会", "下午3:15开会"),
    ("3.15乘以2", "3.15乘以2"),  # elsewhere a decimal stays one
    ("早上6.75", "早上6.75"),  # no minute 75
])
def test_normalize(text, expected):
    assert normalize(text) == expected


def test_canonical_keeps_spoken_numbers_when_asked():
    assert canonical("会议改到三点", numbers=False) == "会议改到三点"
    assert canonical("会议改到三点") == "会议改到3点"
