"""`voice transcribe` / `voice models` / `voice normalize` as a user runs them: real model, real audio."""

import json
import os
import shutil
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

GOOD = ["firered_asr/IT0011W0001.wav", "firered_asr/TEST_NET_Y0000000000_-KTKHdZ2fb8_S00000.wav"]


def voice(*args, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "voice", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=600, env=env)


@pytest.fixture
def batch(tmp_path, shared_audio):
    """Two real recordings with bad files between them, in a known order."""
    (tmp_path / "empty.wav").write_bytes(b"")
    (tmp_path / "notes.mp3").write_text("not audio at all\n")
    good = [shared_audio / g for g in GOOD]
    return [good[0], tmp_path / "empty.wav", tmp_path / "missing.flac", tmp_path / "notes.mp3", good[1]]


def test_tsv_prints_one_line_per_input_in_order_and_reports_failures(batch):
    out = voice("transcribe", "--format", "tsv", *batch)
    assert out.returncode == 1  # some inputs failed
    lines = out.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == [str(p) for p in batch]
    texts = [line.split("\t", 1)[1] for line in lines]
    assert texts[0] == "换一首歌。" and texts[4].startswith("我有的时候说不清楚")
    assert texts[1] == texts[2] == texts[3] == ""
    errors = [line for line in out.stderr.splitlines() if line.startswith("voice: error:")]
    assert errors == [f"voice: error: {batch[1]}: empty file (0 bytes)",
                      f"voice: error: {batch[2]}: no such file",
                      f"voice: error: {batch[3]}: not an audio file or unsupported format"]
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("fmt", ["txt", "json", "srt", "vtt", "tsv"])
def test_output_dir_writes_only_complete_files(tmp_path, batch, fmt):
    out_dir = tmp_path / "out"
    result = voice("transcribe", "--format", fmt, "--output-dir", out_dir, "--quiet", *batch)
    assert result.returncode == 1
    written = sorted(os.listdir(out_dir))
    assert written == sorted([f"IT0011W0001.{fmt}", f"TEST_NET_Y0000000000_-KTKHdZ2fb8_S00000.{fmt}"])
    content = (out_dir / f"IT0011W0001.{fmt}").read_text(encoding="utf-8")
    assert "换一首歌" in content
    if fmt == "json":
        data = json.loads(content)
        assert data["segments"] and 0 < data["segments"][0]["confidence"] <= 1
    if fmt == "srt":
        assert content.startswith("1\n00:00:0")


def test_folders_globs_and_parallel_jobs_agree(tmp_path, shared_audio):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    for g in GOOD:
        shutil.copy(shared_audio / g, folder / "sub")
    (folder / "readme.txt").write_text("not audio; folders only contribute audio files")
    one = voice("transcribe", "--format", "tsv", folder)
    two = voice("transcribe", "--format", "tsv", "--jobs", "2", str(folder / "sub" / "*.wav"))
    assert one.returncode == two.returncode == 0, one.stderr + two.stderr
    texts_one = [line.split("\t")[1] for line in one.stdout.splitlines()]
    texts_two = [line.split("\t")[1] for line in two.stdout.splitlines()]
    assert len(texts_one) == 2 and texts_one == texts_two


def test_plain_text_and_itn(shared_audio):
    out = voice("transcribe", "--itn", shared_audio / "sherpa_docs" / "sensevoice_zh.wav")
    assert out.returncode == 0
    assert "9点" in out.stdout and "5点" in out.stdout


def test_bad_arguments_are_one_line_errors(tmp_path, shared_audio):
    out = voice("transcribe", "--hotwords", f"@{tmp_path / 'none.txt'}", shared_audio / GOOD[0])
    assert out.returncode == 2
    assert out.stderr.strip() == f"voice: error: {tmp_path / 'none.txt'}: cannot read hotwords file: " \
                                 "No such file or directory"
    out = voice("transcribe", "--model", "whisper-nonexistent", shared_audio / GOOD[0])
    assert out.returncode == 2 and "no such model name or folder" in out.stderr
    # a hub model is fetched on first use; with the hub unreachable (a closed local port, so the test never
    # downloads 484 MB where internet exists) that is one line
    offline = {**os.environ, "HF_ENDPOINT": "http://127.0.0.1:9"}
    out = voice("transcribe", "--model", "small", shared_audio / GOOD[0], env=offline)
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1
    assert "model whisper-small: cannot reach the model hub" in out.stderr


def test_models_commands():
    listed = voice("models", "list")
    assert listed.returncode == 0
    assert "whisper-base*" in listed.stdout and "whisper-large-v3" in listed.stdout
    path = voice("models", "path", "whisper-base")
    assert path.returncode == 0 and os.path.isfile(os.path.join(path.stdout.strip(), "model.bin"))
    verified = voice("models", "verify", "whisper-base")
    assert verified.returncode == 0 and verified.stdout.count(": ok") == 4


def test_normalize_itn():
    out = voice("normalize", "--itn", "我要二十五个苹果，百分之五十，打幺三八幺二三四五六七八，听一听上一首")
    assert out.stdout.strip() == "我要25个苹果，50%，打13812345678，听一听上一首"


def test_api_with_hotwords(shared_audio):
    import voice as v

    path = shared_audio / "porcupine" / "haozhu.wav"
    plain = v.transcribe(path)
    biased = v.transcribe(path, hotwords=["豪猪"])
    assert "豪猪" not in plain.text  # whisper-base hears 好粥 / 好珠
    assert "豪猪" in biased.text
    assert biased.source == str(path) and biased.duration == pytest.approx(1.61, abs=0.01)
