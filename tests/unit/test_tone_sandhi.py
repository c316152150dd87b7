"""Tone sandhi and polyphones in the pinyin fed to espeak (voice.tts.espeak.pinyin_tone3)."""

import pytest

from voice.tts.espeak import pinyin_tone3


@pytest.mark.parametrize("text,expected", [
    ("你好", "ni2 hao3"),  # 3-3 → 2-3
    ("不是", "bu2 shi4"), ("不对", "bu2 dui4"), ("不好", "bu4 hao3"),  # 不 before a 4th tone
    ("一个", "yi2 ge4"), ("一天", "yi4 tian1"), ("一年", "yi4 nian2"),  # 一 sandhi
    ("第一", "di4 yi1"), ("统一", "tong3 yi1"),  # 一 keeps tone 1 at a word end and in ordinals
    ("银行", "yin2 hang2"), ("行走", "xing2 zou3"), ("重要", "zhong4 yao4"), ("重新", "chong2 xin1"),  # polyphones
    ("长大了", "zhang3 da4 le5"),  # neutral tone as 5
])
def test_pinyin(text, expected):
    assert pinyin_tone3(text) == expected


def test_latin_text_is_kept():
    assert pinyin_tone3("打开WiFi") == "da3 kai1 WiFi"
