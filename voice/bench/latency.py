"""`voice bench latency`: the live loop over the sample commands and the short real recordings, played in
real time as one microphone stream, each command 1.5 s after the previous reply has finished sounding;
replies are recorded (not played).

Prints p50/p95 of every turn latency, CPU (user+system seconds per wall second) while running and while
listening to silence, peak RSS, and the accuracy of the loop's fast final transcripts against full-window
(30 s) decoding of the same utterances (CER, `voice.bench.cer`), also on every recording up to 25 s.
The samples are played twice in the same run: first with the phrase cache cold (nothing in memory, an empty
cache folder: every reply opening is synthesized), then warm. Then the premature end-of-turn rate
(`voice.bench.turn_end`) of the adaptive rule and of the fixed 480 ms one.
"""

from __future__ import annotations

import json
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

from voice.pipeline.observers import LATENCY_FIELDS


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def run_latency_bench(as_json: bool = False, limit: int = 0, engine: str | None = None,
                      turn_end: bool = True) -> int:
    from voice.audio.manifest import sample_files
    from voice.audio.sources import array_frames, conversation_stream, utterance_stream
    from voice.paths import recordings_dir, samples_dir
    from voice.pipeline.loop import LoopConfig
    from voice.pipeline.observers import EventLog, Metrics, Utterances
    from voice.pipeline.session import Engines, Session

    samples = samples_dir()
    roots = {"samples (cold cache)": samples, "samples": samples}
    sets = {"samples (cold cache)": sample_files(samples), "samples": sample_files(samples)}
    shared = recordings_dir()
    if (shared / "manifest.tsv").is_file():
        roots["recordings"] = shared
        sets["recordings"] = sample_files(shared, max_s=8.0)
    if limit:
        sets = {k: v[:limit] for k, v in sets.items()}
    result: dict = {"sets": {}}
    engines = Engines.load(tts_engine=engine)
    result["tts_engine"] = engines.synth.engine.name if engines.synth else None
    log, heard = EventLog(), Utterances()
    with tempfile.TemporaryDirectory() as tmp:
        # replies are recorded, and count as sounding for as long as they would play; the next command starts
        # 1.5 s after a reply has finished, as in a conversation (barge-in is tested apart)
        with Session(engines, db_path=Path(tmp) / "bench.db", sink="record", realtime=True,
                     observers=[log, heard]) as session:
            # idle: 10 s of silence in real time
            c0, w0 = _cpu(), time.perf_counter()
            session.run(array_frames(np.zeros(16000 * 10, np.float32), realtime=True))
            result["idle_cpu_percent_of_one_core"] = round(100 * (_cpu() - c0) / (time.perf_counter() - w0), 2)
            synth, cache_dir = engines.synth, getattr(engines.synth, "cache_dir", None)
            for name, paths in sets.items():
                if synth is not None and name.endswith("(cold cache)"):
                    synth.forget()
                    synth.cache_dir = Path(tmp) / "cold-cache"
                elif synth is not None:
                    synth.cache_dir = cache_dir
                    synth.warm()
                log.clear()
                heard.clear()
                c0, w0 = _cpu(), time.perf_counter()
                starts: list[float] = []
                t_offset = session.t
                session.run(conversation_stream(paths, session.sink.playing, starts=starts))
                wall = time.perf_counter() - w0
                metrics = Metrics()
                for event in log.events:
                    metrics(event)
                summary = metrics.summary()
                summary["utterances"] = len(paths)
                summary["cpu_percent_of_one_core"] = round(100 * (_cpu() - c0) / wall, 1)
                summary["finals"] = len(log.of("asr.final"))
                summary.update(_accuracy(heard, paths, starts, t_offset, engines, roots[name]))
                result["sets"][name] = summary
        if "recordings" in roots and not limit:
            # Accuracy alone (not in real time, no replies) on every recording up to 25 s: long utterances are
            # where committing at pauses changes the text.
            paths = sample_files(shared, kinds=("command", "speech", "mixed"), max_s=25.0)
            quiet = Utterances()
            with Session(engines, db_path=Path(tmp) / "bench.db", speak=False, observers=[quiet],
                         config=LoopConfig(partial_every_ms=0)) as session:
                starts = []
                session.run(utterance_stream(paths, realtime=False, starts=starts))
            result["accuracy_recordings_up_to_25s"] = {"files": len(paths), "finals": len(quiet.items),
                                                       **_accuracy(quiet, paths, starts, 0.0, engines, shared)}
    if turn_end:
        from voice.bench import turn_end as premature

        result["turn_end"] = premature.run(engines, shared if "recordings" in roots and not limit else None)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    for name, s in result["sets"].items():
        print(f"{name}: {s['utterances']} utterances, {s['turns']} answered turns, CPU {s['cpu_percent_of_one_core']}%"
              + (f", CER loop {s['cer_loop']:.1%} vs full window {s['cer_full_window']:.1%}" if "cer_loop" in s else ""))
        for f in LATENCY_FIELDS:
            if f in s:
                print(f"  {f:20s} p50 {s[f]['p50']:8.1f}  p95 {s[f]['p95']:8.1f}")
    if "cer_loop" in result.get("accuracy_recordings_up_to_25s", {}):
        a = result["accuracy_recordings_up_to_25s"]
        print(f"recordings up to 25 s ({a['files']} files, {a['finals']} utterances, accuracy only): "
              f"CER loop {a['cer_loop']:.1%} vs full window {a['cer_full_window']:.1%}")
    for name, entry in result.get("turn_end", {}).items():
        if name == "recordings":
            print(f"ends of speech on {entry['files']} recordings up to 25 s: adaptive {entry['adaptive']}, "
                  f"fixed 480 ms {entry['fixed_480ms']} (fewer: fewer turns cut inside a sentence)")
            continue
        a, f = entry["adaptive"], entry["fixed_480ms"]
        print(f"premature end of turn, {name} ({entry['commands']} commands in two parts): adaptive "
              f"{a['premature']} ({a['rate']:.1%}) {' '.join(a['cut'])}; fixed 480 ms {f['premature']} "
              f"({f['rate']:.1%})")
    print(f"idle CPU {result['idle_cpu_percent_of_one_core']}% of one core; peak RSS {result['peak_rss_mb']} MB; "
          f"replies by {result['tts_engine']}")
    return 0


def _accuracy(heard, paths, starts, t_offset: float, engines, root: Path) -> dict:
    """CER of the loop's finals and of full-window decodes of the same utterance audio (which isolates the
    fast final's shortcuts: short window, speculation, commits); each utterance counts for the file playing
    when it ended."""
    from voice.audio.manifest import transcripts
    from voice.bench.cer import cer

    if not paths:
        return {}
    full_window = engines.asr.variant(window_pad_s=None)
    finals, full = [""] * len(paths), [""] * len(paths)
    for t, audio, text in heard.items:
        i = max([k for k, st in enumerate(starts) if st <= t - t_offset] or [0])
        finals[i] += text
        full[i] += (seg.text if (seg := full_window.transcribe_utterance(audio)) else "")
    refs = transcripts(root)
    wanted = [refs[str(p)] for p in paths]
    return {"cer_loop": round(cer(wanted, finals), 4), "cer_full_window": round(cer(wanted, full), 4)}
