"""Audio loading: every common format, rate, depth and channel count; every kind of bad input."""

import os

import av
import numpy as np
import pytest
import soundfile as sf

from voice.audio import SAMPLE_RATE, load_audio, resample
from voice.bench.cer import cer
from voice.errors import AudioError


@pytest.fixture(scope="module")
def original(command_wav):
    audio, rate = sf.read(command_wav, dtype="float32")
    assert rate == SAMPLE_RATE
    return audio


def _write_m4a(path, audio, rate):
    with av.open(str(path), "w") as out:
        stream = out.add_stream("aac", rate=rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(audio.reshape(1, -1).astype(np.float32), format="flt", layout="mono")
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


VARIANTS = {
    "pcm16_8k.wav": (8000, 1, "WAV", "PCM_16"),
    "pcm24_48k_stereo.wav": (48000, 2, "WAV", "PCM_24"),
    "pcm32_44k.wav": (44100, 1, "WAV", "PCM_32"),
    "float_22k.wav": (22050, 1, "WAV", "FLOAT"),
    "u8_16k.wav": (16000, 1, "WAV", "PCM_U8"),
    "stereo_16k.flac": (16000, 2, "FLAC", "PCM_16"),
    "vorbis_48k.ogg": (48000, 1, "OGG", "VORBIS"),
    "mp3_44k.mp3": (44100, 2, "MP3", "MPEG_LAYER_III"),
    "aac_48k.m4a": (48000, 1, None, None),
}


@pytest.fixture(scope="module")
def variants(original, tmp_path_factory):
    folder = tmp_path_factory.mktemp("formats")
    files = {}
    for name, (rate, channels, fmt, subtype) in VARIANTS.items():
        audio = resample(original, SAMPLE_RATE, rate)
        path = folder / name
        if fmt is None:
            _write_m4a(path, audio, rate)
        else:
            data = np.stack([audio, audio * 0.5], axis=1) if channels == 2 else audio
            sf.write(path, data, rate, format=fmt, subtype=subtype)
        files[name] = path
    return files


@pytest.mark.parametrize("name", list(VARIANTS))
def test_every_format_loads_as_16k_mono_float(variants, original, name):
    audio = load_audio(variants[name])
    assert audio.dtype == np.float32 and audio.ndim == 1
    # Same duration within 60 ms (codec priming/padding), same loudness within a factor of two.
    assert abs(audio.size - original.size) < 0.06 * SAMPLE_RATE
    assert 0.5 < np.sqrt(np.mean(audio**2)) / np.sqrt(np.mean(original**2)) < 2.0


@pytest.mark.slow
@pytest.mark.parametrize("name", ["pcm16_8k.wav", "pcm24_48k_stereo.wav", "mp3_44k.mp3", "aac_48k.m4a"])
def test_transcribes_the_same_from_every_format(engine, variants, name):
    text = engine.transcribe(load_audio(variants[name])).text
    assert cer(["换一首歌"], [text]) <= 0.25, text


def test_empty_file(tmp_path):
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    with pytest.raises(AudioError, match=r"^.*empty\.wav: empty file"):
        load_audio(path)


@pytest.mark.parametrize("name, content", [
    ("notes.wav", "这不是音频文件\n" * 50),
    ("random.mp3", os.urandom(4096)),
    ("random.m4a", os.urandom(4096)),
    ("page.ogg", "<html><body>404</body></html>"),
])
def test_non_audio_files(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    with pytest.raises(AudioError) as err:
        load_audio(path)
    message = str(err.value)
    assert message.startswith(str(path) + ": ") and "\n" not in message


def test_corrupt_header(tmp_path, command_wav):
    data = bytearray(command_wav.read_bytes())
    data[0:12] = b"\x00" * 12  # RIFF header destroyed
    path = tmp_path / "corrupt.wav"
    path.write_bytes(bytes(data))
    with pytest.raises(AudioError, match="corrupt.wav: "):
        load_audio(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(AudioError, match="nope.wav: no such file"):
        load_audio(tmp_path / "nope.wav")
    with pytest.raises(AudioError, match="is a folder"):
        load_audio(tmp_path)


def test_header_only_wav(tmp_path):
    path = tmp_path / "header.wav"
    sf.write(path, np.zeros(0, dtype=np.float32), 16000)
    with pytest.raises(AudioError, match="no audio samples"):
        load_audio(path)


def test_too_long(tmp_path, command_wav):
    with pytest.raises(AudioError, match="too long"):
        load_audio(command_wav, max_seconds=1.0)
