"""`voice transcribe` as a function: inputs expanded, files transcribed (here or on Ray), outputs written."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from voice.errors import VoiceError


def transcribe_command(paths: list[str], options, fmt: str = "txt", output_dir: str | None = None, jobs: int = 1,
                       engine: str = "local", address: str | None = None, quiet: bool = False) -> int:
    """`voice transcribe`: text per file on stdout (or one file each in `output_dir`, written atomically),
    a progress bar and a summary on stderr; exit 1 if any input failed."""
    from voice.batch.formats import one_line, render
    from voice.batch.runner import expand_inputs, file_progress_bar, progress_bar, transcribe_files
    from voice.fsutil import atomic_write

    paths = expand_inputs(paths)
    if not paths:
        raise VoiceError("no input files")
    out_dir = Path(output_dir) if output_dir else None
    targets = _output_names(paths, out_dir, fmt) if out_dir else {}
    tty = sys.stderr.isatty() and not quiet
    tick = progress_bar(len(paths), tty and len(paths) > 1)

    started = time.perf_counter()
    failed = done = 0
    audio_s = 0.0
    per_file = file_progress_bar(tty and len(paths) == 1)
    if engine == "ray":
        from voice.batch.ray_runner import transcribe_files_ray

        if out_dir is not None:
            finished = [p for p in paths if targets[p].exists()]
            if finished and not quiet:
                print(f"voice: skipping {len(finished)} files whose output exists in {out_dir}", file=sys.stderr)
            paths = [p for p in paths if not targets[p].exists()]
            tick = progress_bar(len(paths), tty and len(paths) > 1)
        results = transcribe_files_ray(paths, options, jobs=jobs, address=address) if paths else iter(())
    else:
        results = transcribe_files(paths, options, jobs=jobs, progress=per_file)
    for result in results:
        tick(result)
        t = result.transcript
        if t is None:
            failed += 1
            print(f"voice: error: {result.error}", file=sys.stderr)
            if fmt == "tsv" and out_dir is None:
                print(f"{result.path}\t", flush=True)
            continue
        done += 1
        audio_s += t.duration
        if out_dir is not None:
            atomic_write(targets[result.path], render(t, fmt))
        elif fmt == "tsv":
            print(f"{result.path}\t{one_line(t.text)}", flush=True)
        elif fmt == "txt" and len(paths) > 1:
            print(f"{result.path}: {t.text}", flush=True)
        else:
            sys.stdout.write(render(t, fmt))
            sys.stdout.flush()
    wall = time.perf_counter() - started
    if not quiet and (len(paths) > 1 or out_dir is not None or tty):
        rtf = wall / audio_s if audio_s else 0.0
        note = f", {failed} failed" if failed else ""
        print(f"voice: {done} of {len(paths)} files{note}; audio {audio_s:.1f} s; wall {wall:.1f} s; "
              f"RTF {rtf:.3f}" + (f"; written to {out_dir}" if out_dir and done else ""), file=sys.stderr)
    return 1 if failed else 0


def _output_names(paths: list[str], out_dir: Path, fmt: str) -> dict[str, Path]:
    """out_dir/STEM.fmt; inputs with the same stem get their parent folder names prefixed."""
    names: dict[str, Path] = {}
    used: set[Path] = set()
    for path in paths:
        p = Path(path)
        parts = [p.stem]
        parents = list(p.parent.parts)
        candidate = out_dir / f"{p.stem}.{fmt}"
        while candidate in used and parents:
            parts.insert(0, parents.pop())
            candidate = out_dir / (("__".join(parts)) + f".{fmt}")
        used.add(candidate)
        names[path] = candidate
    return names
