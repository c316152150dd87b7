"""The home-assistant families (voice/data/nlu_families.jsonl, written by hand): every sentence parses to its
hand-written intent and slots with the file's device list, and each family is reported by the benchmark."""

from datetime import datetime

import pytest

from voice.bench.nlu import evaluate, load_cases
from voice.nlu.parser import parse
from voice.paths import package_data
from voice.profile import Profile

CASES = load_cases(package_data("nlu_families.jsonl"))


def test_every_family_has_several_phrasings_and_the_new_intents_are_there():
    families = {}
    for c in CASES:
        families.setdefault(c["family"], []).append(c)
    assert len(families) >= 12 and all(len(v) >= 3 for v in families.values())
    intents = {c["intent"] for c in CASES}
    assert {"device.query", "timer.pause", "timer.resume", "timer.adjust", "traffic.query", "dialog.cancel",
            "media.control", "alarm.cancel"} <= intents


@pytest.mark.parametrize("case", CASES, ids=[c["text"] for c in CASES])
def test_case(case):
    got = parse(case["text"], datetime.fromisoformat(case["now"]), Profile.from_dict(case["profile"]))
    assert (got.intent, got.slots) == (case["intent"], case["slots"])


def test_the_benchmark_reports_each_family():
    result = evaluate(CASES)
    assert set(result["per_family"]) == {c["family"] for c in CASES}
    assert result["per_family"]["state questions"]["intent_accuracy"] == 1.0


def test_without_the_device_list_names_are_not_devices():
    # the same sentence, no household: 小白 is nobody's vacuum, and the command is not acted on as one
    got = parse("让小白开始扫地", datetime(2026, 11, 27, 10, 0))
    assert got.slots.get("name") != "小白"
