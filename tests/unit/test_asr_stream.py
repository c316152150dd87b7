"""How the live loop's committed pieces of one utterance are joined into its transcript."""

from voice.asr.cleanup import join_text
from voice.asr.stream import join_segments
from voice.asr.types import Segment


def _seg(text: str, raw: str) -> Segment:
    return Segment(0.0, 1.0, text, 0.9, raw=raw)


def test_a_full_stop_added_by_clean_up_at_a_pause_becomes_a_comma():
    pieces = [_seg("帮我定一个明天早上。", "帮我定一个明天早上"), _seg("七点的闹钟。", "七点的闹钟")]
    assert join_segments(pieces) == "帮我定一个明天早上，七点的闹钟。"
    assert join_segments(pieces[:1], more=True) == "帮我定一个明天早上，"  # committed so far, the speaker going on


def test_a_sentence_end_whisper_wrote_is_kept():
    pieces = [_seg("今天天气很好。", "今天天气很好。"), _seg("我们出去走走吧？", "我们出去走走吧?")]
    assert join_segments(pieces) == "今天天气很好。我们出去走走吧？"


def test_a_question_mark_is_kept_and_the_last_piece_is_untouched():
    pieces = [_seg("你在吗？", "你在吗"), _seg("帮我开灯。", "帮我开灯")]
    assert join_segments(pieces) == "你在吗？帮我开灯。"
    assert join_segments([_seg("开灯。", "开灯")]) == "开灯。"
    assert join_segments([]) == ""


def test_latin_words_across_a_join_keep_their_space():
    assert join_text("播放Taylor", "Swift的歌") == "播放Taylor Swift的歌"
    assert join_text("打开", "WiFi") == "打开WiFi"
    assert join_text("", "好的") == "好的"
