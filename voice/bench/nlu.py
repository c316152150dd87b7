"""`voice bench nlu`: intent accuracy, exact slot match and per-utterance latency on a JSONL case file.

Each line: {"text": "...", "intent": "...", "slots": {...}, "now": "2026-11-27T10:00"?}; `now` defaults to
DEFAULT_NOW. Latency is measured for `parse` (NLU only) and for `Assistant.ask` (NLU + skill + SQLite, on a
throw-away database), after one warm-up pass, as medians over `repeat` passes.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from voice.errors import VoiceError

DEFAULT_NOW = "2026-11-27T10:00"


def default_cases() -> Path:
    from voice.paths import package_data

    return package_data("nlu_cases.jsonl")


def load_cases(path: str | Path | None = None) -> list[dict]:
    p = Path(path) if path else default_cases()
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise VoiceError(f"{p}: cannot read the NLU cases: {exc.strerror}") from None
    cases = []
    for n, line in enumerate(lines, 1):
        if line.strip() and not line.startswith("#"):
            try:
                case = json.loads(line)
            except ValueError:
                raise VoiceError(f"{p}:{n}: not a JSON object") from None
            case.setdefault("slots", {})
            case.setdefault("now", DEFAULT_NOW)
            cases.append(case)
    return cases


def evaluate(cases: list[dict]) -> dict:
    from voice.nlu.parser import parse

    per_intent: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # cases, intent ok, slots ok
    failures = []
    for case in cases:
        got = parse(case["text"], datetime.fromisoformat(case["now"]))
        slots = got.slots
        stats = per_intent[case["intent"]]
        stats[0] += 1
        intent_ok = got.intent == case["intent"]
        slots_ok = intent_ok and slots == case["slots"]
        stats[1] += intent_ok
        stats[2] += slots_ok
        if not slots_ok:
            failures.append({"text": case["text"], "want": [case["intent"], case["slots"]],
                             "got": [got.intent, slots]})
    total = len(cases)
    return {
        "cases": total,
        "intent_accuracy": round(sum(s[1] for s in per_intent.values()) / total, 4) if total else None,
        "slot_exact_match": round(sum(s[2] for s in per_intent.values()) / total, 4) if total else None,
        "per_intent": {k: {"cases": v[0], "intent_accuracy": round(v[1] / v[0], 3),
                           "slot_exact_match": round(v[2] / v[0], 3)} for k, v in sorted(per_intent.items())},
        "failures": failures,
    }


def latency(cases: list[dict], repeat: int) -> dict:
    from voice.dialog.assistant import Assistant
    from voice.nlu.parser import parse
    from voice.profile import Profile

    texts = [(c["text"], datetime.fromisoformat(c["now"])) for c in cases]
    for text, now in texts:  # warm-up: imports, regex compilation, calendars
        parse(text, now)
    parse_ms, ask_ms = [], []
    with tempfile.TemporaryDirectory() as tmp, Assistant(Profile(), Path(tmp) / "bench.db") as assistant:
        for _ in range(max(1, repeat)):
            for text, now in texts:
                t0 = time.perf_counter()
                parse(text, now)
                parse_ms.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                assistant.ask(text, now)
                ask_ms.append((time.perf_counter() - t0) * 1000)
    q = lambda xs, p: round(sorted(xs)[min(len(xs) - 1, int(p * len(xs)))], 3)  # noqa: E731
    return {"parse_ms": {"p50": round(statistics.median(parse_ms), 3), "p95": q(parse_ms, 0.95)},
            "ask_ms": {"p50": round(statistics.median(ask_ms), 3), "p95": q(ask_ms, 0.95)},
            "utterances_timed": len(ask_ms)}


def run_nlu_bench(cases: str | None = None, as_json: bool = False, repeat: int = 3) -> int:
    loaded = load_cases(cases)
    result = evaluate(loaded) | {"latency": latency(loaded, repeat)}
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    print(f"{'intent':18s} {'cases':>5s} {'intent acc':>10s} {'slots exact':>11s}")
    for name, r in result["per_intent"].items():
        print(f"{name:18s} {r['cases']:5d} {r['intent_accuracy']:10.1%} {r['slot_exact_match']:11.1%}")
    print(f"{'all':18s} {result['cases']:5d} {result['intent_accuracy']:10.1%} {result['slot_exact_match']:11.1%}")
    lat = result["latency"]
    print(f"latency (median / p95 over {lat['utterances_timed']} utterances): parse {lat['parse_ms']['p50']} / "
          f"{lat['parse_ms']['p95']} ms, ask {lat['ask_ms']['p50']} / {lat['ask_ms']['p95']} ms")
    for f in result["failures"][:30]:
        print(f"  miss: {f['text']}  want {f['want']}  got {f['got']}")
    return 0
