"""Mandarin text-to-speech with Kokoro-82M (int8 ONNX): text in, 24 kHz float32 mono out.

Text is split into clauses at punctuation; each clause goes through misaki's Mandarin G2P (IPA with tone
arrows), is mapped to Kokoro token ids and synthesized in one ONNX call; the clauses are joined with short
pauses. Text must already be written as it is spoken (voice.tts.normalize does that; voice.tts.stream
wraps this engine with normalization, streaming and caching).
"""

from __future__ import annotations

import json
import logging
import re

import numpy as np

from voice.errors import VoiceError
from voice.models.store import ensure
from voice.tts.base import Cancel, ort_run

MODEL = "kokoro-82m-int8"
VOICE_TABLES = "kokoro-voices-zh"
SAMPLE_RATE = 24000
MAX_TOKENS = 510  # Kokoro's context is 512 ids including the two 0 pads
SPEED_RANGE = (0.5, 2.0)

_ENDS = "。！？.!?…\n"
_BREAKS = _ENDS + "，、；：,;:"
_CLAUSE = re.compile(f"[^{re.escape(_BREAKS)}]+[{re.escape(_BREAKS)}]*")
_SENTENCE_PAUSE = 0.30  # seconds after 。！？
_CLAUSE_PAUSE = 0.15  # seconds after ，、；：
# The memory arena would keep the longest clause's buffers for good (a server would stay at its peak);
# shrinking it after each call returns them at no measurable cost in speed.
_RUN_CONFIG = {"memory.enable_memory_arena_shrinkage": "cpu:0"}
# Tokens that carry prosody but no sound: a clause of only these (an emoji, a stray "…") is skipped.
_SILENT = set(";:,.!?—…\"()“” ")


class KokoroTTS:
    """Kokoro-82M Mandarin synthesizer: the ONNX session and G2P load once, each voice table on first use."""

    name = "kokoro"
    sample_rate = SAMPLE_RATE
    default_voice = "zf_xiaobei"
    voices = ["zf_xiaobei", "zf_xiaoni", "zf_xiaoxiao", "zf_xiaoyi",
              "zm_yunjian", "zm_yunxi", "zm_yunxia", "zm_yunyang"]

    def __init__(self, voice: str = "zf_xiaobei", threads: int = 2):
        self.voice = self._check_voice(voice)
        model_dir = ensure(MODEL)
        self._voice_dir = ensure(VOICE_TABLES)
        self._tables: dict[str, np.ndarray] = {}
        self._vocab: dict[str, int] = json.loads((model_dir / "vocab.json").read_text())["vocab"]
        self._g2p = _load_g2p()

        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(model_dir / "kokoro-v1.0.int8.onnx"), options,
                                             providers=["CPUExecutionProvider"])

    def synthesize(self, text: str, voice: str | None = None, speed: float = 1.0) -> np.ndarray:
        """Speak `text` (Chinese characters, as spoken) and return float32 mono samples at 24 kHz.

        Raises VoiceError for empty or unspeakable text, an unknown voice or a speed outside 0.5–2.0.
        """
        table = self._table(self._check_voice(self.voice if voice is None else voice))
        low, high = SPEED_RANGE
        if not low <= speed <= high:
            raise VoiceError(f"speed {speed} is out of range: use {low} to {high}")
        if not text or not text.strip():
            raise VoiceError("text is empty: nothing to synthesize")

        parts: list[np.ndarray] = []
        pause = 0.0
        for clause in _CLAUSE.findall(text):
            phonemes = self._phonemize(clause)
            if not phonemes:
                continue
            for chunk in _chunks(phonemes):
                if parts:
                    parts.append(np.zeros(round(pause * self.sample_rate), np.float32))
                parts.append(_trim(self._run(chunk, table, speed)))
                pause = _CLAUSE_PAUSE  # between the chunks of an over-long clause
            pause = _SENTENCE_PAUSE if clause[-1] in _ENDS else _CLAUSE_PAUSE
        if not parts:
            raise VoiceError(f"nothing speakable in {text[:40]!r}: the G2P produced no phonemes")
        return np.concatenate(parts)

    def synthesize_clause(self, text: str, voice: str | None = None, speed: float = 1.0,
                          cancel: Cancel | None = None) -> np.ndarray:
        """One clause (normalized text) without added pauses; empty when nothing in it can be voiced.
        Raises Cancelled as soon as `cancel` is set, also in the middle of the model run."""
        table = self._table(self._check_voice(self.voice if voice is None else voice))
        phonemes = self._phonemize(text)
        if not phonemes:
            return np.zeros(0, np.float32)
        parts = [_trim(self._run(chunk, table, speed, cancel)) for chunk in _chunks(phonemes)]
        return np.concatenate(parts) if len(parts) > 1 else parts[0]

    def _phonemize(self, clause: str) -> str:
        result = self._g2p(clause)
        # misaki returns (phonemes, tokens); tokens is None for Mandarin.
        phonemes = result[0] if isinstance(result, tuple) else result
        # Characters outside the vocabulary (misaki's ❓ for unknown text, emoji) cannot be voiced.
        phonemes = "".join(c for c in phonemes if c in self._vocab).strip()
        return phonemes if any(c not in _SILENT for c in phonemes) else ""

    def _run(self, phonemes: str, table: np.ndarray, speed: float, cancel: Cancel | None = None) -> np.ndarray:
        ids = [self._vocab[c] for c in phonemes]
        # The style row is picked by input length, as in the reference Kokoro pipeline.
        style = table[len(ids) - 1][None, :]
        audio = ort_run(self._session, {
            "tokens": np.array([[0, *ids, 0]], dtype=np.int64),
            "style": style,
            "speed": np.array([speed], dtype=np.float32),
        }, cancel, _RUN_CONFIG)[0]
        return audio.reshape(-1)

    def _table(self, voice: str) -> np.ndarray:
        if voice not in self._tables:
            raw = np.fromfile(self._voice_dir / f"{voice}.bin", dtype="<f4")
            self._tables[voice] = raw.reshape(-1, 256)
        return self._tables[voice]

    def _check_voice(self, voice: str) -> str:
        if voice not in self.voices:
            raise VoiceError(f"unknown voice {voice!r}: choose one of {', '.join(self.voices)}")
        return voice


def _load_g2p():
    try:
        from misaki.zh import ZHG2P
    except ImportError as exc:
        raise VoiceError(f"Mandarin TTS needs misaki[zh] ({exc}): pip install 'voice[tts]'") from exc
    # jieba (inside misaki) logs its dictionary loading to stderr at DEBUG level on first use.
    logging.getLogger("jieba").setLevel(logging.WARNING)
    return ZHG2P()


def _chunks(phonemes: str):
    """Cut an over-long clause at word spaces so each call fits the model's context."""
    while len(phonemes) > MAX_TOKENS:
        cut = phonemes.rfind(" ", 0, MAX_TOKENS + 1)
        cut = cut if cut > 0 else MAX_TOKENS
        yield phonemes[:cut]
        phonemes = phonemes[cut:].lstrip()
    if phonemes:
        yield phonemes


def _trim(audio: np.ndarray, rate: int = SAMPLE_RATE, floor_db: float = -70.0, margin_s: float = 0.05):
    """Drop the near-silence Kokoro puts around each clause (up to ~1 s), so pauses are ours to set.

    The floor sits well above Kokoro's noise (about -90 dBFS) but below breaths and soft onsets, which
    listeners (and ASR) miss when they are cut.
    """
    frame = rate // 100
    n = len(audio) // frame
    if n == 0:
        return audio
    rms = np.sqrt(np.mean(audio[: n * frame].reshape(n, frame) ** 2, axis=1))
    loud = np.flatnonzero(rms > 10 ** (floor_db / 20))
    if loud.size == 0:
        return audio[:0]
    margin = round(margin_s * rate)
    return audio[max(0, loud[0] * frame - margin): min(len(audio), (loud[-1] + 1) * frame + margin)]
