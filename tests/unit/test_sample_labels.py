"""The hand-written sample labels load, and a broken labels file is one clear error naming it."""

from datetime import datetime

import pytest

from voice.audio.manifest import sample_files, sample_labels
from voice.errors import VoiceError
from voice.paths import samples_dir


def test_every_bundled_sample_has_a_label():
    now, labels = sample_labels(samples_dir())
    assert now == datetime(2026, 11, 27, 10, 0)
    assert {p.stem for p in sample_files(samples_dir())} <= set(labels)
    assert labels["cmd_26"] == {"intent": "calc.evaluate", "slots": {"expression": "3+5", "result": 8}}


@pytest.mark.parametrize("content", ["", "not json\n", '{"reference_now": "2026-11-27T10:00"}\n{"intent": "x"}\n',
                                     '{"reference_now": "yesterday"}\n'])
def test_a_broken_labels_file_names_itself(tmp_path, content):
    (tmp_path / "labels.jsonl").write_text(content, encoding="utf-8")
    with pytest.raises(VoiceError, match="labels.jsonl: cannot read the labels"):
        sample_labels(tmp_path)


def test_a_missing_labels_file_names_itself(tmp_path):
    with pytest.raises(VoiceError, match="labels.jsonl"):
        sample_labels(tmp_path)
