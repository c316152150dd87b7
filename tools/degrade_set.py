"""Make harder copies of a recordings folder (with `manifest.tsv`) for `voice bench asr --audio OUT`.

Conditions, made with sox:

- `tel`: telephone band: 8 kHz, 300–3400 Hz, μ-law round trip, then back to 16 kHz (what an 8 kHz
  call recording sounds like once loaded);
- `far`: far field: room reverberation plus pink noise ~12 dB below the speech.

`tel` and `far` were used to choose the file defaults (VAD threshold, chunk splitting), so they are a
tuned set. `heldout` was written after those choices; measuring it once showed Whisper stopping early on
fast and noisy speech (fixed by the sparse-chunk retry), so it has been looked at too:

- `mp3`: a 16 kbit/s MP3 round trip (a voice memo sent through a messenger);
- `quick`: spoken 12 % faster, pitch kept;
- `babble`: reversed copies of three other clips of the set mixed ~10 dB below (a crowded room,
  unintelligible), saved as 44.1 kHz stereo.

`heldout2` was written after that fix and is only measured, never tuned on:

- `gsm`: GSM 06.10 at 8 kHz (a mobile call);
- `slow`: spoken 12 % slower, pitch kept;
- `hot`: 14 dB too loud, clipped, with a 50 Hz mains hum (a cheap microphone too close).

Usage: python tools/degrade_set.py SRC OUT [--conditions tel,far|heldout|heldout2|mp3,...]. OUT gets the new
clips and a manifest.tsv whose rows keep SRC's kind and transcript. OUT must be outside the repository when SRC's
recordings may not be copied into it (../shared/audio).
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
from pathlib import Path

SETS = {"heldout": ("mp3", "quick", "babble"), "heldout2": ("gsm", "slow", "hot")}


def _rms_db(path: Path) -> float:
    stats = subprocess.run(["sox", str(path), "-n", "stats"], capture_output=True, text=True).stderr
    return next(float(line.split()[-1]) for line in stats.splitlines() if line.startswith("RMS lev dB"))


def _seconds(path: Path) -> str:
    return subprocess.run(["soxi", "-D", str(path)], capture_output=True, text=True, check=True).stdout.strip()


def _babble(src: Path, dst: Path, others: list[Path]) -> None:
    mono = dst.with_suffix(".mono.wav")
    subprocess.run(["sox", str(src), "-c", "1", "-r", "16000", str(mono)], check=True)
    speech_db = _rms_db(mono)
    seconds = _seconds(mono)
    parts = [str(mono)]
    for i, other in enumerate(others):
        part = dst.with_suffix(f".b{i}.wav")
        # reversed, looped to the clip's length, each at its own level so the sum sits ~10 dB down
        subprocess.run(["sox", "-V1", str(other), "-c", "1", "-r", "16000", str(part), "reverse", "repeat", "20",
                        "trim", "0", seconds, "gain", "-n", f"{speech_db - 14.8:.1f}"], check=True)
        parts.append(str(part))
    subprocess.run(["sox", "-m", *parts, "-r", "44100", "-c", "2", "-e", "signed", "-b", "16",
                    str(dst)], check=True)
    for part in parts:
        Path(part).unlink()


def _sox(src: Path, dst: Path, condition: str, others: list[Path] = ()) -> None:
    if condition == "mp3":
        mid = dst.with_suffix(".mp3")
        subprocess.run(["sox", str(src), "-c", "1", "-r", "16000", "-C", "16", str(mid)], check=True)
        subprocess.run(["sox", str(mid), "-r", "16000", "-e", "signed", "-b", "16", str(dst)], check=True)
        mid.unlink()
        return
    if condition in ("quick", "slow"):
        factor = "1.12" if condition == "quick" else "0.88"
        subprocess.run(["sox", str(src), "-c", "1", "-r", "16000", str(dst), "tempo", "-s", factor], check=True)
        return
    if condition == "gsm":
        mid = dst.with_suffix(".gsm")
        subprocess.run(["sox", str(src), "-c", "1", "-r", "8000", str(mid)], check=True)
        subprocess.run(["sox", str(mid), "-r", "16000", "-e", "signed", "-b", "16", str(dst)], check=True)
        mid.unlink()
        return
    if condition == "hot":
        mono = dst.with_suffix(".mono.wav")
        subprocess.run(["sox", str(src), "-c", "1", "-r", "16000", str(mono), "norm", "-1"], check=True)
        hum = dst.with_suffix(".hum.wav")
        subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", str(hum), "synth", _seconds(mono), "sine", "50",
                        "gain", "-24"], check=True)
        # mixing halves each input; the gain after it drives the sum 14 dB past full scale (clipped)
        subprocess.run(["sox", "-V1", "-m", str(mono), str(hum), "-e", "signed", "-b", "16", str(dst),
                        "gain", "20"], check=True)
        mono.unlink()
        hum.unlink()
        return
    if condition == "babble":
        _babble(src, dst, list(others))
        return
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
    rms_db = _rms_db(wet)
    seconds = _seconds(wet)
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
    conditions = SETS.get(args.conditions) or tuple(args.conditions.split(","))
    speech = [args.src / row["file"] for row in rows if row["kind"] != "noise"]
    for condition in conditions:
        for n, row in enumerate(rows):
            name = f"{condition}/{Path(row['file']).stem}.wav"
            dst = args.out / name
            dst.parent.mkdir(parents=True, exist_ok=True)
            src = args.src / row["file"]
            others = [p for p in speech if p != src]
            _sox(src, dst, condition, [others[(n + k * 5) % len(others)] for k in range(3)])
            out_rows.append({"file": name, "kind": row["kind"], "transcript": row.get("transcript", "")})
    with (args.out / "manifest.tsv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["file", "kind", "transcript"], delimiter="\t")
        writer.writeheader()
        writer.writerows(out_rows)
    print(f"{len(out_rows)} clips in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
