"""The new families in the live loop: utterances made with the project's TTS (Kokoro, clean speech) are
played as the microphone of `voice listen`, recognized, understood, acted on and answered with a synthesized
reply (a dismissal closes in silence). The household's devices come from the profile."""

import json
import subprocess
import sys

import numpy as np
import pytest

from voice.errors import VoiceError
from voice.home.devices import Device
from voice.profile import Profile, save_profile

RATE = 16000
# (what is said, the intent it must reach, a word the reply must contain or "" for a silent one)
TURNS = [
    ("卧室灯开着吗？", "device.query", "不知道"),
    ("打开卧室灯。", "device.control", "卧室灯"),
    ("卧室灯开着吗？", "device.query", "开着"),
    ("把大门锁上。", "device.control", "锁上"),
    ("定一个十分钟的煮蛋计时器。", "timer.set", "煮蛋"),
    ("暂停煮蛋计时器。", "timer.pause", "暂停"),
    ("煮蛋计时器加两分钟。", "timer.adjust", "加了"),
    ("取消煮蛋计时器。", "timer.cancel", "取消"),
    ("回家的路上堵不堵？", "traffic.query", "路况"),
    ("讲个笑话吧。", "chitchat", "。"),
    ("客厅电视暂停。", "media.control", "暂停"),
    ("发短信告诉老婆我马上回家。", "message.send", "马上回家"),
    ("没事了。", "dialog.cancel", ""),
]


@pytest.fixture(scope="module")
def conversation(tmp_path_factory):
    import soundfile as sf
    import soxr

    from voice.tts.kokoro import KokoroTTS

    try:
        tts = KokoroTTS()
    except VoiceError as exc:
        pytest.skip(f"Kokoro TTS cannot be set up here: {exc}")
    tmp = tmp_path_factory.mktemp("home")
    gap = np.zeros(int(RATE * 1.5), np.float32)
    parts = [gap]
    for text, _, _ in TURNS:
        audio = soxr.resample(tts.synthesize(text, voice="zf_xiaobei"), 24000, RATE).astype(np.float32)
        parts += [audio * (0.7 / (np.abs(audio).max() or 1.0)), gap]
    sf.write(tmp / "conversation.wav", np.concatenate(parts), RATE, subtype="PCM_16")
    profile = save_profile(Profile(devices=[Device("卧室灯", "light", "卧室"), Device("大门", "lock", "玄关"),
                                            Device("客厅电视", "tv", "客厅")]), tmp / "profile.json")
    events = tmp / "events.jsonl"
    r = subprocess.run([sys.executable, "-m", "voice", "listen", "--input", str(tmp / "conversation.wav"),
                        "--events", str(events), "--db", str(tmp / "a.db"), "--profile", str(profile)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    logged = [json.loads(x) for x in events.read_text(encoding="utf-8").splitlines()]
    return [e for e in logged if e["type"] == "turn"], r.stdout


def test_every_new_family_is_understood_and_answered_aloud(conversation):
    turns, _ = conversation
    got = [(t["transcript"], t["intent"]) for t in turns]
    assert [t["intent"] for t in turns] == [want for _, want, _ in TURNS], got
    for turn, (_, _, word) in zip(turns, TURNS):
        if word:
            assert word in turn["reply"] and turn["tts_first_audio_ms"] is not None, turn
        else:  # the dismissal: nothing said
            assert turn["reply"] == "" and turn["tts_first_audio_ms"] is None, turn
