"""One conversation, built in one place: the only way `voice listen`, `voice demo`, the servers' live streams,
`voice bench latency` and the tools get a live loop.

`Engines` are the loaded models, shared by every session of a process: the loop's recognizer (a 12 s minimum
window, no 30 s retry), the synthesizer, and which VAD to run. Sharing is safe: each engine lets one model call
run at a time under its own lock (`WhisperASR`, `voice.tts.base.engine_lock`), and a session holds the lock
only for one call (a decode, a clause), so sessions interleave call by call.

A `Session` owns everything that is per conversation: its VAD state, endpointer and ASR stream (biased with
the profile's names), its assistant (dialog context, pending confirmations, alarms, timers and reminders kept
under the session's own key, even on a shared database), its scheduler, and its sink. The caller drives it:
`feed(frame, captured_at)` per 32 ms frame, `tick()` when no audio arrives, `say(text)` for typed input,
`finish()` at the end of the audio, `close()`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import numpy as np

from voice.asr.stream import ASRStream
from voice.asr.types import UtteranceEngine
from voice.audio.frames import FRAME, RATE
from voice.audio.sinks import Sink, make_sink
from voice.dialog.assistant import Assistant
from voice.pipeline.events import Event
from voice.pipeline.loop import Loop, LoopConfig
from voice.profile import Profile
from voice.skills.scheduler import Scheduler
from voice.vad.stream import VADStream, vad_stream

# The loop's final decode uses a window of at least 12 s: measured on the sample commands, CER 12.0 % at
# ~280 ms per decode, against 12.9 % for a window 3 s longer than the speech (~210 ms) and 10.5 % for the full
# 30 s window (~930 ms); it runs during the trailing silence, so the longer window costs no latency.
LOOP_MIN_WINDOW_S = 12.0


def loop_engine(engine: UtteranceEngine) -> UtteranceEngine:
    """The live loop's variant of a loaded recognizer (same model in memory)."""
    return engine.variant(min_window_s=LOOP_MIN_WINDOW_S, full_window_retry=False, pad_with_silence=True)


@dataclass
class Engines:
    asr: UtteranceEngine
    synth: object | None = None  # voice.tts.stream.Synthesizer; None: transcripts and intents only
    vad: str = "silero"  # or "webrtc"

    @classmethod
    def load(cls, speak: bool = True, tts_engine: str | None = None, vad: str = "silero") -> Engines:
        """Load and warm the default models (the first turn is then as fast as the rest)."""
        from voice.api import get_engine
        from voice.asr.types import ASROptions

        asr = get_engine(ASROptions(min_window_s=LOOP_MIN_WINDOW_S, full_window_retry=False, pad_with_silence=True))
        synth = None
        if speak:
            from voice.paths import tts_cache_dir
            from voice.tts.engines import get_engine as get_tts
            from voice.tts.stream import Synthesizer

            synth = Synthesizer(get_tts(tts_engine), cache_dir=tts_cache_dir())
            synth.warm()
        engines = cls(asr, synth, vad)
        engines.warm()
        return engines

    def warm(self) -> None:
        from voice.nlu.phonetic import syllables

        self.asr.transcribe_utterance(np.zeros(RATE, np.float32))
        vad_stream(self.vad).prob(np.zeros(FRAME, np.float32))
        syllables("打开客厅的灯")  # loads pypinyin's dictionaries (~0.6 s) before the first turn

    def new_vad(self) -> VADStream:
        return vad_stream(self.vad)


class Session:
    def __init__(self, engines: Engines, *, profile: Profile | str | Path | None = None,
                 db_path: str | Path | None = None, key: str = "", speak: bool = True,
                 sink: Sink | str | None = "speaker", realtime: bool = False, wake_phrase: str | None = None,
                 observers: Iterable[Callable[[Event], None]] = (), clock: Callable[[], datetime] | None = None,
                 config: LoopConfig | None = None, scheduler_every_s: float = 1.0,
                 asr_stream: Callable[..., ASRStream] = ASRStream):
        """`key` names the conversation in the database ("" = the local user). `sink`: a Sink, or "speaker" /
        "record" (with `realtime`, a recorded reply counts as playing for as long as it would sound).
        `asr_stream(engine, hotwords, nbest=…)` makes the streaming recognizer (tools substitute an instrumented
        one)."""
        self.engines = engines
        self.assistant = Assistant(profile, db_path, session=key)
        try:
            self.hotwords = tuple(self.assistant.profile.hotwords())
            self.scheduler = Scheduler(self.assistant.store)
            synth = engines.synth if speak else None
            if isinstance(sink, str):
                sink = make_sink(sink, synth.sample_rate, realtime) if synth is not None else None
            self.sink = sink
            config = replace(config or LoopConfig(), wake_phrase=wake_phrase, speak=synth is not None)
            self.loop = Loop(asr_stream(engines.asr, self.hotwords, nbest=config.nbest), self.assistant, engines.new_vad(), synth, sink,
                             config, observers=list(observers), clock=clock)
        except BaseException:
            self.assistant.close()
            raise
        self.scheduler_every_s = scheduler_every_s
        self._next_check = 0.0
        self._closed = False

    # --- driving ------------------------------------------------------------------------------------

    @property
    def t(self) -> float:
        """Seconds of audio fed so far."""
        return self.loop.t

    def feed(self, frame: np.ndarray, captured_at: float | None = None) -> None:
        """One 512-sample frame at 16 kHz; `captured_at` = time.perf_counter() when it was captured."""
        self.loop.feed(frame, captured_at)
        self.tick()

    def tick(self) -> None:
        """Speak what the scheduler has due (at most every `scheduler_every_s` of wall time)."""
        if time.perf_counter() < self._next_check or self.assistant.store.tentative:
            return  # not while a prepared reply's changes may still be undone: a fired alarm would be too
        self._next_check = time.perf_counter() + self.scheduler_every_s
        now = self.loop.clock() if self.loop.clock else datetime.now()
        for fired in self.scheduler.due(now):
            self.loop.speak_fired(fired)

    def say(self, text: str) -> None:
        """A typed utterance, answered like a spoken one."""
        if text.strip():
            self.loop.respond_text(text.strip())

    def run(self, frames: Iterable[tuple[np.ndarray, float]]) -> None:
        """Feed a whole source of (frame, captured_at), between `listen.start` and `listen.end` events."""
        self.loop.emit("listen.start", hotwords=list(self.hotwords))
        for frame, captured in frames:
            self.feed(frame, captured)
        self.loop.emit("listen.end")

    def finish(self, silence_s: float = 1.0) -> None:
        """The audio has ended: close an utterance still open with `silence_s` of silence."""
        silence = np.zeros(FRAME, np.float32)
        for _ in range(int(silence_s * RATE / FRAME)):
            self.loop.feed(silence, time.perf_counter())

    def wait(self) -> None:
        """Until the last reply has been played (or collected), an LLM answer still streaming included."""
        self.loop.wait_streaming()
        if self.sink is not None:
            self.sink.wait()

    def close(self, cancel: bool = False) -> None:
        """Close the database; with `cancel`, first stop the reply playing and its synthesis."""
        if self._closed:
            return
        self._closed = True
        if cancel:
            self.loop.cancel_reply()
        self.assistant.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        self.close(cancel=exc_type is not None)
