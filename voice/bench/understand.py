"""`voice bench understand`: spoken commands through the real loop (VAD → streaming ASR → NLU), graded by hand.

Sets (each run in order on its labels' reference date, nothing spoken back; `samples`, `voices` and `dialog`
as one conversation, the others each command on its own, as their labels assume):
- `samples`: the bundled commands (`samples/`, labels in `samples/labels.jsonl`);
- `voices`: the same 42 texts spoken by other Kokoro voices at other speeds, every second one mixed with real
  noise at 12 dB SNR (generated once into the cache by `make_spoken_set`);
- `heldout`: commands written for this benchmark only (`voice/data/spoken_heldout.jsonl`), spoken the same
  way, for checking rather than tuning (a few general faults were found on it and fixed);
- `unseen`: commands written after the tuning and used for nothing else (`voice/data/spoken_unseen.jsonl`);
- `profile`: commands naming the user's own contacts, artists and city (`voice/data/spoken_profile.jsonl`,
  with its profile), also run without the profile's names in the recognizer's prompt (hot words off);
- `dialog`: questions the assistant answers with a question (要打给谁？) and the answers, in one conversation
  (`voice/data/spoken_dialog.jsonl`), also run with the expected answers in the prompt (off by default);
- `guard`: speech that is not a command (the `speech`, `long` and `mixed` recordings of ../shared/audio, cut
  into utterances by the loop's own VAD): anything but `unknown` or `chitchat` is a false accept.
Each set runs with understanding on (n-best, sound-alike repair checked against the audio) and off (the
recognizer's best text parsed as is; the precision guard still applies), so the gain and the cost are
printed side by side. A question asked back counts as not understood.
"""

from __future__ import annotations

import csv
import hashlib
import json
import statistics
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np

from voice.errors import VoiceError

RATE = 16000
SNR_DB = 12.0
# Voices and speeds the bundled samples do not pair with these texts (tools/make_samples.py rotates
# voices[i % 7] with speeds 0.9/1.0/1.1).
VOICE_SHIFT = 3
SPEEDS = (1.15, 0.85, 1.0)
GUARD_KINDS = ("speech", "long", "mixed")


def spoken_list(name: str) -> tuple[datetime, list[dict], dict]:
    """(reference time, items, header) of a hand-written list in voice/data (spoken_<name>.jsonl): a header
    line (reference_now, note, optional profile, `independent`: each command understood on its own), then
    {"id", "text", "intent", "slots"} per command."""
    from voice.paths import package_data

    path = package_data(f"spoken_{name}.jsonl")
    try:
        lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        return datetime.fromisoformat(lines[0]["reference_now"]), lines[1:], lines[0]
    except (OSError, ValueError, KeyError, IndexError) as exc:
        raise VoiceError(f"{path}: cannot read the spoken commands: {exc}") from None


@dataclass
class SpokenSet:
    name: str
    paths: list[Path]
    labels: list[dict | None]  # None: no command was said (the guard)
    now: datetime
    noisy: list[bool] = field(default_factory=list)
    profile: dict = field(default_factory=dict)
    independent: bool = False  # each command on its own (no context from the one before), else one conversation


SETS = ("samples", "voices", "heldout", "unseen", "profile", "dialog", "guard")


def load_set(name: str, recordings: Path) -> SpokenSet:
    """The files and hand-written labels of one set; `voices`, `heldout`, `unseen` and `profile` are spoken by Kokoro
    into the cache the first time."""
    from voice.audio.manifest import read_manifest, sample_labels
    from voice.paths import data_home, samples_dir

    noise = noise_clips(recordings) if recordings.is_dir() else []
    cache = data_home() / "cache" / "spoken"
    if name in ("samples", "voices", "guard"):
        now, labels = sample_labels(samples_dir())
        with open(samples_dir() / "commands.tsv", newline="", encoding="utf-8") as f:
            commands = list(csv.DictReader(f, delimiter="\t"))
    if name == "samples":
        return SpokenSet(name, [samples_dir() / f"{c['id']}.wav" for c in commands],
                         [labels.get(c["id"]) for c in commands], now)
    if name == "voices":
        rows = make_spoken_set([{"id": c["id"], "text": c["text"]} for c in commands], cache / name, noise)
        return SpokenSet(name, [cache / name / r["file"] for r in rows], [labels.get(r["id"]) for r in rows], now,
                         [r["noisy"] for r in rows])
    if name in ("heldout", "unseen", "profile", "dialog"):
        now, items, header = spoken_list(name)
        rows = make_spoken_set(items, cache / name, noise)
        return SpokenSet(name, [cache / name / r["file"] for r in rows],
                         [{"intent": r["intent"], "slots": r["slots"]} for r in rows], now,
                         [r["noisy"] for r in rows], header.get("profile") or {}, bool(header.get("independent")))
    if name == "guard":
        if not (recordings / "manifest.tsv").is_file():
            raise VoiceError(f"{recordings}: no recordings for the precision guard (set VOICE_TEST_AUDIO)")
        paths = [recordings / r["file"] for r in read_manifest(recordings) if r.get("kind") in GUARD_KINDS]
        return SpokenSet(name, paths, [None] * len(paths), now)
    raise VoiceError(f"unknown set {name!r}: choose from {', '.join(SETS)}")


def noise_clips(folder: Path) -> list[np.ndarray]:
    from voice.audio.load import load_audio
    from voice.audio.manifest import read_manifest

    rows = [r for r in read_manifest(folder) if r.get("kind") == "noise"] if (folder / "manifest.tsv").exists() else []
    return [load_audio(str(folder / r["file"])) for r in rows]


def mix(speech: np.ndarray, noise: np.ndarray, snr_db: float, offset: int) -> np.ndarray:
    """`speech` plus `noise` (looped from `offset`) scaled to `snr_db` over the speech's active part."""
    reps = int(np.ceil((offset + speech.size) / noise.size)) + 1
    piece = np.tile(noise, reps)[offset:offset + speech.size]
    active = speech[np.abs(speech) > 0.02 * np.max(np.abs(speech))] if np.any(speech) else speech
    p_speech = float(np.mean(active ** 2)) if active.size else 0.0
    p_noise = float(np.mean(piece ** 2)) or 1e-12
    out = speech + piece * np.sqrt(p_speech / (p_noise * 10 ** (snr_db / 10)))
    peak = float(np.max(np.abs(out))) or 1.0
    return (out / max(1.0, peak / 0.97)).astype(np.float32)


def make_spoken_set(items: list[dict], out: Path, noise: list[np.ndarray]) -> list[dict]:
    """Speak `items` ({"id", "text", …}) with Kokoro into `out` (voice and speed rotated away from the
    samples', every second one with noise) and write `index.jsonl`; reused when the texts are unchanged."""
    import soundfile as sf
    import soxr

    key = hashlib.sha256(json.dumps([i["text"] for i in items], ensure_ascii=False).encode()).hexdigest()[:16]
    index = out / "index.jsonl"
    if index.exists():
        rows = [json.loads(x) for x in index.read_text(encoding="utf-8").splitlines() if x.strip()]
        if rows and rows[0].get("key") == key and all((out / r["file"]).exists() for r in rows[1:]):
            return rows[1:]
    from voice.tts.kokoro import KokoroTTS

    tts = KokoroTTS()
    voices = [v for v in tts.voices if v != "zf_xiaoni"]  # as tools/make_samples.py: hard to understand
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for i, item in enumerate(items):
        voice, speed = voices[(i + VOICE_SHIFT) % len(voices)], SPEEDS[i % len(SPEEDS)]
        audio = soxr.resample(tts.synthesize(item["text"], voice=voice, speed=speed), 24000, RATE)
        audio = (audio * (0.7 / (np.max(np.abs(audio)) or 1.0))).astype(np.float32)
        audio = np.concatenate([np.zeros(RATE * 3 // 10, np.float32), audio, np.zeros(RATE * 3 // 10, np.float32)])
        noisy = bool(noise) and i % 2 == 1
        if noisy:
            clip = noise[i % len(noise)]
            audio = mix(audio, clip, SNR_DB, (i * 7919) % clip.size)
        name = f"{item['id']}.wav"
        sf.write(out / name, audio, RATE, subtype="PCM_16")
        rows.append({**item, "file": name, "voice": voice, "speed": speed, "noisy": noisy})
    with open(index, "w", encoding="utf-8") as f:
        for row in [{"key": key}, *rows]:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return rows


def run_set(engines, paths: list[Path], now: datetime, understand: bool, heard: list | None = None,
            hotwords: bool = True, profile: dict | None = None, bias_answers: bool = False,
            independent: bool = False) -> list[list[dict]]:
    """The files as one microphone stream through a session; per file, the turns whose speech began in it.
    `heard`, when given, receives what the recognizer heard at each turn (`voice.nlu.understand.Heard`);
    `hotwords=False` keeps the profile's names out of the recognizer's prompt."""
    from voice.audio.sources import utterance_stream
    from voice.pipeline.loop import LoopConfig
    from voice.pipeline.observers import EventLog
    from voice.pipeline.session import Session
    from voice.profile import Profile

    log = EventLog()
    starts: list[float] = []
    config = LoopConfig(partial_every_ms=0, nbest=5 if understand else 0, bias_answers=bias_answers)
    with tempfile.TemporaryDirectory() as tmp, \
            Session(engines, profile=Profile.from_dict(profile or {}), db_path=Path(tmp) / "bench.db", speak=False, sink=None,
                    clock=lambda: now, observers=[log], config=config) as session:
        session.assistant.repair = understand
        if not hotwords:
            session.loop.asr.hotwords = ()
        ask = session.assistant.ask

        def each_ask(text, now=None, **kw):
            if heard is not None:
                heard.append(kw.get("heard"))
            if independent:  # the labels assume nothing was said before
                session.assistant.store.set_context(None, now)
            return ask(text, now, **kw)

        preview = session.assistant.preview

        def each_preview(text, now=None, heard=None):  # the end-of-turn judgement parses before the turn
            if independent:
                session.assistant.store.set_context(None, now)
            return preview(text, now, heard)

        session.assistant.ask = each_ask
        session.assistant.preview = each_preview
        session.run(utterance_stream(paths, realtime=False, starts=starts))
    per_file: list[list[dict]] = [[] for _ in paths]
    where = 0
    nlu: dict = {}
    for e in log.events:
        if e.type == "speech.start":
            at = e.data["start_t"]
            where = max([k for k, s in enumerate(starts) if s <= at + 0.05] or [0])
        elif e.type == "nlu.result":
            nlu = e.data
        elif e.type == "turn":
            per_file[where].append({**e.data, "decision": nlu.get("decision"), "verify_ms": nlu.get("verify_ms"),
                                    "understood": nlu.get("understood")})
    return per_file


def grade(per_file: list[list[dict]], labels: list[dict | None]) -> dict:
    n = len(labels)
    intent_ok = full_ok = 0
    for turns, label in zip(per_file, labels):
        if label is None:
            continue
        got = turns[-1] if len(turns) == 1 else None
        intent_ok += bool(got and got["intent"] == label["intent"])
        full_ok += bool(got and got["intent"] == label["intent"] and got["slots"] == label["slots"])
    return {"n": n, "intent": intent_ok, "intent_slots": full_ok}


def _costs(per_file: list[list[dict]]) -> dict:
    turns = [t for ts in per_file for t in ts]
    verified = [t["verify_ms"] for t in turns if t.get("verify_ms")]
    nlu = [t["nlu_ms"] for t in turns if t.get("nlu_ms") is not None]
    return {"turns": len(turns), "verified_turns": len(verified),
            "verify_ms_p50": round(statistics.median(verified), 1) if verified else 0.0,
            "verify_ms_max": round(max(verified), 1) if verified else 0.0,
            "nlu_ms_p50": round(statistics.median(nlu), 1) if nlu else 0.0,
            "corrected": sum(t.get("decision") == "corrected" for t in turns),
            "asked": sum(t.get("decision") == "ask" for t in turns)}


def run_understand_bench(as_json: bool = False, sets: tuple[str, ...] = SETS, audio_dir: str | None = None,
                         compare: bool = True, show: bool = False) -> int:
    from voice.paths import recordings_dir
    from voice.pipeline.session import Engines

    recordings = Path(audio_dir) if audio_dir else recordings_dir()
    unknown = [n for n in sets if n not in SETS]
    if unknown:  # before minutes of model loading
        raise VoiceError(f"unknown set {unknown[0]!r}: choose from {', '.join(SETS)}")
    engines = Engines.load(speak=False)
    results: dict = {}
    for name in sets:
        spoken = load_set(name, recordings)
        paths, labels, now, noisy = spoken.paths, spoken.labels, spoken.now, spoken.noisy
        entry: dict = {"files": len(paths)}
        modes = ("on", "off") if compare else ("on",)
        if compare and spoken.profile:
            modes += ("on, no hot words",)  # the profile's names kept out of the recognizer's prompt
        if compare and name == "dialog":
            modes += ("on, answer bias",)  # a question's expected answers in the prompt (off by default)
        for mode in modes:
            per_file = run_set(engines, paths, now, understand=mode != "off", hotwords=mode != "on, no hot words",
                               profile=spoken.profile, bias_answers=mode == "on, answer bias",
                               independent=spoken.independent)
            if name == "guard":
                turns = [t for ts in per_file for t in ts]
                accepted = [t for t in turns if t["intent"] not in ("unknown", "chitchat")]
                entry[mode] = {"utterances": len(turns), "false_accepts": len(accepted),
                               "false_accept_rate": round(len(accepted) / max(1, len(turns)), 4),
                               "accepted": [f"{t['transcript']} → {t['intent']}" for t in accepted],
                               **_costs(per_file)}
                continue
            g = grade(per_file, labels)
            if noisy:
                clean = [i for i, x in enumerate(noisy) if not x]
                dirty = [i for i, x in enumerate(noisy) if x]
                g["clean"] = grade([per_file[i] for i in clean], [labels[i] for i in clean])
                g["noisy"] = grade([per_file[i] for i in dirty], [labels[i] for i in dirty])
            g.update(_costs(per_file))
            if show:
                g["misses"] = [f"{p.stem}: {(ts[-1]['transcript'], ts[-1]['intent'], ts[-1]['slots']) if ts else '-'}"
                               for p, ts, lab in zip(paths, per_file, labels)
                               if lab and not (len(ts) == 1 and ts[0]["intent"] == lab["intent"]
                                               and ts[0]["slots"] == lab["slots"])]
            entry[mode] = g
        results[name] = entry
    if as_json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    for name, entry in results.items():
        for mode in ("on", "off", "on, no hot words", "on, answer bias"):
            r = entry.get(mode)
            if r is None:
                continue
            label = f"{name:<8} understanding {mode:<3}"
            if name == "guard":
                print(f"{label} false accepts {r['false_accepts']}/{r['utterances']} ({100 * r['false_accept_rate']:.1f} %);"
                      f" asked back {r['asked']}")
                for a in r["accepted"]:
                    print(f"    {a}")
                continue
            line = (f"{label} intent {r['intent']}/{r['n']} ({100 * r['intent'] / r['n']:.0f} %), "
                    f"intent+slots {r['intent_slots']}/{r['n']} ({100 * r['intent_slots'] / r['n']:.0f} %)")
            if "noisy" in r:
                line += (f"; clean {r['clean']['intent_slots']}/{r['clean']['n']},"
                         f" noisy {r['noisy']['intent_slots']}/{r['noisy']['n']}")
            if mode != "off":
                line += (f"; corrected {r['corrected']}, asked {r['asked']}; verification on {r['verified_turns']}"
                         f" of {r['turns']} turns, p50 {r['verify_ms_p50']} ms, max {r['verify_ms_max']} ms")
            print(line)
            for m in r.get("misses", []):
                print(f"    miss {m}")
    return 0
