"""Wiring for `voice listen`, `voice demo` and `voice bench latency`: build the stages, feed frames."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from voice.pipeline.loop import Loop, LoopConfig
from voice.pipeline.observers import Metrics

LOOP_MIN_WINDOW_S = 12.0


def build(profile=None, db_path=None, speak: bool = True, sink: str = "speaker", realtime: bool = True,
          wake_phrase: str | None = None, observers=(), tts_engine: str | None = None,
          vad: str = "silero") -> Loop:
    from voice.api import get_engine as asr_engine
    from voice.asr.types import ASROptions
    from voice.audio.sinks import RecordingSink, SpeakerSink
    from voice.dialog.assistant import Assistant
    from voice.paths import tts_cache_dir
    from voice.tts.engines import get_engine
    from voice.tts.stream import Synthesizer

    # A 12 s minimum window: measured on the sample commands, CER 12.0 % at ~280 ms per decode, against 12.9 %
    # for a window 3 s longer than the speech (~210 ms) and 10.5 % for the full 30 s window (~930 ms); the
    # decode runs during the trailing silence, so the longer window costs no latency.
    asr = asr_engine(ASROptions(min_window_s=LOOP_MIN_WINDOW_S, full_window_retry=False))
    assistant = Assistant(profile, db_path)
    synth = None
    out = None
    if speak:
        synth = Synthesizer(get_engine(tts_engine), cache_dir=tts_cache_dir())
        synth.warm()
        out = SpeakerSink(synth.sample_rate) if sink == "speaker" else RecordingSink(synth.sample_rate, realtime)
    # warm the decoder so the first turn is not slower than the rest
    asr.transcribe_utterance(np.zeros(16000, np.float32))
    if vad == "webrtc":
        from voice.vad.stream import WebRTCStream

        vad_stream = WebRTCStream()
    else:
        from voice.vad.stream import SileroStream

        vad_stream = SileroStream()
    return Loop(asr, assistant, synth, out, LoopConfig(wake_phrase=wake_phrase, speak=speak), vad=vad_stream,
                observers=list(observers))


def run(loop: Loop, frames: Iterable[tuple[np.ndarray, float]], scheduler_every_s: float = 1.0) -> None:
    from voice.skills.scheduler import Scheduler

    scheduler = Scheduler(loop.assistant.store)
    loop.emit("listen.start")
    next_check = time.perf_counter()
    for frame, captured in frames:
        loop.feed(frame, captured)
        if time.perf_counter() >= next_check:
            next_check = time.perf_counter() + scheduler_every_s
            for fired in scheduler.due(loop.clock() if loop.clock else _now()):
                loop.speak_fired(fired)
    loop.emit("listen.end")


def _now():
    from datetime import datetime

    return datetime.now()


def sample_files(folder: str | Path, kinds=("command", "speech"), max_s: float = 8.0) -> list[Path]:
    """Manifest rows of `folder` with a transcript, of the given kinds and at most `max_s` long."""
    from voice.audio.manifest import read_manifest

    folder = Path(folder)
    rows = read_manifest(folder)
    return [folder / r["file"] for r in rows if r.get("transcript", "").strip() and r.get("kind") in kinds
            and float(r.get("duration_s") or 0) <= max_s]


def utterance_stream(paths: list[Path], gap_s: float = 1.5, realtime: bool = True, starts: list | None = None):
    """The files one after another with `gap_s` of silence between them, as one microphone stream.
    `starts`, if given, receives each file's start time in seconds on the stream's clock."""
    from voice.audio.load import load_audio
    from voice.audio.sources import array_frames

    if not paths:
        from voice.errors import VoiceError

        raise VoiceError("no recordings to play: the manifest lists none of the wanted kinds")
    pieces, at = [], 0
    for p in paths:
        audio = load_audio(str(p))
        if starts is not None:
            starts.append(at / 16000)
        pieces += [audio, np.zeros(int(gap_s * 16000), np.float32)]
        at += audio.size + int(gap_s * 16000)
    return array_frames(np.concatenate(pieces), realtime)


def conversation_stream(paths: list[Path], playing, gap_s: float = 1.5, starts: list | None = None):
    """The files in real time as one microphone stream, each starting `gap_s` after the previous reply has
    finished sounding (`playing()` false), as a user waits for the answer before the next command.
    `starts` receives each file's start time in seconds on the stream's clock."""
    from voice.audio.load import load_audio
    from voice.audio.sources import FRAME, RATE, array_frames

    silence = np.zeros(FRAME, np.float32)
    sent = 0
    for p in paths:
        audio = load_audio(str(p))
        if starts is not None:
            starts.append(sent * FRAME / RATE)
        due = time.perf_counter()
        for frame, due in array_frames(np.concatenate([audio, np.zeros(int(gap_s * RATE), np.float32)]), True):
            sent += 1
            yield frame, due
        while playing():  # the reply is still sounding: the user listens
            due += FRAME / RATE
            time.sleep(max(0.0, due - time.perf_counter()))
            sent += 1
            yield silence, due
        quiet_until = due + gap_s
        while due < quiet_until:
            due += FRAME / RATE
            time.sleep(max(0.0, due - time.perf_counter()))
            sent += 1
            yield silence, due


def metrics_for(loop: Loop) -> Metrics:
    m = Metrics()
    for e in loop.events:
        m(e)
    return m
