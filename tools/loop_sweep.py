"""Compare live-loop settings on recordings: CER of the final transcripts and how long the decode behind each
final runs past the end-of-speech decision (the numbers behind the commit settings in `voice/pipeline/loop.py`).

Not in real time and without replies or partials (they do not change the finals), so each setting takes a few
minutes on 2 cores. A decode that started speculatively 160 ms into the silence has 320 ms in hand before the
480 ms end-of-speech decision; "late" is how far it runs beyond that.

    python tools/loop_sweep.py --set commit_min_s=999 --set commit_min_s=3.0 --set commit_force_s=8.0
    python tools/loop_sweep.py --prompt-chars 24 --max-s 8
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import fields, replace
from pathlib import Path

import numpy as np

HEAD_START_MS = 320  # end-of-speech decision (480 ms of silence) minus the speculation's start (160 ms)


def _setting(text: str) -> dict:
    from voice.pipeline.loop import LoopConfig

    known = {f.name for f in fields(LoopConfig)}
    out = {}
    for part in text.split(","):
        key, _, value = part.partition("=")
        if key not in known or not value:
            raise argparse.ArgumentTypeError(f"{part!r}: use NAME=VALUE with a LoopConfig field ({', '.join(known)})")
        out[key] = None if value == "none" else json.loads(value)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--audio", type=Path, help="folder with manifest.tsv (default: ../shared/audio)")
    parser.add_argument("--max-s", type=float, default=25.0, help="longest recording to use (seconds)")
    parser.add_argument("--prompt-chars", type=int, help="committed characters in the prompt (default: the code's)")
    parser.add_argument("--set", dest="settings", action="append", type=_setting, default=None,
                        help="LoopConfig overrides, e.g. commit_min_s=3.0,commit_pause_ms=160; repeat to compare")
    args = parser.parse_args(argv)

    from voice.asr import stream as asr_stream
    from voice.audio.manifest import sample_files, transcripts
    from voice.audio.sources import utterance_stream
    from voice.bench.cer import cer
    from voice.paths import recordings_dir
    from voice.pipeline.loop import LoopConfig
    from voice.pipeline.observers import EventLog
    from voice.pipeline.session import Engines, Session

    folder = args.audio or recordings_dir()
    if not (folder / "manifest.tsv").is_file():
        print(f"{folder}: no manifest.tsv", file=sys.stderr)
        return 2
    if args.prompt_chars is not None:
        asr_stream.PROMPT_CHARS = args.prompt_chars
    paths = sample_files(folder, kinds=("command", "speech", "mixed"), max_s=args.max_s)
    refs = transcripts(folder)

    class TimedStream(asr_stream.ASRStream):
        """Notes how long the decode behind each final took."""

        def speculate(self, samples):
            t0 = time.perf_counter()
            super().speculate(samples)
            self.speculation_ms = (time.perf_counter() - t0) * 1000

        def final(self, samples=None):
            reused = self._speculative is not None and self._speculative[:2] == (self.committed, samples)
            t0 = time.perf_counter()
            result = super().final(samples)
            spent = getattr(self, "speculation_ms", 0.0) if reused else HEAD_START_MS + (time.perf_counter() - t0) * 1000
            self.decode_ms.append(spent)
            return result

    engines = Engines.load(speak=False)
    with tempfile.TemporaryDirectory() as tmp:
        for overrides in args.settings or [{}]:
            timed: list[TimedStream] = []

            def make_stream(engine, hotwords, nbest=0):
                timed.append(TimedStream(engine, hotwords, nbest=nbest))
                timed[-1].decode_ms = []
                return timed[-1]

            log = EventLog()
            config = replace(LoopConfig(partial_every_ms=0), **overrides)
            with Session(engines, db_path=Path(tmp) / "sweep.db", speak=False, config=config, observers=[log],
                         asr_stream=make_stream) as session:
                starts: list[float] = []
                session.run(utterance_stream(paths, realtime=False, starts=starts))
            finals = [""] * len(paths)
            for event in log.of("asr.final"):
                i = max([k for k, start in enumerate(starts) if start <= event.t] or [0])
                finals[i] += event.data["text"]
            late = [max(0.0, ms - HEAD_START_MS) for ms in timed[0].decode_ms]
            print(json.dumps({"settings": overrides, "prompt_chars": asr_stream.PROMPT_CHARS, "files": len(paths),
                              "finals": len(late), "cer": round(cer([refs[str(p)] for p in paths], finals), 4),
                              "late_ms_p95": round(float(np.percentile(late, 95)), 1) if late else None,
                              "late_ms_max": round(max(late), 1) if late else None}, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
