"""Make harder copies of a recordings folder (with `manifest.tsv`) for `voice bench asr --audio OUT`.

Two conditions the engine's defaults were never tuned on, made with sox:

- `tel`: telephone band: 8 kHz, 300–3400 Hz, μ-law round trip, then back to 16 kHz (what an 8 kHz
  call recording sounds like once loaded);
- `far`: far field: room reverberation plus pink noise ~12 dB below the speech.

Usage: python tools/degrade_set.py SRC OUT [--conditions tel,far]. OUT gets the new clips and a
manifest.tsv whose rows keep SRC's kind and transcript. OUT must be outside the repository when SRC's
recordings may not be copied into it (../shared/audio).
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
from pathlib import Path


def _sox(src: Path, dst: Path, condition: str) -> None:
    if condition == "tel":
        mid = dst.with_suffix(".ul.wav")
        subprocess.run(["sox", str(src), "-r", "8000", "-c", "1", "-e", "u-law", str(mid), "sinc", "300-3400"],
                       check=True)
        subprocess.run(["sox", str(mid), "-r", "16000", "-e", "signed", "-b", "16", str(dst)], check=True)
        mid.unlink()
        return
    # far field: reverberant copy, mixed with pink noise at a fixed level below the speech's RMS
    wet = dst.with_suffix(".wet.wav")
    subprocess.run(["sox", str(src), "-c", "1", "-r", "16000", str(wet), "reverb", "60", "50", "90", "100", "20",
                    "norm", "-3"], check=True)
    stats = subprocess.run(["sox", str(wet), "-n", "stats"], capture_output=True, text=True).stderr
    rms_db = next(float(line.split()[-1]) for line in stats.splitlines() if line.startswith("RMS lev dB"))
    seconds = subprocess.run(["soxi", "-D", str(wet)], capture_output=True, text=True, check=True).stdout.strip()
    noise = dst.with_suffix(".noise.wav")
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", str(noise), "synth", seconds, "pinknoise",
                    "gain", "-n", f"{rms_db - 12:.1f}"], check=True)
    subprocess.run(["sox", "-m", str(wet), str(noise), "-e", "signed", "-b", "16", str(dst)], check=True)
    wet.unlink()
    noise.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--conditions", default="tel,far")
    args = parser.parse_args(argv)
    if not shutil.which("sox"):
        print("degrade_set: sox is not installed", file=sys.stderr)
        return 2
    with (args.src / "manifest.tsv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    args.out.mkdir(parents=True, exist_ok=True)
    out_rows = []
    for condition in args.conditions.split(","):
        for row in rows:
            name = f"{condition}/{Path(row['file']).stem}.wav"
            dst = args.out / name
            dst.parent.mkdir(parents=True, exist_ok=True)
            _sox(args.src / row["file"], dst, condition)
            out_rows.append({"file": name, "kind": row["kind"], "transcript": row.get("transcript", "")})
    with (args.out / "manifest.tsv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["file", "kind", "transcript"], delimiter="\t")
        writer.writeheader()
        writer.writerows(out_rows)
    print(f"{len(out_rows)} clips in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
