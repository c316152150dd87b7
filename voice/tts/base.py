"""What every TTS engine provides, and the audio chunks the streaming API yields."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np


class Cancelled(Exception):
    """Synthesis stopped because its Cancel was set (barge-in)."""


class Cancel:
    """Set by one thread (the loop, on barge-in) to stop synthesis running in another (the sink's).

    Checked between chunks by the Synthesizer; engines that can abort a model call in progress register
    a hook with `on_set`, so a long clause stops within milliseconds instead of running to its end.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._set = False
        self._hooks: list[Callable[[], None]] = []

    def set(self) -> None:
        with self._lock:
            self._set = True
            hooks, self._hooks = self._hooks, []
        for hook in hooks:
            hook()

    def is_set(self) -> bool:
        return self._set

    def on_set(self, hook: Callable[[], None]) -> Callable[[], None]:
        """Call `hook` when set (at once if already set); returns a function that unregisters it."""
        with self._lock:
            if not self._set:
                self._hooks.append(hook)
                return lambda: self._remove(hook)
        hook()
        return lambda: None

    def _remove(self, hook) -> None:
        with self._lock:
            if hook in self._hooks:
                self._hooks.remove(hook)


def ort_run(session, feeds: dict, cancel: Cancel | None = None, config: dict[str, str] | None = None) -> list:
    """`session.run` that `cancel` can abort mid-run (onnxruntime's terminate flag); raises Cancelled."""
    import onnxruntime as ort

    options = ort.RunOptions()
    for key, value in (config or {}).items():
        options.add_run_config_entry(key, value)
    if cancel is None:
        return session.run(None, feeds, options)
    if cancel.is_set():
        raise Cancelled()

    def terminate():
        options.terminate = True

    unregister = cancel.on_set(terminate)
    try:
        return session.run(None, feeds, options)
    except Exception as exc:
        if cancel.is_set() and "terminate" in str(exc).lower():
            raise Cancelled() from None
        raise
    finally:
        unregister()


@dataclass
class AudioChunk:
    samples: np.ndarray  # float32 mono: a clause, a block of one, or the pause after one
    sample_rate: int
    text: str  # the clause it belongs to, as spoken (normalized)
    index: int  # position in the stream, 0 for the first chunk


class TTSEngine(Protocol):
    name: str
    sample_rate: int
    voices: list[str]
    default_voice: str

    def synthesize_clause(self, text: str, voice: str | None = None, speed: float = 1.0,
                          cancel: Cancel | None = None) -> np.ndarray:
        """One clause of normalized Chinese text → float32 mono samples at `sample_rate` (may be empty).
        An engine that can abort a call in progress raises Cancelled once `cancel` is set; others ignore it."""
        ...

    # Optional: engines that can yield a clause in blocks (FastSpeech2's vocoder) also define
    # stream_clause(text, voice=None, speed=1.0) -> Iterator[np.ndarray]; the Synthesizer prefers it.


_ENGINE_LOCKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LOCKS_GUARD = threading.Lock()


def engine_lock(engine) -> threading.Lock:
    """The one lock of a loaded engine: sessions sharing it take turns per model call (a clause or a block).
    ONNX Runtime already spreads one call over every core, so concurrent calls would only thrash; a lock,
    unlike a worker thread, keeps the call on the caller's thread, where barge-in can abort it."""
    with _LOCKS_GUARD:
        lock = _ENGINE_LOCKS.get(engine)
        if lock is None:
            lock = _ENGINE_LOCKS[engine] = threading.Lock()
        return lock
