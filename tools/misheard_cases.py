"""Record what the recognizer really heard for spoken commands, and replay the understanding step on it.

    python tools/misheard_cases.py record [--sets samples,voices]   # runs the loop once per set (minutes)
    python tools/misheard_cases.py replay [--set KEY=VALUE ...]    # seconds: re-runs voice.nlu.understand

`record` runs each set through the live loop (as `voice bench understand` does) and writes, per turn, the
heard text, the beam's other hypotheses and the hand-written label to `tests/data/misheard_cases.jsonl`
(the case file the tests use), and the encoder window the turn was scored against to the cache
(`<data home>/cache/misheard/<set>.npz`, not in git). `replay` rebuilds each turn's audio scorer from the
cache and runs the assistant again over the same turns, so the margins in `voice.nlu.understand` can be
compared in seconds (`--set ACCEPT_NATS=3`). Tune on `samples` and `voices`; `heldout` is for checking.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CASES = Path(__file__).resolve().parent.parent / "tests" / "data" / "misheard_cases.jsonl"


def record(names: list[str]) -> None:
    from voice.bench.understand import load_set, run_set
    from voice.paths import data_home, recordings_dir
    from voice.pipeline.session import Engines

    engines = Engines.load(speak=False)
    out_dir = data_home() / "cache" / "misheard"
    out_dir.mkdir(parents=True, exist_ok=True)
    old = [json.loads(x) for x in CASES.read_text(encoding="utf-8").splitlines()] if CASES.exists() else []
    rows = [r for r in old if r["set"] not in names]
    for name in names:
        spoken = load_set(name, recordings_dir())
        paths, labels, now = spoken.paths, spoken.labels, spoken.now
        heard: list = []
        per_file = run_set(engines, paths, now, understand=True, heard=heard, profile=spoken.profile,
                           independent=spoken.independent)
        windows = {}
        k = 0
        for path, turns, label in zip(paths, per_file, labels):
            for turn in turns:
                h = heard[k]
                key = f"{path.stem}#{k}"
                row = {"set": name, "id": path.stem, "turn": k, "now": now.isoformat(timespec="minutes"),
                       **({"profile": spoken.profile} if spoken.profile and k == 0 else {}),
                       **({"independent": True} if spoken.independent else {}),
                       "heard": h.text if h else turn["transcript"],
                       "alternatives": list(h.alternatives) if h else [],
                       "intent": label["intent"] if label else None, "slots": label["slots"] if label else None}
                if h is not None and h.score is not None:
                    windows[key] = h.score.window
                rows.append(row)
                k += 1
        np.savez_compressed(out_dir / f"{name}.npz", **windows)
        print(f"{name}: {k} turns recorded", file=sys.stderr)
    order = {"samples": 0, "voices": 1, "heldout": 2, "unseen": 3, "profile": 4, "dialog": 5, "guard": 6}
    rows.sort(key=lambda r: (order.get(r["set"], 9), r["turn"]))
    with open(CASES, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def replay(names: list[str], settings: list[str], show: bool) -> None:
    from datetime import datetime

    from voice.asr.whisper import AudioScorer
    from voice.dialog.assistant import Assistant
    from voice.nlu import understand as nu
    from voice.nlu.understand import Heard
    from voice.paths import data_home
    from voice.pipeline.session import Engines
    from voice.profile import Profile

    for s in settings:
        k, v = s.split("=", 1)
        setattr(nu, k, type(getattr(nu, k))(v))
    asr = Engines.load(speak=False).asr
    rows = [json.loads(x) for x in CASES.read_text(encoding="utf-8").splitlines() if x.strip()]
    for name in names:
        cache = data_home() / "cache" / "misheard" / f"{name}.npz"
        windows = np.load(cache) if cache.exists() else {}
        turns = [r for r in rows if r["set"] == name]
        by_id: dict[str, list] = {}
        verify = []
        with tempfile.TemporaryDirectory() as tmp:
            profile = Profile.from_dict(turns[0].get("profile") or {}) if turns else Profile()
            a = Assistant(profile, Path(tmp) / "r.db")
            for r in turns:
                key = f"{r['id']}#{r['turn']}"
                scorer = AudioScorer(asr, windows[key]) if key in windows else None
                if r.get("independent"):
                    a.store.set_context(None, datetime.fromisoformat(r["now"]))
                t0 = time.perf_counter()
                turn = a.ask(r["heard"], datetime.fromisoformat(r["now"]),
                             heard=Heard(r["heard"], tuple(r["alternatives"]), scorer))
                verify.append((time.perf_counter() - t0) * 1000)
                by_id.setdefault(r["id"], []).append((r, turn))
            a.close()
        if name == "guard":
            accepted = [(r, t) for pairs in by_id.values() for r, t in pairs
                        if t.intent.intent not in ("unknown", "chitchat")]
            n = sum(len(p) for p in by_id.values())
            for r, t in accepted if show else ():
                print(f"  false accept: {r['heard']} → {t.understanding.decision} {t.intent.text} {t.intent.intent}")
            print(f"{name}: false accepts {len(accepted)}/{n}; ask() p50 {np.median(verify):.1f} ms")
            continue
        ok = 0
        for rid, pairs in by_id.items():
            r, turn = pairs[-1]
            good = (len(pairs) == 1 and r["intent"] is not None and turn.intent.intent == r["intent"]
                    and turn.to_dict()["slots"] == r["slots"])
            ok += good
            if show and not good:
                u = turn.understanding
                print(f"  miss {rid}: {r['heard']} → {u.decision if u else '-'} {u.text if u else ''} "
                      f"{turn.intent.intent} {turn.to_dict()['slots']}")
        print(f"{name}: {ok}/{len(by_id)} intent+slots; ask() p50 {np.median(verify):.1f} ms")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("what", choices=("record", "replay"))
    p.add_argument("--sets", default="samples,voices,heldout,profile,dialog,guard",
                   help="(the unseen set is for `voice bench understand` only: nothing is tuned on it)")
    p.add_argument("--set", action="append", default=[], help="replay: override a constant of "
                                                                "voice.nlu.understand (NAME=VALUE)")
    p.add_argument("--misses", action="store_true")
    a = p.parse_args()
    names = [s for s in a.sets.split(",") if s]
    if a.what == "record":
        record(names)
    else:
        replay(names, a.set, a.misses)


if __name__ == "__main__":
    main()
