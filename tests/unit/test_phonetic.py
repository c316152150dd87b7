"""Sound-alike matching on toneless pinyin (voice.nlu.phonetic): the confusion table, what must match and
what must not. Pairs are written by hand from misrecognitions seen in this project's own spoken sets."""

import pytest

from voice.nlu import phonetic
from voice.nlu.vocabulary import Vocabulary


@pytest.mark.parametrize("syllable, parts", [
    ("zhi", ("zh", "i")), ("xiang", ("x", "iang")), ("yin", ("", "in")), ("ya", ("", "ia")),
    ("wo", ("", "uo")), ("wu", ("", "u")), ("yu", ("", "v")), ("ju", ("j", "v")), ("qun", ("q", "vn")),
    ("liu", ("l", "iou")), ("gui", ("g", "uei")), ("dun", ("d", "uen")), ("e", ("", "e")),
])
def test_split_writes_out_y_w_and_contracted_finals(syllable, parts):
    assert phonetic.split(syllable) == parts


@pytest.mark.parametrize("heard, said", [("十", "是"), ("四", "是"), ("手", "首"), ("握", "卧"), ("极", "几")])
def test_characters_compare_by_their_toneless_readings(heard, said):
    # 十 / 是 and 手 / 首 are the same toneless syllable; 四 / 是 differ by s/sh only
    cost = phonetic.char_cost(phonetic.syllables(heard)[0], phonetic.syllables(said, heard=False)[0])
    assert cost == (0.2 if heard == "四" else 0.0)


@pytest.mark.parametrize("a, b, cost", [
    ("shi", "si", 0.2),      # 十 / 四: sh/s
    ("zhong", "zong", 0.2),  # zh/z
    ("chang", "cang", 0.2),  # ch/c
    ("nan", "lan", 0.2),     # n/l
    ("ban", "bang", 0.2),    # an/ang
    ("chen", "cheng", 0.2),  # en/eng
    ("jin", "jing", 0.2),    # in/ing (静 / 今)
    ("ban", "pan", 0.5),     # b/p: one articulation group
    ("tiao", "diao", 0.5),   # t/d
    ("shu", "shuo", 0.5),    # u/uo
    ("jiao", "tiao", 0.8),   # the same final, unrelated initials
    ("ma", "xiu", 1.0),
])
def test_syllable_costs_follow_the_documented_table(a, b, cost):
    assert phonetic.syllable_cost(a, b) == cost
    assert phonetic.syllable_cost(b, a) == cost


@pytest.mark.parametrize("heard, phrase", [
    ("握式", "卧室"), ("极点", "几点"), ("定时期", "定时器"), ("上一手", "上一首"), ("周杰轮", "周杰伦"),
    ("成以", "乘以"), ("直复保", "支付宝"), ("步防", "播放"), ("公条", "空调"), ("张山", "张三"),
    ("武士", "卧室"), ("今音", "静音"),
])
def test_misheard_words_sound_like_what_was_said(heard, phrase):
    assert phonetic.sounds_like(heard, phrase)


@pytest.mark.parametrize("heard, phrase", [
    ("未来", "微信"),      # wei lai / wei xin: one syllable in two is unrelated
    ("周围", "张伟"),      # zhou wei / zhang wei
    ("今年", "静音"),      # two syllables, one of them far: no match (the audio can't tell either)
    ("北京", "南京"),
    ("打开", "关掉"),
    ("明天", "今天"),
    ("3楼", "三楼"),      # digits are never sound-alikes
])
def test_near_misses_do_not_match(heard, phrase):
    assert not phonetic.sounds_like(heard, phrase)


def test_find_locates_spans_and_keeps_exact_words():
    found = phonetic.find("播放周结伦的晴天", ["周杰伦", "晴天", "播放"])
    assert [(m.start, m.end, m.phrase, m.cost) for m in found] == [(2, 5, "周杰伦", 0.0)]
    assert phonetic.find("打开3楼的灯", ["三楼"]) == []


def test_a_trigger_with_its_value_loosens_only_the_trigger():
    vocab = Vocabulary.build()
    assert "给妈妈" in vocab.parts and "打开微信" in vocab.parts
    spans = {m.phrase for m in phonetic.find("姐妈妈打电话", vocab.phrases, vocab.parts)}
    assert "给妈妈" in spans  # 姐 for 给: the value 妈妈 was heard right
    spans = {m.phrase for m in phonetic.find("下开直复保", vocab.phrases, vocab.parts)}
    assert "打开支付宝" in spans
    # the value itself differs (未来 is no 微信): the longer phrase must not make it a match
    assert "打开微信" not in {m.phrase for m in phonetic.find("打开未来", vocab.phrases, vocab.parts)}
    assert phonetic.sounds_like("打开未来", "打开微信")  # (as one plain phrase it would have been)


def test_user_names_are_phrases_and_known_values():
    from voice.profile import Contact, Profile

    vocab = Vocabulary.build(Profile(contacts=[Contact("张伟", aliases=["伟哥"])], favourite_artists=["伍佰"]),
                             library_titles=["挪威的森林"])
    assert {"张伟", "伟哥", "伍佰", "挪威的森林", "给张伟"} <= set(vocab.phrases)
    assert vocab.known("contact", "张伟") and vocab.known("artist", "伍佰") and vocab.known("title", "挪威的森林")
    assert not vocab.known("contact", "周围")
    assert vocab.hotwords()[:2] == ["张伟", "伟哥"]
    # without the contact, 张伟 is nobody's name: nothing to match 张维 to
    assert "张伟" not in Vocabulary.build().phrases
