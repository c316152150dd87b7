import pytest

from voice.asr.cleanup import clean_segment, compression_ratio, cut_loops, has_loop, is_hallucination, punctuate


@pytest.mark.parametrize("raw, expected", [
    ("開放時間早上9點,墜下5點", "开放时间早上9点，坠下5点。"),  # t2s + punctuation
    ("好 首先说一下", "好，首先说一下。"),  # a space between Chinese clauses is a pause
    ("你吃了吗", "你吃了吗？"),
    ("他一定在家,因为灯亮着。", "他一定在家，因为灯亮着。"),
    ("豪豬,咖啡,你好,谁叫?", "豪猪，咖啡，你好，谁叫？"),
    ("三点五公里", "三点五公里。"),
    ("价格是3.5元", "价格是3.5元。"),
    ("hello world", "hello world"),
    ("打开 Wi-Fi 设置", "打开Wi-Fi设置。"),
    ("把音量调到30%", "把音量调到30%。"),
    ("我买了3个", "我买了3个。"),
])
def test_clean_segment(raw, expected):
    assert clean_segment(raw) == expected


@pytest.mark.parametrize("text", [
    "作词作曲", "作詞 作曲", "字幕由Amara.org社群提供", "中文字幕 by 黑石", "谢谢观看", "謝謝觀看!",
    "请不吝点赞 订阅 转发 打赏支持明镜与点点栏目", "嗯", "...", "",
    "Thank you all for watching this video!", "Thanks for watching.", "Please subscribe!",
])
def test_known_hallucinations_are_dropped(text):
    assert is_hallucination(text)
    assert clean_segment(text) == ""


@pytest.mark.parametrize("text", ["嗯", "哦。", "嗯嗯"])
def test_a_lone_filler_is_kept_where_it_was_speech(text):
    # over noise it is Whisper's habit; where the VAD heard speech (and Whisper agrees) it is a reply
    assert is_hallucination(text) and clean_segment(text) == ""
    assert not is_hallucination(text, speech=True) and clean_segment(text, speech=True).rstrip("。") == text.rstrip("。")


@pytest.mark.parametrize("text", ["谢谢大家", "作业写完了吗", "字数不够", "我们下周见", "请关灯", "Thank you",
                                  "订阅了这个频道吗"])
def test_real_speech_is_not_a_hallucination(text):
    assert not is_hallucination(text)
    assert clean_segment(text) != ""


@pytest.mark.parametrize("looped, cut", [
    ("喇叭喇叭喇叭喇叭喇叭", "喇叭"),
    ("就这么 就这么就这么 就这么就这么 就这么 或者就这么", "就这么 或者就这么"),
    ("刷刷刷刷刷刷刷刷", "刷"),
    ("四十克死刷刷刷刷刷刷刷", "四十克死刷"),
])
def test_loops_are_detected_and_cut(looped, cut):
    assert has_loop(looped)
    assert cut_loops(looped) == cut
    assert not has_loop(clean_segment(looped))


@pytest.mark.parametrize("text", ["谢谢谢谢", "四十四只石狮子", "灰黑灰化肥发黑会挥发", "一心一意", "天天向上"])
def test_ordinary_repetition_is_not_a_loop(text):
    assert not has_loop(text)


def test_compression_ratio_flags_long_loops():
    assert compression_ratio("九长" * 30) > 2.4
    assert compression_ratio("甚至出现交易几乎停滞的情况") < 2.4


def test_punctuate_keeps_decimals_and_latin_spacing():
    assert punctuate("版本 2.5 发布") == "版本2.5发布。"
    assert punctuate("I love you") == "I love you"
