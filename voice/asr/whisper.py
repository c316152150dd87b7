"""Mandarin Whisper engine on CTranslate2 (through faster-whisper's model, tokenizer and features).

How it differs from plain `WhisperModel.transcribe`:

- Silero VAD finds speech regions first; silence and noise are never decoded (no hallucinations there,
  less work). Neighbouring regions are merged into chunks of up to `max_chunk_s` for context.
- Each chunk is encoded in a window only `window_pad_s` longer than its speech instead of Whisper's fixed
  30 s window (the CTranslate2 encoder accepts shorter inputs; a 5 s window costs ~1/15 of a 30 s one).
  On CPU chunks are decoded in order, each prompted with the text before it (Whisper's own long-form
  behaviour); on GPUs they are decoded in batches.
- Short windows can make the decoder loop, so every result is checked (compression ratio, repeated units,
  average log-probability); a looping chunk is decoded again with a repetition penalty, then with the full
  30 s window (temperature fallback is optional, off by default); a loop that survives is cut
  (`cleanup.cut_loops`).
- A long file chunk that still comes out empty, looping or with far too few characters for its speech (Whisper
  stopping after a few words on reverberant, noisy, fast or telephone audio) is decoded again in the full
  30 s window with timestamps (as plain Whisper decodes, which keeps it going segment by segment), and if
  that is no better, cut at its quietest point and each half decoded on its own (`_resolved`).
- The number of new tokens is capped by the chunk's duration, so a loop can never run to 448 tokens.
- Output is cleaned (`cleanup.clean_segment`: Simplified script, Chinese punctuation, hallucination
  blacklist) and optionally inverse-normalized (`itn`).
"""

from __future__ import annotations

import math
import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import numpy as np

from voice.asr.cleanup import clean_segment, compression_ratio, has_loop, join_texts
from voice.asr.types import ASROptions, Segment, Transcript
from voice.audio.load import SAMPLE_RATE
from voice.errors import ModelError
from voice.vad.silero import VADOptions, merge_regions, speech_regions

FULL_WINDOW_FRAMES = 3000  # Whisper's 30 s input
HOP = 160  # samples per mel frame
# Chunks decoded together. On CPU batching measured no faster than one by one and costs memory (beam x
# batch cross-attention caches); GPUs gain from it.
BATCH = {"cpu": 1, "cuda": 8}
TOKENS_PER_SECOND = 25  # fast Mandarin is ~8 characters/s; a rare character costs up to 3 tokens
REPETITION_PENALTY = 1.2  # used only to re-decode a chunk that looped
SCORE_PAD_S = 1.0  # audio after the speech kept when scoring texts against it
# A file chunk whose result is empty, looping, or under SPARSE_CHARS_PER_S characters per second of the speech
# Silero found in it is decoded again (full window, then cut in two), at most MAX_SPLITS times deep, never
# into pieces shorter than MIN_SPLIT_S. Mandarin is read at 3-5 characters/s; the slowest long recording
# here has 3.1 per second of VAD speech, so under half of that means Whisper stopped early.
SPARSE_CHARS_PER_S = 1.5
MAX_SPLITS = 2
MIN_SPLIT_S = 3.0
_MODEL_FIELDS = ("model", "device", "compute_type", "threads", "language")


@dataclass
class _Decoded:
    tokens: list[int]
    text: str
    avg_logprob: float
    no_speech_prob: float
    alternatives: tuple[str, ...] = ()  # the beam's other hypotheses, when asked for
    encoded: object = None  # the encoder output (ctranslate2.StorageView), kept for scoring
    frames: int = 0  # mel frames of the encoded window

    @property
    def compression(self) -> float:
        return compression_ratio(self.text)


class WhisperASR:
    """Loads the model once; `transcribe(audio)` may be called any number of times, from several threads.

    Threads take turns per model call (one encode + generate, under a lock that `variant`s share): CTranslate2
    spreads one call over every core already, so concurrent calls would only slow each other down, and a
    lock at this grain lets a live session's short decode slip in between the chunks of a long file."""

    def __init__(self, options: ASROptions = ASROptions()):
        from faster_whisper import WhisperModel
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        from voice.models.store import resolve_asr_model

        self.options = options
        path = resolve_asr_model(options.model)
        device = options.device
        if device == "auto":
            import ctranslate2

            device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
        compute_type = options.compute_type
        if compute_type == "default":
            compute_type = "int8" if device == "cpu" else "default"
        try:
            self.model = WhisperModel(str(path), device=device, compute_type=compute_type,
                                      cpu_threads=options.threads or os.cpu_count() or 1)
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"{path}: cannot load on {device} with {compute_type}: {exc}") from exc
        self.ct2 = self.model.model
        self.tokenizer = Tokenizer(self.model.hf_tokenizer, self.ct2.is_multilingual, task="transcribe",
                                   language=options.language)
        self.suppress = list(get_suppressed_tokens(self.tokenizer, [-1]))
        self.features = self.model.feature_extractor
        self.n_mels = self.features.mel_filters.shape[0]
        self._lock = threading.Lock()

    # --- public -------------------------------------------------------------------------------------

    def variant(self, **changes) -> "WhisperASR":
        """The same loaded model with other decoding options (window, retries, beam…): no second copy in memory."""
        options = replace(self.options, **changes)
        for name in _MODEL_FIELDS:
            if getattr(options, name) != getattr(self.options, name):
                raise ValueError(f"{name} changes the loaded model: create a new engine instead")
        other = type(self).__new__(type(self))
        other.__dict__.update(self.__dict__)
        other.options = options
        return other

    def transcribe(self, audio: np.ndarray, *, hotwords: list[str] | tuple[str, ...] | None = None,
                   source: str | None = None, progress: Callable[[float], None] | None = None) -> Transcript:
        """`progress`, if given, is called with the fraction of the audio done after each chunk."""
        audio = np.asarray(audio, dtype=np.float32)
        segments = list(self.iter_segments(audio, hotwords=hotwords, progress=progress))
        return Transcript(text=join_texts(s.text for s in segments), segments=segments,
                          duration=audio.size / SAMPLE_RATE, language=self.options.language, source=source)

    def iter_segments(self, audio: np.ndarray, *, hotwords: list[str] | tuple[str, ...] | None = None,
                      progress: Callable[[float], None] | None = None) -> Iterator[Segment]:
        """The transcript's segments in order, each as soon as its chunk is decoded (for streaming replies)."""
        opts = self.options
        audio = np.asarray(audio, dtype=np.float32)
        chunks = self._chunks(audio)
        words = tuple(hotwords if hotwords is not None else opts.hotwords)
        step = BATCH.get(self.ct2.device, 1)
        segments: list[Segment] = []
        if step == 1:
            # One by one, in order, each chunk prompted with the text before it (as Whisper decodes
            # long audio); that context helps names and style stay consistent across chunks.
            for start, end, speech in chunks:
                prompt = self._prompt(words, segments[-1].text if segments else "")
                piece = audio[start:end]
                first = self._decode_batch([piece], prompt, opts.window_pad_s)[0]
                before = len(segments)
                for a, b, result in self._resolved(piece, prompt, first, speech):
                    self._add(segments, start + a, start + b, result)
                if progress:
                    progress(end / audio.size)
                yield from segments[before:]
        else:
            prompt = self._prompt(words)
            decoded: list[_Decoded | None] = [None] * len(chunks)
            order = sorted(range(len(chunks)), key=lambda i: chunks[i][1] - chunks[i][0])
            for b in range(0, len(order), step):
                idx = order[b:b + step]
                pieces = [audio[chunks[i][0]:chunks[i][1]] for i in idx]
                for i, result in zip(idx, self._decode_batch(pieces, prompt, opts.window_pad_s)):
                    decoded[i] = result
            for (start, end, speech), first in zip(chunks, decoded):
                before = len(segments)
                for a, b, result in self._resolved(audio[start:end], prompt, first, speech):
                    self._add(segments, start + a, start + b, result)
                if progress:
                    progress(end / audio.size)
                yield from segments[before:]

    def transcribe_utterance(self, audio: np.ndarray, *, hotwords: tuple[str, ...] = (),
                             beam_size: int | None = None, checked: bool = True,
                             previous: str = "", nbest: int = 0, quick: bool = False) -> Segment | None:
        """One already-endpointed utterance (no VAD pass): a short window, the loop guards, clean-up.
        `checked=False` skips the fallback ladder (for partial transcripts, where speed matters more);
        `previous` is text said just before this audio (the prompt's context). `nbest` > 1 also returns the
        beam's other hypotheses and a scorer of any text against this audio (`Segment.alternatives`,
        `Segment.scorer`; CPU only). `quick`: decode greedily first (about 70 ms less on 2 cores); a sound
        result comes back at once with `Segment.refine`, which runs the beam search on the same encoder output
        and returns what this call would have returned without `quick`."""
        audio = np.asarray(audio, dtype=np.float32)
        prompt = self._prompt(tuple(hotwords), previous)
        encoded = None
        if quick:
            fast = self._decode_batch([audio], prompt, self.options.window_pad_s, beam_size=1, keep=True)[0]
            encoded = fast.encoded
            if not self._is_silence(fast) and self._acceptable(fast):
                # the encoder output was kept for the refinement; a scorer only where `nbest` asks for one
                scored = nbest > 1 and self.ct2.device == "cpu"
                seg = self._utterance(audio, fast if scored else replace(fast, encoded=None))
                if seg is not None:
                    seg.refine = lambda: self._full_utterance(audio, prompt, beam_size, checked, nbest, encoded)
                    return seg
        return self._full_utterance(audio, prompt, beam_size, checked, nbest, encoded)

    def _full_utterance(self, audio: np.ndarray, prompt: list[int], beam_size: int | None, checked: bool,
                        nbest: int, encoded=None) -> Segment | None:
        first = self._decode_batch([audio], prompt, self.options.window_pad_s, beam_size=beam_size,
                                   nbest=nbest, encoded=encoded)[0]
        result = self._checked(audio, prompt, first) if checked else (None if self._is_silence(first) else first)
        return self._utterance(audio, result)

    def _utterance(self, audio: np.ndarray, result: _Decoded | None) -> Segment | None:
        segments: list[Segment] = []
        self._add(segments, 0, audio.size, result)
        if not segments or result is None or result.encoded is None:
            return segments[0] if segments else None
        seg = segments[0]
        seg.alternatives = tuple(t for t in dict.fromkeys(clean_segment(a) for a in result.alternatives)
                                 if t and t != seg.text)
        seg.scorer = self._scorer(result.encoded, audio.size / SAMPLE_RATE)
        return seg

    def _scorer(self, encoded, speech_s: float) -> AudioScorer:
        """A scorer over `encoded` cut to the speech plus SCORE_PAD_S: measured on the samples, a cut window
        ranks texts as the whole one does at ~half the cost."""
        full = np.asarray(encoded)
        positions = min(full.shape[1], math.ceil((speech_s + SCORE_PAD_S) * SAMPLE_RATE / HOP / 2))
        return AudioScorer(self, np.ascontiguousarray(full[:, :positions]))

    def scorer(self, audio: np.ndarray) -> AudioScorer:
        """Encode `audio` (one utterance) as the final decode does and return a scorer of texts against it."""
        import ctranslate2

        audio = np.asarray(audio, dtype=np.float32)
        feats, _ = self._features([audio], self.options.window_pad_s)
        with self._lock:
            encoded = self.ct2.encode(ctranslate2.StorageView.from_array(feats), to_cpu=self.ct2.device == "cuda")
        return self._scorer(encoded, audio.size / SAMPLE_RATE)

    def _add(self, segments: list[Segment], start: int, end: int, result: _Decoded | None) -> None:
        if result is None:
            return
        speech = self.options.vad and result.no_speech_prob < self.options.no_speech_threshold
        text = clean_segment(result.text, speech)
        if text and self.options.itn:
            from voice.text.itn import itn

            text = itn(text)
        if text:
            segments.append(Segment(start=round(start / SAMPLE_RATE, 3), end=round(end / SAMPLE_RATE, 3),
                                    text=text, confidence=round(math.exp(result.avg_logprob), 4),
                                    no_speech_prob=round(result.no_speech_prob, 4), raw=result.text))

    # --- chunking and prompts -----------------------------------------------------------------------

    def _chunks(self, audio: np.ndarray) -> list[tuple[int, int, float]]:
        """(start, end, seconds of speech in it) of each chunk to decode."""
        max_len = int(self.options.max_chunk_s * SAMPLE_RATE)
        if not self.options.vad:
            return [(s, min(s + max_len, audio.size), min(max_len, audio.size - s) / SAMPLE_RATE)
                    for s in range(0, audio.size, max_len)]
        pad = int(self.options.vad_pad_s * SAMPLE_RATE)
        regions = speech_regions(audio, VADOptions(threshold=self.options.vad_threshold,
                                                   max_region_s=self.options.max_chunk_s, pad_ms=pad * 1000 // SAMPLE_RATE))
        chunks = []
        for start, end in merge_regions(regions, max_len=max_len, max_gap=SAMPLE_RATE):
            # the padding is not speech (touching regions share theirs, so this can only undercount)
            inside = sum(max(0, min(b, end) - max(a, start) - 2 * pad) for a, b in regions)
            chunks.append((start, end, inside / SAMPLE_RATE))
        return chunks

    def _prompt(self, hotwords: tuple[str, ...], previous: str = "") -> list[int]:
        tok = self.tokenizer
        prompt: list[int] = []
        context = "，".join(w.strip() for w in hotwords if w.strip())
        if previous and self.options.condition_on_previous_text:
            context = (context + "。" if context else "") + previous
        if context:
            # Context goes in the "previous text" slot, as openai-whisper's initial_prompt does.
            tokens = tok.encode(" " + context)
            prompt = [tok.sot_prev, *tokens[-(self.model.max_length // 2 - 1):]]
        return prompt + list(tok.sot_sequence) + [tok.no_timestamps]

    # --- decoding -----------------------------------------------------------------------------------

    def _features(self, pieces: list[np.ndarray], pad_s: float | None) -> tuple[np.ndarray, int]:
        longest = max(p.size for p in pieces)
        if pad_s is None:
            frames = FULL_WINDOW_FRAMES
        else:
            wanted = max(longest + pad_s * SAMPLE_RATE, self.options.min_window_s * SAMPLE_RATE)
            frames = min(FULL_WINDOW_FRAMES, math.ceil(wanted / HOP))
        batch = np.zeros((len(pieces), self.n_mels, frames), dtype=np.float32)
        for k, piece in enumerate(pieces):
            if self.options.pad_with_silence:
                padded = np.zeros(frames * HOP, dtype=np.float32)
                padded[:min(padded.size, piece.size)] = piece[:padded.size]
                batch[k] = self.features(padded, padding=0)[:, :frames]
                continue
            # the speech's log-mel, then zeros in log-mel space up to the window (as faster-whisper pads): the
            # log-mel of digital silence instead (about -0.6 after Whisper's normalisation) cost characters in
            # files, e.g. 语音识别 → 运营识别 on a clean clip
            mel = self.features(piece[:frames * HOP], padding=160)[:, :frames]
            batch[k, :, :mel.shape[1]] = mel
        return batch, frames

    def _decode_batch(self, pieces: list[np.ndarray], prompt: list[int], pad_s: float | None,
                      temperature: float = 0.0, repetition_penalty: float = 1.0,
                      beam_size: int | None = None, nbest: int = 0, timestamps: bool = False,
                      keep: bool = False, encoded=None) -> list[_Decoded]:
        """`timestamps`: let Whisper mark segment times as it goes (the times are dropped from the text).
        `keep`: return the encoder output with each result; `encoded`: that output, from an earlier call on the
        same pieces and window (the encoder is not run again)."""
        import ctranslate2

        if timestamps and prompt[-1:] == [self.tokenizer.no_timestamps]:
            prompt = prompt[:-1]
        if encoded is None:
            feats, frames = self._features(pieces, pad_s)
        else:
            frames = encoded.shape[1] * 2  # two mel frames per encoder position
        longest_s = max(p.size for p in pieces) / SAMPLE_RATE
        # timestamps take two tokens per segment (a segment lasts seconds): one more per second is ample
        per_second = TOKENS_PER_SECOND + (1 if timestamps else 0)
        max_new = min(self.model.max_length - len(prompt) - 1, int(per_second * longest_s) + 16)
        if temperature > 0:
            search = {"beam_size": 1, "num_hypotheses": 5, "sampling_topk": 0,
                      "sampling_temperature": temperature}
        else:
            beam = beam_size or self.options.beam_size
            search = {"beam_size": beam, "num_hypotheses": max(1, min(nbest, beam))}
        keep = keep or (nbest > 1 and temperature == 0 and self.ct2.device == "cpu")
        with self._lock:
            if encoded is None:
                encoded = self.ct2.encode(ctranslate2.StorageView.from_array(feats),
                                          to_cpu=self.ct2.device == "cuda" and len(self.ct2.device_index) > 1)
            results = self.ct2.generate(encoded, [prompt] * len(pieces), max_length=len(prompt) + max_new,
                                        return_scores=True, return_no_speech_prob=True, suppress_blank=True,
                                        suppress_tokens=self.suppress, repetition_penalty=repetition_penalty,
                                        **search)
        out = []
        for r in results:
            best = max(range(len(r.sequences_ids)), key=lambda h: r.scores[h])
            tokens = r.sequences_ids[best]
            # CTranslate2 returns the length-normalised cumulative log-probability.
            avg = r.scores[best] * len(tokens) / (len(tokens) + 1)
            others = tuple(self.tokenizer.decode(s).strip() for h, s in enumerate(r.sequences_ids) if h != best)
            out.append(_Decoded(tokens, self.tokenizer.decode(tokens).strip(), avg, r.no_speech_prob,
                                others if keep else (), encoded if keep else None, frames))
        return out

    def _repetitive(self, d: _Decoded) -> bool:
        return d.compression > self.options.compression_ratio_threshold or has_loop(d.text) \
            or said_twice(d.text)

    def _acceptable(self, d: _Decoded) -> bool:
        return not self._repetitive(d) and d.avg_logprob >= self.options.log_prob_threshold

    def _is_silence(self, d: _Decoded) -> bool:
        o = self.options
        return d.no_speech_prob > o.no_speech_threshold and d.avg_logprob < o.log_prob_threshold

    def _resolved(self, piece: np.ndarray, prompt: list[int], first: _Decoded, speech_s: float,
                  depth: int = 0) -> list[tuple[int, int, _Decoded | None]]:
        """A file chunk's result, as (start, end, decoded) pieces: the checked decode, or, when a long chunk
        still comes out empty, looping or far too short for its `speech_s` seconds of speech (Whisper stopping
        after a few words), the full-window decode if that is sound, else the chunk cut at its quietest point
        near the middle and each half decoded on its own (kept only if together they say more)."""
        result = self._checked(piece, prompt, first)
        if depth >= MAX_SPLITS or piece.size < 2 * MIN_SPLIT_S * SAMPLE_RATE \
                or not self._doubtful(result, speech_s):
            return [(0, piece.size, result)]
        if depth == 0:
            # Without timestamps Whisper often ends the text after its first sentence on fast or noisy speech; with
            # them it goes on segment by segment (as plain Whisper decodes): on a fast clip under babble, 12
            # characters against 127.
            # A phrase said twice in it (has_loop) is let through here: that is still far closer to the speech.
            whole = self._decode_batch([piece], prompt, None, timestamps=True)[0]
            if not self._sparse(whole, speech_s) and whole.compression <= self.options.compression_ratio_threshold \
                    and whole.avg_logprob >= self.options.log_prob_threshold and not said_twice(whole.text):
                return [(0, piece.size, whole)]
        cut = _quietest(piece)
        parts: list[tuple[int, int, _Decoded | None]] = []
        for a, b in ((0, cut), (cut, piece.size)):
            half = piece[a:b]
            decoded = self._decode_batch([half], prompt, self.options.window_pad_s)[0]
            share = speech_s * half.size / piece.size
            parts += [(a + s, a + e, d) for s, e, d in self._resolved(half, prompt, decoded, share, depth + 1)]
        if result is not None and not self._repetitive(result) \
                and _chars([d for _, _, d in parts]) <= _chars([result]):
            return [(0, piece.size, result)]
        return parts

    def _doubtful(self, d: _Decoded | None, speech_s: float) -> bool:
        return d is None or self._repetitive(d) or self._sparse(d, speech_s)

    @staticmethod
    def _sparse(d: _Decoded, speech_s: float) -> bool:
        return len(_strip_spaces(d.text)) < SPARSE_CHARS_PER_S * speech_s

    def _checked(self, piece: np.ndarray, prompt: list[int], first: _Decoded) -> _Decoded | None:
        """The fallback ladder, starting from the fast short-window result.

        Measured on the Mandarin recordings here: a repetition penalty on the same window fixes most
        loops (and keeps the rest of the sentence, which cutting the loop would lose); temperature
        sampling mostly produced worse text at several times the cost, so it is off by default.
        """
        if self._is_silence(first):
            return None
        if self._acceptable(first):
            return first
        half = _doubled_half(first.text)
        if half and not has_loop(half) and first.avg_logprob >= self.options.log_prob_threshold:
            # A short window sometimes makes Whisper say the whole utterance twice: keep one copy.
            return _Decoded(first.tokens, half, first.avg_logprob, first.no_speech_prob)
        tried = [first]
        ladder: list[tuple[float | None, float, float]] = []  # (window pad, temperature, penalty)
        if self._repetitive(first):
            ladder.append((self.options.window_pad_s, 0.0, REPETITION_PENALTY))
        if self.options.window_pad_s is not None and self.options.full_window_retry:
            ladder.append((None, 0.0, REPETITION_PENALTY if self._repetitive(first) else 1.0))
        ladder += [(None, t, 1.0) for t in self.options.temperatures if t > 0]
        for pad, temperature, penalty in ladder:
            d = self._decode_batch([piece], prompt, pad, temperature, penalty)[0]
            if self._is_silence(d):
                return None
            if self._acceptable(d):
                return d
            tried.append(d)
        not_repetitive = [d for d in tried if not self._repetitive(d)]
        return max(not_repetitive or tried, key=lambda d: d.avg_logprob)


def _quietest(piece: np.ndarray) -> int:
    """The sample index of the quietest 100 ms in the middle third of `piece` (where to cut it in two)."""
    step = SAMPLE_RATE // 10
    lo, hi = piece.size // 3 // step, 2 * piece.size // 3 // step
    energy = [float(np.mean(piece[k * step:(k + 1) * step] ** 2)) for k in range(lo, max(lo + 1, hi))]
    return (lo + int(np.argmin(energy))) * step + step // 2


def _chars(decoded: list[_Decoded | None]) -> int:
    return sum(len(_strip_spaces(d.text)) for d in decoded if d is not None)


def _strip_spaces(text: str) -> str:
    return re.sub(r"[\s,，。]+", "", text)


def said_twice(text: str) -> bool:
    """The whole utterance said twice with a slip between the copies (120成以30多手120成以30多少): a short
    window's habit that neither the compression ratio nor an exact repeat catches."""
    from rapidfuzz.distance import Levenshtein

    bare = _strip_spaces(text)
    if len(bare) < 8:
        return False
    half = len(bare) // 2
    return any(Levenshtein.normalized_distance(bare[:k], bare[k:]) <= 0.2 for k in (half - 1, half, half + 1))


def _doubled_half(text: str) -> str | None:
    bare = _strip_spaces(text)
    half = len(bare) // 2
    if half >= 2 and len(bare) % 2 == 0 and bare[:half] == bare[half:]:
        return bare[:half]
    return None


class AudioScorer:
    """Forced log-probability of texts (sum of log token probabilities, CTranslate2 `Whisper.align`) given one
    encoder output: how well the audio supports each text. `window` (numpy, [1, positions, d_model]) is
    kept so that a recognizer output can be stored and scored again later (tools/misheard_cases.py)."""

    def __init__(self, asr: WhisperASR, window: np.ndarray):
        self.asr = asr
        self.window = window

    def __call__(self, texts) -> list[float]:
        texts = list(texts)
        if not texts:
            return []
        return _forced(self.asr, self.window, texts)


def _forced(asr: WhisperASR, window: np.ndarray, texts: list[str]) -> list[float]:
    import ctranslate2

    tok = asr.tokenizer
    start = [*tok.sot_sequence, tok.no_timestamps]
    tokens = [tok.encode(t) or [tok.eot] for t in texts]
    positions = window.shape[1]
    batch = ctranslate2.StorageView.from_array(np.repeat(window, len(texts), axis=0))
    with asr._lock:
        results = asr.ct2.align(batch, start, tokens, [positions * 2] * len(texts))
    return [float(np.sum(np.log(np.maximum(np.asarray(r.text_token_probs, dtype=np.float64), 1e-12))))
            for r in results]
