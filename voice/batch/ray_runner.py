"""Batch transcription on a Ray cluster: `voice transcribe --engine ray [--address ADDR] [--jobs N] PATH...`.

N actors (one CPU each) each hold one loaded model; the model is assembled into each node's model store the
first time an actor starts there (the store is per machine, so once per node). The driver reads each file and
ships its bytes through Ray's object store, so workers need no shared file system. Results come back in input
order as soon as they (and all before them) are done; a file that fails is reported like a local failure.

Multi-node: install `voice` (with the `ray` extra) in the same Python environment on every node, then
`ray start --head --port 6379` on one, `ray start --address HEAD:6379` on the others, and run
`voice transcribe --engine ray --address HEAD:6379 --jobs <total CPUs> -o OUT DIR` on the head.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from voice.asr.types import ASROptions
from voice.batch.runner import FileResult
from voice.errors import VoiceError


class _Transcriber:
    """A Ray actor: one model, files in, results out (as plain data, so they cross process boundaries)."""

    def __init__(self, options: ASROptions):
        from voice.asr.whisper import WhisperASR

        self.engine = WhisperASR(options)

    def transcribe(self, name: str, data: bytes) -> dict:
        from voice.audio.load import load_audio

        started = time.perf_counter()
        suffix = Path(name).suffix[:8]
        try:
            with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
                tmp.write(data)
                tmp.flush()
                audio = load_audio(tmp.name)
            transcript = self.engine.transcribe(audio, source=name)
        except VoiceError as exc:
            message = str(exc).replace(tmp.name, name)
            return {"path": name, "error": message, "seconds": time.perf_counter() - started}
        except Exception as exc:  # noqa: BLE001 - one bad file must not end the batch
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            return {"path": name, "error": f"{name}: transcription failed: {reason}",
                    "seconds": time.perf_counter() - started}
        return {"path": name, "transcript": transcript, "seconds": time.perf_counter() - started}


def transcribe_files_ray(paths: list[str], options: ASROptions, jobs: int = 2,
                         address: str | None = None) -> Iterator[FileResult]:
    try:
        import ray
    except ImportError as exc:
        raise VoiceError(f"--engine ray needs Ray: pip install 'voice[ray]' ({exc})") from None
    started_here = not ray.is_initialized()
    if started_here:
        try:
            ray.init(address=address, include_dashboard=False, log_to_driver=False, configure_logging=False)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise VoiceError(f"cannot reach the Ray cluster at {address or 'a new local instance'}: "
                             f"{str(exc).splitlines()[0]} (check the address, and that RAY_AUTH_TOKEN / "
                             f"RAY_AUTH_MODE match the cluster's)") from None
    try:
        actor = ray.remote(num_cpus=1)(_Transcriber)
        # each actor owns one CPU: CTranslate2 gets one thread, so actors do not compete for cores
        workers = [actor.remote(replace(options, threads=1)) for _ in range(max(1, min(jobs, len(paths))))]
        pending: dict = {}
        results: dict[int, FileResult] = {}
        next_out = 0
        queue = list(enumerate(paths))
        free = list(workers)

        def submit():
            while free and queue:
                i, path = queue.pop(0)
                worker = free.pop()
                try:
                    data = Path(path).read_bytes()
                except OSError as exc:
                    results[i] = FileResult(path, error=f"{path}: cannot read: {exc.strerror or exc}")
                    free.append(worker)
                    continue
                pending[worker.transcribe.remote(path, data)] = (i, worker)

        submit()
        while pending or next_out < len(paths):
            if pending:
                done, _ = ray.wait(list(pending), num_returns=1)
                i, worker = pending.pop(done[0])
                try:
                    r = ray.get(done[0])
                    results[i] = FileResult(r["path"], r.get("transcript"), r.get("error"), r["seconds"])
                    free.append(worker)
                except ray.exceptions.RayActorError as exc:  # the actor is gone: retire it, retry the file
                    if free or pending:
                        queue.insert(0, (i, paths[i]))
                    else:
                        results[i] = FileResult(paths[i], error=f"{paths[i]}: every worker failed: "
                                                                f"{str(exc).splitlines()[0]}")
                        for j, path in queue:
                            results[j] = FileResult(path, error=f"{path}: not transcribed: every worker failed")
                        queue.clear()
                except ray.exceptions.RayError as exc:
                    results[i] = FileResult(paths[i], error=f"{paths[i]}: worker failed: "
                                                            f"{str(exc).splitlines()[0]}")
                    free.append(worker)
                submit()
            while next_out in results:
                yield results.pop(next_out)
                next_out += 1
    finally:
        if started_here:
            ray.shutdown()

