"""Batch transcription of files, folders and globs, in one process or several (`jobs`)."""

from __future__ import annotations

import glob
import os
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from voice.asr.types import ASROptions, Transcript
from voice.errors import VoiceError

AUDIO_EXTENSIONS = {".wav", ".flac", ".mp3", ".ogg", ".oga", ".opus", ".m4a", ".aac", ".wma", ".webm",
                    ".mp4", ".aiff", ".aif", ".caf", ".amr", ".3gp", ".mka"}


@dataclass
class FileResult:
    path: str  # as given on the command line (or as found in a given folder / glob)
    transcript: Transcript | None = None
    error: str | None = None
    seconds: float = 0.0  # wall time spent on this file


def expand_inputs(items: list[str]) -> list[str]:
    """Files as given; folders → their audio files (recursive, sorted); globs → sorted matches.

    A path that matches nothing is kept, so it is reported as a failed input in its place.
    """
    out: list[str] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            found = sorted(str(f) for f in p.rglob("*") if f.is_file() and f.suffix.lower() in AUDIO_EXTENSIONS)
            out.extend(found)
        elif not p.exists() and glob.has_magic(item):
            out.extend(sorted(glob.glob(item, recursive=True)) or [item])
        else:
            out.append(item)
    return out


# --- worker side (also used in-process when jobs == 1) ------------------------------------------------

_ENGINE = None


def _init_worker(options: ASROptions) -> None:
    global _ENGINE
    from voice.asr.whisper import WhisperASR

    _ENGINE = WhisperASR(options)


def _transcribe_one(path: str, progress: Callable[[float], None] | None = None) -> FileResult:
    from voice.audio.load import load_audio

    started = time.perf_counter()
    try:
        audio = load_audio(path)
        transcript = _ENGINE.transcribe(audio, source=path, progress=progress)
    except VoiceError as exc:
        return FileResult(path, error=str(exc), seconds=time.perf_counter() - started)
    except MemoryError:
        return FileResult(path, error=f"{path}: out of memory while transcribing",
                          seconds=time.perf_counter() - started)
    except Exception as exc:  # an engine failure on one file must not end the batch
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return FileResult(path, error=f"{path}: transcription failed: {reason}",
                          seconds=time.perf_counter() - started)
    return FileResult(path, transcript, seconds=time.perf_counter() - started)


def transcribe_files(paths: list[str], options: ASROptions, jobs: int = 1,
                     progress: Callable[[float], None] | None = None) -> Iterator[FileResult]:
    """Yield one result per path, in input order, as soon as it (and all before it) are done.

    `progress` (one process only) receives the fraction done of the file being transcribed.
    """
    jobs = max(1, min(jobs, len(paths)))
    if jobs == 1:
        _init_worker(options)
        for path in paths:
            yield _transcribe_one(path, progress)
        return
    cores = os.cpu_count() or 1
    worker_options = replace(options, threads=options.threads or max(1, cores // jobs))
    with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(worker_options,)) as pool:
        yield from pool.map(_transcribe_one, paths)


def file_progress_bar(enabled: bool) -> Callable[[float], None] | None:
    """A percentage bar for one long file (the files bar covers batches)."""
    if not enabled:
        return None
    from tqdm import tqdm

    bar = tqdm(total=100, unit="%", file=sys.stderr, leave=False, dynamic_ncols=True,
               bar_format="{l_bar}{bar}| {n:.0f}% [{elapsed}<{remaining}]")

    def update(fraction: float) -> None:
        bar.update(max(0.0, fraction * 100 - bar.n))
        if fraction >= 1:
            bar.close()

    return update


def progress_bar(total: int, enabled: bool) -> Callable[[FileResult], None]:
    if not enabled:
        return lambda result: None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="file", file=sys.stderr, leave=False, dynamic_ncols=True)

    def update(result: FileResult) -> None:
        bar.update(1)
        bar.set_postfix_str(Path(result.path).name[-30:])
        if bar.n >= total:
            bar.close()

    return update
