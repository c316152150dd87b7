"""Speech that only contains a command word is no command (sentences written here, labels by hand)."""

import pytest

from voice.nlu.parser import parse

NOT_COMMANDS = [
    "我记得上次来过这家店",  # recalls, does not ask to be reminded
    "你放心吧我会准时到的",  # 放心 is not "play 心…"
    "她放弃了那份工作",
    "这封信来自北京",
    "他讲了很久公司里的那些事情，前往上海",  # a command word at the end of a long stretch of other speech
]
COMMANDS = [
    ("记得明天带伞", "reminder.set"),
    ("放一首周杰伦的歌", "music.play"),
    ("嗯，导航去西湖", "navigation.start"),  # a short filler before the command still counts
    ("放首轻音乐吧，我要睡觉了", "music.play"),
]


@pytest.mark.parametrize("text", NOT_COMMANDS)
def test_not_commands(text):
    assert parse(text).intent in ("unknown", "chitchat"), parse(text)


@pytest.mark.parametrize("text,intent", COMMANDS)
def test_commands_still_understood(text, intent):
    assert parse(text).intent == intent
