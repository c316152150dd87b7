"""`voice bench nlu`: intent accuracy, exact slot match and per-utterance latency on a JSONL case file.

Each line: {"text": "...", "intent": "...", "slots": {...}, "now": "2026-11-27T10:00"?, "family": "..."?};
`now` defaults to DEFAULT_NOW; a line {"profile": {...}} gives the cases after it a profile (their devices,
contacts…). With families, accuracy is also reported per family. `--ha-tests DIR` reads a Home Assistant
intents test folder instead (`voice.bench.ha_suite`), at the intent level. Latency is measured for `parse` (NLU only) and for `Assistant.ask` (NLU + skill + SQLite, on a
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
    profile = None
    for n, line in enumerate(lines, 1):
        if line.strip() and not line.startswith("#"):
            try:
                case = json.loads(line)
            except ValueError:
                raise VoiceError(f"{p}:{n}: not a JSON object") from None
            if not isinstance(case, dict) or "text" not in case and "profile" not in case:
                raise VoiceError(f"{p}:{n}: neither a case (text, intent) nor a profile line")
            if "text" not in case:
                profile = case["profile"]
                continue
            case.setdefault("slots", {})
            case.setdefault("now", DEFAULT_NOW)
            if profile is not None:
                case.setdefault("profile", profile)
            cases.append(case)
    return cases


def _profile(case: dict, made: dict):
    from voice.profile import Profile

    data = case.get("profile")
    if data is None:
        return None
    key = json.dumps(data, sort_keys=True, ensure_ascii=False)
    if key not in made:
        made[key] = Profile.from_dict(data)
    return made[key]


def evaluate(cases: list[dict]) -> dict:
    from voice.nlu.parser import parse

    per_intent: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # cases, intent ok, slots ok
    per_family: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    failures = []
    profiles: dict = {}
    for case in cases:
        got = parse(case["text"], datetime.fromisoformat(case["now"]), _profile(case, profiles))
        slots = got.slots
        intent_ok = got.intent == case["intent"]
        slots_ok = intent_ok and (case.get("intent_only") or slots == case["slots"])
        for stats in (per_intent[case["intent"]], *([per_family[case["family"]]] if "family" in case else [])):
            stats[0] += 1
            stats[1] += intent_ok
            stats[2] += slots_ok
        if not slots_ok:
            failures.append({"text": case["text"], "want": [case["intent"], case["slots"]],
                             "got": [got.intent, slots]})
    total = len(cases)
    return {
        "per_family": {k: {"cases": v[0], "intent_accuracy": round(v[1] / v[0], 3),
                           "slot_exact_match": round(v[2] / v[0], 3)} for k, v in sorted(per_family.items())},
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


def run_nlu_bench(cases: str | None = None, as_json: bool = False, repeat: int = 3,
                  ha_tests: str | None = None) -> int:
    skipped: list[str] = []
    if ha_tests:
        from voice.bench.ha_suite import load_ha_tests

        loaded, profile, skipped = load_ha_tests(ha_tests)
        for case in loaded:
            case.update(now=DEFAULT_NOW, profile=profile)
    elif cases:
        loaded = load_cases(cases)
    else:  # the bundled sets: the grammar's cases and the home-assistant families (with their devices)
        from voice.paths import package_data

        loaded = load_cases() + load_cases(package_data("nlu_families.jsonl"))
    result = evaluate(loaded) | {"latency": latency(loaded, repeat)}
    if skipped:
        result["not_covered"] = skipped
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    for title, table in (("family", result["per_family"]), ("intent", result["per_intent"])):
        if not table:
            continue
        print(f"{title:26s} {'cases':>5s} {'intent acc':>10s} {'slots exact':>11s}")
        for name, r in table.items():
            print(f"{name:26s} {r['cases']:5d} {r['intent_accuracy']:10.1%} {r['slot_exact_match']:11.1%}")
    print(f"{'all':26s} {result['cases']:5d} {result['intent_accuracy']:10.1%} {result['slot_exact_match']:11.1%}")
    if skipped:
        print(f"not covered here (not counted): {len(skipped)} sentences ({', '.join(sorted(set(skipped)))})")
    lat = result["latency"]
    print(f"latency (median / p95 over {lat['utterances_timed']} utterances): parse {lat['parse_ms']['p50']} / "
          f"{lat['parse_ms']['p95']} ms, ask {lat['ask_ms']['p50']} / {lat['ask_ms']['p95']} ms")
    for f in result["failures"][:30]:
        print(f"  miss: {f['text']}  want {f['want']}  got {f['got']}")
    return 0
