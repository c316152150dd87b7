"""espeak-ng as the always-available floor: tone-numbered pinyin (pypinyin) read by `cmn-latn-pinyin`.

Robotic but intelligible; never the default when a neural engine is installed. Needs Debian `espeak-ng`.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import numpy as np

from voice.errors import VoiceError


def pinyin_tone3(text: str) -> str:
    """'你好，世界' → 'ni3 hao3 , shi4 jie4' (neutral tone 5; non-Chinese text kept)."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda s: [s])
    out = " ".join(s.strip() for s in syllables if s.strip())
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

    def synthesize_clause(self, text: str, voice: str | None = None, speed: float = 1.0) -> np.ndarray:
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
