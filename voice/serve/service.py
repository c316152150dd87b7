"""What every protocol front end shares: the loaded models, the worker threads that run them, metrics.

Models are loaded once. Requests (HTTP, Wyoming) run on one worker thread per kind of work (CTranslate2 and
ONNX Runtime already use both cores per call, so more threads would only thrash): they queue in arrival order,
are refused with "busy" only when MAX_QUEUED are already waiting, and time out after `request_timeout_s`.
Live WebSocket sessions run their own pipeline thread (`voice.pipeline.session.Session`) on the same shared
models (`self.engines`; each engine lets one model call run at a time, so threads take turns call by call); each
session opens its own assistant, under its own key, on the shared SQLite store (WAL). Synthesis is pulled
clause by clause, so a slow client never makes the server buffer audio and several replies interleave fairly.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from voice.serve.metrics import ServerMetrics
from voice.serve.options import ServeOptions

MAX_QUEUED = 256


class Busy(Exception):
    """Too much work queued already."""


class Service:
    def __init__(self, options: ServeOptions = ServeOptions()):
        self.options = options
        self.metrics = ServerMetrics()
        self._pools = {name: ThreadPoolExecutor(1, thread_name_prefix=f"voice-{name}")
                       for name in ("asr", "tts", "assistant")}
        self._queued = {name: 0 for name in self._pools}
        self.asr = None
        self.engines = None  # voice.pipeline.session.Engines for live streams
        self.profile = None  # voice.profile.Profile: every session's contacts, names, hot words
        self.synth = None
        self._assistants: OrderedDict[str, object] = OrderedDict()
        self.streams = 0
        self._lock = threading.Lock()

    # --- start-up -----------------------------------------------------------------------------------

    def load(self) -> None:
        """Load and warm every model (blocking; call before accepting connections)."""
        from voice.api import get_engine
        from voice.asr.types import ASROptions
        from voice.paths import tts_cache_dir
        from voice.pipeline.session import Engines, loop_engine
        from voice.profile import load_profile
        from voice.tts.engines import get_engine as tts_engine
        from voice.tts.stream import Synthesizer

        self.profile = load_profile(self.options.profile_path)
        self.asr = get_engine(ASROptions())
        self.synth = Synthesizer(tts_engine(self.options.tts_engine), cache_dir=tts_cache_dir())
        self._pools["tts"].submit(self.synth.warm).result()
        # live streams: the loop's variant of the same model bounds the latency of a final transcript
        self.engines = Engines(loop_engine(self.asr), self.synth)
        self.engines.warm()
        self._pools["assistant"].submit(self._assistant, "default").result()

    def close(self) -> None:
        """Finish queued work, then close the assistants' stores."""
        self._pools["assistant"].submit(self._close_assistants).result()
        for pool in self._pools.values():
            pool.shutdown(wait=True)

    def _close_assistants(self) -> None:
        for assistant in self._assistants.values():
            assistant.close()
        self._assistants.clear()

    # --- work ---------------------------------------------------------------------------------------

    async def run(self, pool: str, fn, *args):
        """Run `fn(*args)` on the pool's worker thread; Busy when MAX_QUEUED are waiting there already."""
        if self._queued[pool] >= MAX_QUEUED:
            raise Busy(f"{pool} queue is full ({MAX_QUEUED} waiting)")
        self._queued[pool] += 1
        self.metrics.queue_depth.labels(pool).set(self._queued[pool])
        try:
            future = asyncio.get_running_loop().run_in_executor(self._pools[pool], fn, *args)
            return await asyncio.wait_for(future, timeout=self.options.request_timeout_s)
        finally:
            self._queued[pool] -= 1
            self.metrics.queue_depth.labels(pool).set(self._queued[pool])

    async def transcribe_segments(self, audio: np.ndarray, prompt: str | None = None) -> AsyncIterator:
        """Segments of a whole recording, each as soon as it is decoded (one job per segment)."""
        started = time.perf_counter()
        segments = self.asr.iter_segments(audio, hotwords=_hotwords(prompt))
        while True:
            segment = await self.run("asr", next, segments, None)
            if segment is None:
                break
            yield segment
        if audio.size:
            self.metrics.rtf.labels("asr").observe((time.perf_counter() - started) / (audio.size / 16000))

    async def transcribe(self, audio: np.ndarray, prompt: str | None = None, source: str | None = None):
        """A whole recording as one job (so queued requests finish one after another, not all at the end)."""
        started = time.perf_counter()
        transcript = await self.run("asr", lambda: self.asr.transcribe(audio, hotwords=_hotwords(prompt),
                                                                        source=source))
        if audio.size:
            self.metrics.rtf.labels("asr").observe((time.perf_counter() - started) / (audio.size / 16000))
        return transcript

    async def speak(self, text: str, voice: str | None = None, speed: float = 1.0) -> AsyncIterator[np.ndarray]:
        """Reply audio (float32 at `self.synth.sample_rate`) chunk by chunk, pulled as the caller consumes it."""
        synth = self.synth_for(voice, speed)
        started = time.perf_counter()
        produced = 0
        chunks = synth.stream(text)
        while True:
            chunk = await self.run("tts", next, chunks, None)
            if chunk is None:
                break
            produced += chunk.samples.size
            yield chunk.samples
        if produced:
            self.metrics.rtf.labels("tts").observe((time.perf_counter() - started) / (produced / synth.sample_rate))

    def synth_for(self, voice: str | None, speed: float):
        from voice.errors import VoiceError
        from voice.tts.stream import Synthesizer

        base = self.synth
        if voice is not None and voice not in base.engine.voices:
            raise VoiceError(f"unknown voice {voice!r}: choose one of {', '.join(base.engine.voices)}")
        if (voice or base.voice) == base.voice and speed == base.speed:
            return base
        return Synthesizer(base.engine, voice or base.voice, speed, cache_dir=base.cache_dir)

    async def ask(self, text: str, session: str = "default") -> dict:
        def work():
            turn = self._assistant(session).ask(text)
            return turn.to_dict()

        return await self.run("assistant", work)

    def _assistant(self, session: str):
        """One assistant (dialog context) per session, at most 256, sharing the SQLite store; assistant thread only."""
        from voice.dialog.assistant import Assistant

        if session in self._assistants:
            self._assistants.move_to_end(session)
            return self._assistants[session]
        if len(self._assistants) >= 256:
            _, oldest = self._assistants.popitem(last=False)
            oldest.close()
        self._assistants[session] = Assistant(self.profile, self.options.db_path, session=session)
        return self._assistants[session]

    def stream_started(self) -> bool:
        with self._lock:
            if self.streams >= self.options.max_streams:
                return False
            self.streams += 1
            self.metrics.active_streams.set(self.streams)
            return True

    def stream_ended(self) -> None:
        with self._lock:
            self.streams -= 1
            self.metrics.active_streams.set(self.streams)
            if self.streams == 0:
                _release_free_memory()


_LIBC: list = []


def _release_free_memory() -> None:
    """Hand freed heap pages back to the OS when the last stream ends (glibc keeps them otherwise, so the
    process would stay at its peak size after a burst of sessions)."""
    import ctypes

    try:
        if not _LIBC:
            _LIBC.append(ctypes.CDLL("libc.so.6"))
        _LIBC[0].malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc


def _hotwords(prompt: str | None) -> tuple[str, ...]:
    """The OpenAI `prompt` as hot words: comma-separated terms (names, places) to bias recognition toward."""
    return tuple(w.strip() for w in (prompt or "").replace("，", ",").split(",") if w.strip())
