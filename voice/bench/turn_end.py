"""Premature end of turn: how often the loop ends a turn while the user is only pausing.

- Paused sets (`voice/data/paused_commands.jsonl`, and `paused_heldout.jsonl` written after the rule and never
  used to tune it): hand-written commands spoken by Kokoro in two parts with a natural pause of 300–700 ms
  between them. A command whose audio produced more than one end of speech was cut inside its pause.
- Real recordings (../shared/audio, up to 25 s): ends of speech per recording. The adaptive rule must not
  end more turns than the fixed one.

Each file is fed as fast as it decodes (the decisions depend on frames, not on wall time), once with
the adaptive end of turn and once with the fixed 480 ms rule, through the same loaded engines.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np

from voice.audio.frames import RATE
from voice.paths import data_home

PAUSED_SETS = ("paused_commands", "paused_heldout")
LEAD_S = 0.3


def paused_set(name: str) -> list[dict]:
    """Rows of one paused set, each with `path`, and `pause` (start, end) in seconds within its file; spoken by
    Kokoro into the cache the first time (and again when the texts change)."""
    from voice.errors import VoiceError
    from voice.paths import package_data

    path = package_data(f"{name}.jsonl")
    try:
        items = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()][1:]
    except (OSError, ValueError) as exc:
        raise VoiceError(f"{path}: cannot read the paused commands: {exc}") from None
    out = data_home() / "cache" / "paused" / name
    key = hashlib.sha256(json.dumps(items, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]
    index = out / "index.jsonl"
    if index.exists():
        rows = [json.loads(x) for x in index.read_text(encoding="utf-8").splitlines() if x.strip()]
        if rows and rows[0].get("key") == key and all(Path(r["path"]).exists() for r in rows[1:]):
            return rows[1:]
    import soundfile as sf
    import soxr

    from voice.tts.kokoro import KokoroTTS

    tts = KokoroTTS()
    voices = [v for v in tts.voices if v != "zf_xiaoni"]
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    lead = np.zeros(int(LEAD_S * RATE), np.float32)
    for i, item in enumerate(items):
        voice = voices[i % len(voices)]
        parts = [_trimmed(soxr.resample(tts.synthesize(item[k], voice=voice), 24000, RATE))
                 for k in ("first", "second")]
        gap = np.zeros(int(item["pause_ms"] * RATE / 1000), np.float32)
        audio = np.concatenate([lead, parts[0], gap, parts[1], lead])
        audio = (audio * (0.7 / (np.max(np.abs(audio)) or 1.0))).astype(np.float32)
        path = out / f"{item['id']}.wav"
        sf.write(path, audio, RATE, subtype="PCM_16")
        start = (lead.size + parts[0].size) / RATE
        rows.append({**item, "path": str(path), "voice": voice, "pause": [round(start, 3),
                                                                          round(start + gap.size / RATE, 3)]})
    with open(index, "w", encoding="utf-8") as f:
        for row in [{"key": key}, *rows]:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return rows


def _trimmed(audio: np.ndarray, floor: float = 0.01) -> np.ndarray:
    """Kokoro's own leading and trailing quiet removed, so the pause is exactly the one written down."""
    loud = np.flatnonzero(np.abs(audio) > floor * (np.max(np.abs(audio)) or 1.0))
    return audio[loud[0]:loud[-1] + 1].astype(np.float32) if loud.size else audio.astype(np.float32)


def ends_per_file(engines, paths: list[Path], adaptive: bool) -> list[int]:
    """Ends of speech the loop decided inside each file; each file is a fresh conversation (no pending
    question from the file before)."""
    from voice.audio.sources import utterance_stream
    from voice.pipeline.loop import LoopConfig
    from voice.pipeline.observers import EventLog
    from voice.pipeline.session import Session

    config = replace(LoopConfig(partial_every_ms=0), adaptive_end=adaptive)
    counts = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, path in enumerate(paths):
            log = EventLog()
            with Session(engines, db_path=Path(tmp) / f"{i}.db", speak=False, observers=[log],
                         config=config) as session:
                session.run(utterance_stream([path], realtime=False))
                session.finish()
            counts.append(len(log.of("speech.end")))
    return counts


def run(engines, recordings: Path | None = None) -> dict:
    result: dict = {}
    for name in PAUSED_SETS:
        rows = paused_set(name)
        paths = [Path(r["path"]) for r in rows]
        entry: dict = {"commands": len(rows)}
        for rule, adaptive in (("adaptive", True), ("fixed_480ms", False)):
            counts = ends_per_file(engines, paths, adaptive)
            cut = [r["id"] for r, n in zip(rows, counts) if n > 1]
            entry[rule] = {"premature": len(cut), "rate": round(len(cut) / len(rows), 4), "cut": cut,
                           "missed": [r["id"] for r, n in zip(rows, counts) if n == 0]}
        result[name] = entry
    if recordings is not None and (recordings / "manifest.tsv").is_file():
        from voice.audio.manifest import sample_files

        paths = sample_files(recordings, kinds=("command", "speech", "mixed"), max_s=25.0)
        entry = {"files": len(paths)}
        for rule, adaptive in (("adaptive", True), ("fixed_480ms", False)):
            entry[rule] = sum(ends_per_file(engines, paths, adaptive))
        result["recordings"] = entry
    return result
