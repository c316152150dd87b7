"""Spoken forms for TTS (voice.tts.normalize), one case per line of tests/data/tts_normalize.tsv."""

from pathlib import Path

import pytest

from voice.tts.normalize import normalize_tts

_FILE = Path(__file__).parents[1] / "data" / "tts_normalize.tsv"
CASES = [tuple(line.rstrip("\n").split("\t")) for line in _FILE.read_text(encoding="utf-8").splitlines()
         if line.strip() and not line.startswith("#")]


def test_case_file_size():
    assert len(CASES) >= 150


@pytest.mark.parametrize("text,spoken", CASES, ids=[c[0] for c in CASES])
def test_spoken_form(text, spoken):
    assert normalize_tts(text) == spoken


@pytest.mark.parametrize("text", ["", "。", "😀", "hello"])
def test_no_digits_left_and_no_crash(text):
    out = normalize_tts(text)
    assert not any(c.isdigit() for c in out) and out == text
