"""`voice listen` and `voice demo`: a session fed from the microphone, a file, standard input or the bundled
samples, shown on the terminal and optionally logged as JSONL events."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path

from voice.pipeline.observers import EventLog, JsonlWriter, Metrics, TerminalView
from voice.pipeline.session import Engines, Session


@contextlib.contextmanager
def _observers(events_path: str | None):
    observers = [TerminalView()]
    if not events_path:
        yield observers
        return
    with open(events_path, "w", encoding="utf-8") as events:
        yield [*observers, JsonlWriter(events)]


def since_start() -> float:
    """Seconds since this process started (Linux: from /proc, so the interpreter's own start-up counts too)."""
    try:
        ticks = os.sysconf("SC_CLK_TCK")
        with open("/proc/self/stat") as f:
            started = int(f.read().rsplit(")", 1)[1].split()[19]) / ticks
        with open("/proc/uptime") as f:
            return float(f.read().split()[0]) - started
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - _IMPORTED


_IMPORTED = time.perf_counter()


def listen(*, profile: str | None = None, db: str | None = None, speak: bool = True, source: str | None = None,
           play: bool = False, realtime: bool = False, wake: str | None = None, events: str | None = None,
           engine: str | None = None, vad: str = "silero", device=None) -> int:
    """`source`: None for the microphone, "-" for raw 16 kHz s16le PCM on stdin, else a file."""
    from voice.audio.sources import Microphone, file_frames, stdin_frames

    engines = Engines.load(speak=speak, tts_engine=engine, vad=vad)
    with _observers(events) as observers, \
            Session(engines, profile=profile, db_path=db, speak=speak,
                    sink="speaker" if not source or play else "record", realtime=realtime, wake_phrase=wake,
                    observers=observers) as session:
        if source == "-":
            print(f"listening on standard input (ready {since_start():.1f} s after start)", file=sys.stderr)
            session.run(stdin_frames())
        elif source:
            session.run(file_frames(source, realtime=realtime))
        else:
            with Microphone(device) as mic:
                print(f"listening… (ready {since_start():.1f} s after start; Ctrl-C to stop)", file=sys.stderr)
                session.run(mic.frames())
        session.wait()  # let the last reply finish
    return 0


def demo(*, limit: int = 0, fast: bool = False, events: str | None = None) -> int:
    """The bundled sample commands through the whole loop, at the pace of speech unless `fast`; each turn is
    graded against the hand-written labels (intent and every slot), in order, on the date the labels assume."""
    from voice.audio.manifest import sample_files, sample_labels
    from voice.audio.sources import utterance_stream
    from voice.paths import samples_dir
    from voice.profile import Profile

    paths = sample_files(samples_dir())[: limit or None]
    now, labels = sample_labels(samples_dir())
    metrics, log = Metrics(), EventLog()
    engines = Engines.load()
    with _observers(events) as observers, tempfile.TemporaryDirectory() as tmp, \
            Session(engines, profile=Profile(), db_path=Path(tmp) / "demo.db", sink="record", clock=lambda: now,
                    observers=[*observers, metrics, log]) as session:
        ready = since_start()
        print(f"listening (ready {ready:.1f} s after start)", file=sys.stderr)
        session.run(utterance_stream(paths, realtime=not fast))
        session.wait()
    summary = metrics.summary()
    turns = [e.data for e in log.of("turn")]
    # turns follow the files in order; a lost or split utterance shifts the rest, and they count as misses
    understood = sum(1 for path, t in zip(paths, turns)
                     if labels.get(path.stem) == {"intent": t["intent"], "slots": t["slots"]})
    v2v = [t["voice_to_voice_ms"] for t in turns if t.get("voice_to_voice_ms") is not None]
    first = f"; first turn {v2v[0]} ms" if v2v else ""
    print(f"{summary['turns']} turns; {understood} of {len(paths)} understood ({100 * understood / max(1, len(paths)):.0f} %);"
          f" voice-to-voice p50 {summary.get('voice_to_voice_ms', {}).get('p50')} ms{first}; ready {ready:.1f} s after start")
    return 0
