"""The engine on real Mandarin recordings (../shared/audio): accuracy thresholds, script, noise, loops."""

import csv

import numpy as np
import pytest

from voice.asr.cleanup import has_loop
from voice.audio import load_audio
from voice.bench.cer import cer, traditional_chars

pytestmark = pytest.mark.slow

# Measured CER by clip class (voice bench asr, whisper-base int8): command 0.63, speech 0.30, mixed 0.63;
# plain faster-whisper 0.69 / 0.31 / 0.57. Thresholds leave a few points for run-to-run variation.
MAX_CER = {"command": 0.70, "speech": 0.36, "mixed": 0.70}
CLEAN = ["firered_asr/BAC009S0764W0121.wav", "firered_asr/IT0011W0001.wav",
         "firered_asr/TEST_NET_Y0000000000_-KTKHdZ2fb8_S00000.wav", "funasr/paraformer_example_1.wav"]


@pytest.fixture(scope="module")
def results(shared_audio, engine):
    with open(shared_audio / "manifest.tsv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [(row, engine.transcribe(load_audio(shared_audio / row["file"]))) for row in rows]


@pytest.mark.parametrize("kind", sorted(MAX_CER))
def test_cer_per_clip_class(results, kind):
    pairs = [(row["transcript"], t.text) for row, t in results if row["kind"] == kind and row["transcript"]]
    assert pairs, f"no {kind} clips in the manifest"
    value = cer([r for r, _ in pairs], [h for _, h in pairs])
    assert value <= MAX_CER[kind], f"{kind} CER {value:.3f}"


def test_clean_read_speech_is_nearly_perfect(results):
    pairs = [(row["transcript"], t.text) for row, t in results if row["file"] in CLEAN]
    assert len(pairs) == len(CLEAN)
    assert cer([r for r, _ in pairs], [h for _, h in pairs]) <= 0.05


def test_output_is_always_simplified(results):
    for row, t in results:
        assert traditional_chars(t.text) == 0, (row["file"], t.text)


def test_nothing_on_noise(results):
    noise = [(row, t) for row, t in results if row["kind"] == "noise"]
    assert len(noise) >= 3
    for row, t in noise:
        assert t.text == "" and t.segments == [], (row["file"], t.text)


def test_no_loops(results):
    for row, t in results:
        assert not has_loop(t.text), (row["file"], t.text)


def test_chinese_punctuation(results):
    speech = [t.text for row, t in results if row["kind"] == "speech" and t.text]
    assert all(text[-1] in "。？！" for text in speech)
    assert not any(ch in text for text in speech for ch in ",?!")


def test_long_recording_is_segmented_with_timestamps(results):
    (row, t), = [(row, t) for row, t in results if row["kind"] == "long"]
    assert len(t.segments) >= 3
    starts = [s.start for s in t.segments]
    assert starts == sorted(starts)
    assert all(0 <= s.start < s.end <= t.duration + 0.01 for s in t.segments)
    assert all(0 < s.confidence <= 1 for s in t.segments)


def test_silence_gives_nothing(engine):
    import numpy as np

    assert engine.transcribe(np.zeros(16000 * 5, dtype=np.float32)).text == ""
    rng = np.random.default_rng(0)
    assert engine.transcribe((rng.standard_normal(16000 * 5) * 0.01).astype(np.float32)).text == ""


def test_progress_is_reported_per_chunk(engine, shared_audio):
    seen = []
    t = engine.transcribe(load_audio(shared_audio / "sherpa_docs" / "qwen3asr_noise2.wav"), progress=seen.append)
    assert len(seen) >= 2 and seen == sorted(seen)
    assert 0 < seen[0] < 1 and seen[-1] == pytest.approx(1.0, abs=0.02)
    assert t.text


def telephone_band(audio: np.ndarray) -> np.ndarray:
    """What an 8 kHz call recording sounds like once loaded: 8 kHz, 300-3400 Hz, 8-bit μ-law, back to 16 kHz."""
    from scipy.signal import butter, resample_poly, sosfilt

    narrow = resample_poly(audio, 1, 2)
    narrow = sosfilt(butter(6, [300, 3400], btype="bandpass", fs=8000, output="sos"), narrow)
    mu = 255.0
    companded = np.sign(narrow) * np.log1p(mu * np.minimum(np.abs(narrow), 1.0)) / np.log1p(mu)
    companded = np.round(companded * 127) / 127
    narrow = np.sign(companded) * np.expm1(np.abs(companded) * np.log1p(mu)) / mu
    return resample_poly(narrow, 2, 1).astype(np.float32)


# Telephone-band copies: Silero VAD scores such speech low. On the long clip the engine once returned nothing
# (no region at VAD threshold 0.5, and a decode that stopped after a few words without the split of long
# chunks); now it must keep most of the speech. Limits: (CER, shortest output as a share of the reference).
TELEPHONE = {"firered_asr/TEST_NET_Y0000000000_-KTKHdZ2fb8_S00000.wav": (0.25, 0.8),
             "sherpa_docs/qwen3asr_fast1.wav": (0.8, 0.4)}


@pytest.mark.parametrize("name", sorted(TELEPHONE))
def test_telephone_band_speech_is_not_dropped(shared_audio, engine, name):
    with open(shared_audio / "manifest.tsv", encoding="utf-8") as f:
        reference = next(r["transcript"] for r in csv.DictReader(f, delimiter="\t") if r["file"] == name)
    text = engine.transcribe(telephone_band(load_audio(shared_audio / name))).text
    max_cer, min_share = TELEPHONE[name]
    assert len(text) >= min_share * len(reference), text
    assert cer([reference], [text]) <= max_cer, text


def babble(audio: np.ndarray, others: list[np.ndarray], below_db: float = 10.0) -> np.ndarray:
    """A crowded room: other recordings played backwards (unintelligible), together `below_db` under the speech."""
    def rms(x):
        return float(np.sqrt(np.mean(x ** 2)))

    noise = np.zeros_like(audio)
    for other in others:
        backwards = np.resize(other[::-1], audio.size)
        noise += backwards / rms(backwards)
    return (audio + noise * rms(audio) * 10 ** (-below_db / 20) / rms(noise)).astype(np.float32)


def test_fast_speech_under_babble_is_not_cut_short(shared_audio, engine):
    # Without timestamps Whisper ended this fast clip after its first sentence once babble was added (13 of 130
    # characters, CER 0.92; plain faster-whisper 0.52): a chunk with far too few characters for its speech is now
    # decoded again with timestamps.
    name = "sherpa_docs/qwen3asr_fast1.wav"
    with open(shared_audio / "manifest.tsv", encoding="utf-8") as f:
        reference = next(r["transcript"] for r in csv.DictReader(f, delimiter="\t") if r["file"] == name)
    others = [load_audio(shared_audio / n) for n in ("firered_asr/BAC009S0764W0121.wav",
                                                     "funasr/paraformer_example_1.wav",
                                                     "sherpa_docs/funasr_nano_far_2.wav")]
    text = engine.transcribe(babble(load_audio(shared_audio / name), others)).text
    assert len(text) >= 0.6 * len(reference), text
    assert cer([reference], [text]) <= 0.7, text
