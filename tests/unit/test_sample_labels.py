"""The hand-written sample labels load, and a broken labels file is one clear error naming it."""

from datetime import datetime
from pathlib import Path

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


def test_every_sample_text_means_its_label_said_in_order(tmp_path):
    """The 42 texts as typed, in one conversation from the labels' reference time: each reaches the intent
    and slots written by hand (recognition aside: the spoken path is tests/integration/)."""
    from voice.audio.manifest import transcripts
    from voice.dialog.assistant import Assistant
    from voice.profile import Profile

    now, labels = sample_labels(samples_dir())
    texts = {Path(p).stem: t for p, t in transcripts(samples_dir()).items()}
    wrong = []
    with Assistant(Profile(), tmp_path / "a.db") as a:
        for stem in sorted(labels):
            turn = a.ask(texts[stem], now)
            if (turn.intent.intent, turn.to_dict()["slots"]) != (labels[stem]["intent"], labels[stem]["slots"]):
                wrong.append((stem, texts[stem], turn.intent.intent, turn.to_dict()["slots"]))
    assert len(labels) == 42 and not wrong, wrong
