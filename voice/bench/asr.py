"""`voice bench asr`: this engine and plain faster-whisper side by side, in one run, on one folder.

Each engine runs in its own fresh process (so peak memory is its own and neither warms the other's
caches), one after the other. Plain faster-whisper gets the same model with its default options, beam 5,
language zh, every core. This engine runs its batch path (`voice transcribe --jobs N`).
CER uses `voice.bench.cer` (documented normalization) over the clips that have a transcript and are not
noise; "noise outputs" counts noise-only clips with any output.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from voice.audio.manifest import read_manifest
from voice.errors import VoiceError
from voice.paths import recordings_dir

# --- one engine, in a child process -------------------------------------------------------------------


def _peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024  # Linux reports kB


def _run_plain(paths: list[str], model: str | None) -> dict:
    import ctranslate2
    from faster_whisper import WhisperModel

    from voice.models.store import resolve_asr_model

    ctranslate2.set_random_seed(1)  # its temperature fallback samples: the same baseline on every run
    fw = WhisperModel(str(resolve_asr_model(model)), device="cpu", compute_type="int8",
                      cpu_threads=os.cpu_count() or 1)
    texts, durations = {}, {}
    started = time.perf_counter()
    for path in paths:
        segments, info = fw.transcribe(path, language="zh", beam_size=5)
        texts[path] = "".join(s.text for s in segments)
        durations[path] = info.duration
    return {"texts": texts, "durations": durations, "wall": time.perf_counter() - started}


def _run_voice(paths: list[str], model: str | None, jobs: int) -> dict:
    from voice.asr.types import ASROptions
    from voice.batch.runner import transcribe_files

    texts, durations, errors = {}, {}, {}
    started = time.perf_counter()
    for result in transcribe_files(paths, ASROptions(model=model), jobs=jobs):
        if result.transcript is None:
            errors[result.path] = result.error
            continue
        texts[result.path] = result.transcript.text
        durations[result.path] = result.transcript.duration
    return {"texts": texts, "durations": durations, "errors": errors, "wall": time.perf_counter() - started}


def _child(engine: str, paths_file: str, model: str, jobs: int) -> None:
    paths = json.loads(Path(paths_file).read_text())
    model = model or None
    out = _run_plain(paths, model) if engine == "plain" else _run_voice(paths, model, jobs)
    out["peak_rss_mb"] = _peak_rss_mb()
    json.dump(out, sys.stdout, ensure_ascii=False)


def _spawn(engine: str, paths_file: Path, model: str | None, jobs: int) -> dict:
    cmd = [sys.executable, "-m", "voice.bench.asr", engine, str(paths_file), model or "", str(jobs)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise VoiceError(f"bench: the {engine} run failed: {tail}")
    return json.loads(proc.stdout)


# --- scoring and report -------------------------------------------------------------------------------


def score(rows: list[dict], folder: Path, run: dict) -> dict:
    from voice.asr.cleanup import has_loop
    from voice.bench.cer import cer, traditional_chars

    texts = run["texts"]
    by_class: dict[str, tuple[list[str], list[str]]] = {}
    refs, hyps, noise_out, per_clip = [], [], [], {}
    for row in rows:
        path = str(folder / row["file"])
        hyp = texts.get(path, "")
        if row.get("kind") == "noise":
            if hyp.strip():
                noise_out.append(row["file"])
            continue
        if not row["transcript"].strip():
            continue
        refs.append(row["transcript"])
        hyps.append(hyp)
        per_clip[row["file"]] = round(cer([row["transcript"]], [hyp]), 4)
        r, h = by_class.setdefault(row.get("kind") or "speech", ([], []))
        r.append(row["transcript"])
        h.append(hyp)
    audio = sum(run["durations"].values())
    return {
        "cer": round(cer(refs, hyps), 4),
        "cer_by_kind": {k: round(cer(r, h), 4) for k, (r, h) in sorted(by_class.items())},
        "traditional_chars": sum(traditional_chars(t) for t in texts.values()),
        "noise_clips_with_output": len(noise_out),
        "noise_outputs": {f: texts[str(folder / f)] for f in noise_out},
        "loops": sum(has_loop(t) for t in texts.values()),
        "failed_files": len(run.get("errors", {})),
        "audio_s": round(audio, 2),
        "wall_s": round(run["wall"], 2),
        "rtf": round(run["wall"] / audio, 4) if audio else None,
        "peak_rss_mb": round(run["peak_rss_mb"], 1),
        "per_clip_cer": per_clip,
    }


def per_clip(rows: list[dict], plain: dict, voice: dict) -> list[dict]:
    """Both engines' CER clip by clip, ours worse first: a regression can't hide in the corpus average."""
    kinds = {r["file"]: r.get("kind") or "speech" for r in rows}
    out = [{"file": f, "kind": kinds[f], "plain": plain["per_clip_cer"][f], "voice": c,
            "delta": round(c - plain["per_clip_cer"][f], 4)} for f, c in voice["per_clip_cer"].items()]
    return sorted(out, key=lambda x: (-x["delta"], x["file"]))


def run_asr_bench(audio_dir: str | None = None, model: str | None = None, as_json: bool = False,
                  jobs: int = 2, limit: int = 0) -> int:
    import tempfile

    folder = Path(audio_dir) if audio_dir else recordings_dir()
    rows = read_manifest(folder)
    if limit:
        rows = rows[:limit]
    paths = [str(folder / r["file"]) for r in rows]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(paths, f)
    try:
        voice_run = _spawn("voice", Path(f.name), model, jobs)
        plain_run = _spawn("plain", Path(f.name), model, jobs)
    finally:
        os.unlink(f.name)
    result = {"audio_dir": str(folder), "files": len(rows), "model": model or "whisper-base",
              "jobs": jobs, "plain": score(rows, folder, plain_run), "voice": score(rows, folder, voice_run)}
    p, v = result["plain"], result["voice"]
    result["per_clip"] = per_clip(rows, p, v)
    result["ratios"] = {
        "cer_voice_over_plain": round(v["cer"] / p["cer"], 3) if p["cer"] else None,
        "cer_relative_reduction": round(1 - v["cer"] / p["cer"], 3) if p["cer"] else None,
        "rtf_voice_over_plain": round(v["rtf"] / p["rtf"], 3) if p["rtf"] else None,
    }
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        _print_table(result)
    return 0


def _print_table(r: dict) -> None:
    p, v = r["plain"], r["voice"]
    print(f"ASR benchmark on {r['audio_dir']} ({r['files']} files, {p['audio_s']:.1f} s of audio), "
          f"model {r['model']}")
    rows = [
        ("CER (all scored clips)", f"{p['cer']:.1%}", f"{v['cer']:.1%}"),
        *[(f"  CER {k}", f"{p['cer_by_kind'].get(k, 0):.1%}", f"{v['cer_by_kind'].get(k, 0):.1%}")
          for k in sorted(set(p["cer_by_kind"]) | set(v["cer_by_kind"]))],
        ("Traditional characters in output", p["traditional_chars"], v["traditional_chars"]),
        ("noise clips with output", p["noise_clips_with_output"], v["noise_clips_with_output"]),
        ("outputs with loops", p["loops"], v["loops"]),
        ("failed files", p["failed_files"], v["failed_files"]),
        ("wall time (s)", f"{p['wall_s']:.1f}", f"{v['wall_s']:.1f}"),
        ("RTF", f"{p['rtf']:.3f}", f"{v['rtf']:.3f}"),
        ("peak RSS (MB)", f"{p['peak_rss_mb']:.0f}", f"{v['peak_rss_mb']:.0f}"),
    ]
    print(f"{'':36}{'faster-whisper':>16}{'voice (jobs=' + str(r['jobs']) + ')':>18}")
    for name, a, b in rows:
        print(f"{name:36}{a!s:>16}{b!s:>18}")
    ratios = r["ratios"]
    print(f"ratios: CER voice/plain {ratios['cer_voice_over_plain']} "
          f"(relative reduction {ratios['cer_relative_reduction']:.1%}), "
          f"RTF voice/plain {ratios['rtf_voice_over_plain']}")
    for name, text in v["noise_outputs"].items():
        print(f"voice output on noise clip {name}: {text!r}")
    worse = sum(c["delta"] > 0 for c in r["per_clip"])
    print(f"\nper clip, CER (ours worse first; worse on {worse} of {len(r['per_clip'])}):")
    print(f"{'clip':60}{'kind':>9}{'plain':>8}{'voice':>8}{'delta':>8}")
    for c in r["per_clip"]:
        print(f"{c['file'][-60:]:60}{c['kind']:>9}{c['plain']:8.1%}{c['voice']:8.1%}{c['delta']:+8.1%}")


if __name__ == "__main__":
    _child(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
