"""Folders of recordings described by a `manifest.tsv` (tab-separated; columns `file`, `kind`, `transcript`,
optionally `duration_s`): the bundled samples and the developers' real recordings."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

from voice.errors import VoiceError


def read_manifest(folder: str | Path) -> list[dict]:
    manifest = Path(folder) / "manifest.tsv"
    try:
        with open(manifest, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t"))
    except OSError as exc:
        raise VoiceError(f"{manifest}: cannot read the recordings manifest: {exc.strerror}") from None
    if not rows or "file" not in rows[0] or "transcript" not in rows[0]:
        raise VoiceError(f"{manifest}: needs tab-separated columns file, kind, transcript")
    return rows


def transcripts(folder: str | Path) -> dict[str, str]:
    """Full path of each listed file → its reference transcript."""
    folder = Path(folder)
    return {str(folder / r["file"]): r["transcript"] for r in read_manifest(folder)}


def sample_files(folder: str | Path, kinds=("command", "speech"), max_s: float = 8.0) -> list[Path]:
    """Manifest rows of `folder` with a transcript, of the given kinds and at most `max_s` long."""
    folder = Path(folder)
    return [folder / r["file"] for r in read_manifest(folder) if r.get("transcript", "").strip()
            and r.get("kind") in kinds and float(r.get("duration_s") or 0) <= max_s]


def sample_labels(folder: str | Path) -> tuple[datetime, dict[str, dict]]:
    """`labels.jsonl` of `folder`: the reference time its labels assume, and file stem → {"intent", "slots"}.

    The labels are written by hand (what each command means), never produced by the parser."""
    path = Path(folder) / "labels.jsonl"
    try:
        lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        now = datetime.fromisoformat(lines[0]["reference_now"])
        labels = {x["id"]: {"intent": x["intent"], "slots": x["slots"]} for x in lines[1:]}
    except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise VoiceError(f"{path}: cannot read the labels: {type(exc).__name__} {exc}") from None
    return now, labels
