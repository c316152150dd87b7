"""espeak-ng as the always-available floor: tone-numbered pinyin (pypinyin, polyphones by word, our tone
sandhi) read by `cmn-latn-pinyin`.

Robotic but intelligible; never the default when a neural engine is installed. Needs Debian `espeak-ng`.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import numpy as np

from voice.errors import VoiceError
from voice.tts.base import Cancel


def _tone(s: str) -> str:
    return s[-1] if s[-1:].isdigit() else ""


def sandhi(words: list[tuple[str, list[str]]]) -> list[str]:
    """Mandarin tone sandhi on (word, tone3 syllables) pairs: 3-3 → 2-3 inside a word (and across a
    two-syllable boundary), 不 before a 4th tone → bu2, 一 before a 4th tone → yi2, before 1/2/3 → yi4
    (not at the end of a word, in ordinals 第一 or in 一一)."""
    flat: list[tuple[str, str]] = []
    for word, syllables in words:
        flat.extend(zip(word if len(word) == len(syllables) else [""] * len(syllables), syllables))
    out = [p for _, p in flat]
    for i, (char, _) in enumerate(flat):
        nxt = out[i + 1] if i + 1 < len(out) else ""
        if char == "不" and _tone(nxt) == "4":
            out[i] = "bu2"
        elif char == "一" and nxt and flat[i + 1][0] not in "一" and (i == 0 or flat[i - 1][0] != "第"):
            out[i] = "yi2" if _tone(nxt) == "4" else "yi4" if _tone(nxt) in "123" and _tone(nxt) else out[i]
    for i in range(len(out) - 2, -1, -1):
        if _tone(out[i]) == "3" and _tone(out[i + 1]) == "3":
            out[i] = out[i][:-1] + "2"
    return out


def pinyin_tone3(text: str) -> str:
    """'你好，世界' → 'ni2 hao3 , shi4 jie4' (tone sandhi applied; neutral tone 5; non-Chinese kept)."""
    import jieba
    from pypinyin import Style, lazy_pinyin

    words = []
    for word in jieba.cut(text, HMM=False):
        syllables = lazy_pinyin(word, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda s: [s])
        words.append((word, [s.strip() for s in syllables if s.strip()]))
    out = " ".join(sandhi(words))
    return re.sub(r"\s*([，。！？、；：,.!?;:])\s*", r" \1 ", out).strip()


class EspeakTTS:
    name = "espeak"
    sample_rate = 22050
    voices = ["cmn-latn-pinyin"]
    default_voice = "cmn-latn-pinyin"

    def __init__(self):
        self.binary = shutil.which("espeak-ng")
        if not self.binary:
            raise VoiceError("espeak-ng is not installed: apt-get install espeak-ng")

    def synthesize_clause(self, text: str, voice: str | None = None, speed: float = 1.0,
                          cancel: Cancel | None = None) -> np.ndarray:
        import soundfile as sf

        spoken = pinyin_tone3(text)
        if not re.search(r"[A-Za-z]", spoken):
            return np.zeros(0, np.float32)
        proc = subprocess.run([self.binary, "-v", voice or self.default_voice, "-s", str(round(150 * speed)),
                               "--stdout", spoken], capture_output=True, timeout=60)
        if proc.returncode != 0 or not proc.stdout:
            raise VoiceError(f"espeak-ng failed: {proc.stderr.decode(errors='replace').strip()[:200]}")
        audio, rate = sf.read(io.BytesIO(proc.stdout), dtype="float32")
        self.sample_rate = rate
        return audio if audio.ndim == 1 else audio.mean(axis=1)
