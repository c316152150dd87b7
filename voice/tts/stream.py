"""Streaming synthesis on any engine: text (or LLM tokens) → normalized clauses → audio chunks.

The first clause is kept short (at most FIRST_MAX characters, cut at a word boundary) so playback starts
early, and the following ones grow (GROWTH) so each is ready before the previous one has finished playing;
clauses are also cut at punctuation. A pause follows punctuation only, never a cut inside a phrase. Short clauses that replies
start with ("好的，", "抱歉，") are cached per engine, voice and speed, in memory and on disk.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from voice.errors import VoiceError
from voice.tts.base import AudioChunk, Cancel, Cancelled, TTSEngine, engine_lock
from voice.tts.normalize import normalize_tts

FIRST_MAX = 8
MAX_CLAUSE = 40
GROWTH = (FIRST_MAX, 12, 20, MAX_CLAUSE)  # character limits of clause 1, 2, 3, and the rest
SENTENCE_PAUSE = 0.30
CLAUSE_PAUSE = 0.15
CACHE_MAX_CHARS = 8
# Reply openings the assistant's templates use most (measured on the sample commands and recordings): their
# audio is cached on disk, so these replies start playing at once even with a slow engine.
COMMON_OPENINGS = ("好的，", "好的。", "抱歉，", "没问题，", "现在是", "您有", "正在为您", "正在", "还没有",
                   "这个我还不会。", "通讯录里没有找到", "确定要", "今天是", "你好，", "我是你的语音助手，")
_ENDS = "。！？!?…\n"
_BREAKS = "，、；：,;:"
_SPLIT = re.compile(f"([^{re.escape(_ENDS + _BREAKS)}]*[{re.escape(_ENDS + _BREAKS)}]+|[^{re.escape(_ENDS + _BREAKS)}]+$)")
_SPEAKABLE = re.compile(r"[\u4e00-\u9fffA-Za-z]")


def _cut_words(text: str, limit: int) -> int:
    """Where to cut `text` at or before `limit` characters without splitting a word (jieba)."""
    try:
        import jieba

        pos = 0
        for word in jieba.cut(text, HMM=False):
            if pos + len(word) > limit and pos > 0:
                return pos
            pos += len(word)
    except ImportError:
        pass
    return limit


def split_clauses(text: str, first_max: int = FIRST_MAX, max_len: int = MAX_CLAUSE) -> list[str]:
    """Clauses with their punctuation; the first at most `first_max` characters."""
    out: list[str] = []
    for piece in _SPLIT.findall(text.strip()):
        piece = piece.strip()
        while piece:
            limit = first_max if not out else min(max_len, GROWTH[min(len(out), len(GROWTH) - 1)])
            if len(piece) <= limit:
                out.append(piece)
                break
            cut = _cut_words(piece, limit)
            out.append(piece[:cut])
            piece = piece[cut:]
    return [c for c in out if c]


class ClauseBuffer:
    """Collects streamed text (LLM tokens) and releases whole clauses as soon as they end."""

    def __init__(self):
        self.pending = ""
        self.released = 0

    def feed(self, token: str) -> list[str]:
        self.pending += token
        clauses = []
        while True:
            m = re.search(f"[{re.escape(_ENDS + _BREAKS)}]+", self.pending)
            limit = FIRST_MAX if self.released == 0 else MAX_CLAUSE
            if m:
                clause, self.pending = self.pending[:m.end()], self.pending[m.end():]
            elif len(self.pending) > limit * 2:
                cut = _cut_words(self.pending, limit)
                clause, self.pending = self.pending[:cut], self.pending[cut:]
            else:
                break
            if clause.strip():
                clauses.append(clause)
                self.released += 1
        return clauses

    def flush(self) -> list[str]:
        rest, self.pending = self.pending, ""
        return [rest] if rest.strip() else []


class Synthesizer:
    """An engine plus clause splitting, pauses, resampling and the phrase cache."""

    def __init__(self, engine: TTSEngine, voice: str | None = None, speed: float = 1.0,
                 sample_rate: int | None = None, cache_dir: str | Path | None = None):
        self.engine = engine
        self.voice = voice or engine.default_voice
        if self.voice not in engine.voices:
            raise VoiceError(f"unknown voice {self.voice!r} for {engine.name}: choose one of {', '.join(engine.voices)}")
        if not 0.5 <= speed <= 2.0:
            raise VoiceError(f"speed {speed} is out of range: use 0.5 to 2.0")
        self.speed = speed
        self.sample_rate = sample_rate or engine.sample_rate
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self._memory: dict[str, np.ndarray] = {}

    # --- public -------------------------------------------------------------------------------

    def stream(self, text: str, normalize: bool = True, cancel: Cancel | None = None) -> Iterator[AudioChunk]:
        """Audio chunk per clause, each yielded as soon as it is synthesized; ends early once `cancel` is set."""
        spoken = normalize_tts(text) if normalize else text
        return self._cancellable(self._clauses(spoken), cancel)

    def stream_tokens(self, tokens: Iterable[str], cancel: Cancel | None = None) -> Iterator[AudioChunk]:
        """Speak text arriving piece by piece (an LLM's stream), clause by clause."""
        def clauses():
            buffer = ClauseBuffer()
            for token in tokens:
                yield from (normalize_tts(c) for c in buffer.feed(token))
            yield from (normalize_tts(c) for c in buffer.flush())

        return self._cancellable(clauses(), cancel)

    def synthesize(self, text: str) -> np.ndarray:
        chunks = [c.samples for c in self.stream(text)]
        if not chunks:
            raise VoiceError(f"nothing speakable in {text[:40]!r}")
        return np.concatenate(chunks)

    def warm(self, phrases: Iterable[str] = COMMON_OPENINGS) -> None:
        """Load the engine's graph, the normalizer and the word splitter; cache the usual reply openings."""
        _cut_words("预先加载分词词典", 2)
        normalize_tts("预热：2026年11月27日12:30，-5°C，￥199，13812345678。")
        for phrase in phrases:
            self._clause_audio(phrase)
        # openings cached on disk never reach the engine: run it once, so the first uncached clause of the
        # first reply does not pay for the engine's first call (ONNX Runtime's allocations, Kokoro's G2P)
        self._clause_audio("预热语音。")

    def forget(self) -> None:
        """Drop the phrase cache held in memory (cold-cache benchmarks); the files on disk stay."""
        self._memory.clear()

    # --- internals ----------------------------------------------------------------------------

    def _cancellable(self, clauses: Iterable[str], cancel: Cancel | None) -> Iterator[AudioChunk]:
        index = 0
        try:
            for clause in clauses:
                for chunk in self._chunks(clause, index, cancel):
                    if cancel is not None and cancel.is_set():
                        return
                    yield chunk
                    index += 1
        except Cancelled:
            return

    def _clauses(self, spoken: str) -> list[str]:
        """Clauses, the first one a cached reply opening when the text starts with one."""
        for opening in COMMON_OPENINGS:
            if spoken.startswith(opening) and len(spoken) > len(opening):
                return [opening, *split_clauses(spoken[len(opening):], first_max=GROWTH[1])]
        return split_clauses(spoken)

    def _chunks(self, clause: str, index: int, cancel: Cancel | None = None) -> Iterator[AudioChunk]:
        """The clause's audio (in blocks when the engine streams within a clause), then its pause."""
        if not _SPEAKABLE.search(clause):
            return
        voiced = False
        for audio in self._clause_blocks(clause, cancel):
            if audio.size:
                voiced = True
                yield AudioChunk(audio, self.sample_rate, clause, index)
                index += 1
        last = clause.rstrip()[-1:]
        pause = SENTENCE_PAUSE if last in _ENDS else CLAUSE_PAUSE if last in _BREAKS else 0.0
        if voiced and pause:
            yield AudioChunk(np.zeros(round(pause * self.sample_rate), np.float32), self.sample_rate, clause, index)

    def _clause_blocks(self, clause: str, cancel: Cancel | None = None) -> Iterator[np.ndarray]:
        """The clause from the cache, else in blocks as the engine makes them (streaming engines) or whole."""
        if cancel is not None and cancel.is_set():
            return
        key = f"{self.engine.name}|{self.voice}|{self.speed}|{self.sample_rate}|{clause}"
        cached = self._cached(key, clause)
        if cached is not None:
            yield cached
            return
        stream_clause = getattr(self.engine, "stream_clause", None)
        lock = engine_lock(self.engine)
        if stream_clause is None:
            with lock:
                if cancel is not None and cancel.is_set():
                    return  # cancelled while another session's clause was being synthesized
                raw = self.engine.synthesize_clause(clause, self.voice, self.speed, cancel=cancel)
            audio = self._resample(np.asarray(raw, np.float32))
            self._store(key, clause, audio)
            yield audio
            return
        resampler = None
        if self.sample_rate != self.engine.sample_rate:
            import soxr

            resampler = soxr.ResampleStream(self.engine.sample_rate, self.sample_rate, 1, dtype="float32")
        blocks = []
        source = stream_clause(clause, self.voice, self.speed)
        while True:
            with lock:
                block = next(source, None)
            if block is None:
                break
            if cancel is not None and cancel.is_set():
                return  # nothing stored: the clause is incomplete
            block = np.asarray(block, np.float32)
            blocks.append(resampler.resample_chunk(block) if resampler else block)
            yield blocks[-1]
        if resampler:
            blocks.append(resampler.resample_chunk(np.zeros(0, np.float32), last=True))
            yield blocks[-1]
        self._store(key, clause, np.concatenate(blocks) if blocks else np.zeros(0, np.float32))

    def _clause_audio(self, clause: str) -> np.ndarray:
        blocks = list(self._clause_blocks(clause))
        return np.concatenate(blocks) if len(blocks) != 1 else blocks[0]

    def _cache_path(self, key: str, clause: str) -> Path | None:
        # only the openings go to disk (no fsync on a new reply's path)
        if clause in COMMON_OPENINGS and self.cache_dir and self.speed == round(self.speed, 1):  # bounded key set
            return self.cache_dir / (hashlib.sha1(key.encode()).hexdigest() + ".npy")
        return None

    def _cached(self, key: str, clause: str) -> np.ndarray | None:
        if key in self._memory:
            return self._memory[key]
        path = self._cache_path(key, clause)
        if path is not None and path.exists():
            try:
                self._memory[key] = np.load(path)
                return self._memory[key]
            except (OSError, ValueError):
                pass
        return None

    def _store(self, key: str, clause: str, audio: np.ndarray) -> None:
        if not (clause in COMMON_OPENINGS or (len(clause) <= CACHE_MAX_CHARS and len(self._memory) < 256)):
            return
        self._memory[key] = audio
        path = self._cache_path(key, clause)
        if path is not None:
            import io

            from voice.fsutil import atomic_write

            buf = io.BytesIO()
            np.save(buf, audio)
            atomic_write(path, buf.getvalue())

    def _resample(self, audio: np.ndarray) -> np.ndarray:
        if self.sample_rate == self.engine.sample_rate or not audio.size:
            return audio
        import soxr

        return soxr.resample(audio, self.engine.sample_rate, self.sample_rate).astype(np.float32)
