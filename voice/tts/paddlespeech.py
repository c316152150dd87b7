"""PaddleSpeech's pretrained Mandarin FastSpeech2 + vocoder, from their ONNX exports in a local folder.

Put these files in one folder and pass it as `--voice-dir` (or `$VOICE_PADDLESPEECH_DIR`); they come from
PaddleSpeech's released archives `fastspeech2_csmsc_onnx_0.2.0.zip` and `mb_melgan_csmsc_onnx_0.2.0.zip`
(or `hifigan_csmsc_onnx_0.2.0.zip`):

    fastspeech2_csmsc.onnx   phone_id_map.txt   mb_melgan_csmsc.onnx (or hifigan_csmsc.onnx)

Only onnxruntime is needed (no paddlepaddle). The text front end here maps pypinyin initials and tone-
numbered finals onto the model's phone table; PaddleSpeech's own front end (tone sandhi, polyphones) is
richer. Not testable end to end on the project's CI (the archives are not in any package registry).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from voice.errors import VoiceError
from voice.tts.base import Cancel, ort_run

REQUIRED = ("fastspeech2_csmsc.onnx", "phone_id_map.txt")
VOCODERS = ("mb_melgan_csmsc.onnx", "hifigan_csmsc.onnx")


def read_phone_map(path: Path) -> dict[str, int]:
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 2:
            table[parts[0]] = int(parts[1])
    return table


def phones(text: str) -> list[str]:
    """'你好，' → ['n', 'i3', 'h', 'ao3', 'sp'] (initials and tone-numbered finals; pauses as 'sp')."""
    from pypinyin import Style, lazy_pinyin

    out: list[str] = []
    initials = lazy_pinyin(text, style=Style.INITIALS, strict=False, errors=lambda s: ["|"] * len(s))
    finals = lazy_pinyin(text, style=Style.FINALS_TONE3, strict=False, neutral_tone_with_five=True,
                         errors=lambda s: ["|"] * len(s))
    for ini, fin in zip(initials, finals):
        if fin == "|":
            if out and out[-1] != "sp":
                out.append("sp")
            continue
        if ini:
            out.append(ini)
        out.append(fin)
    return out


class PaddleSpeechTTS:
    name = "paddlespeech"
    sample_rate = 24000
    voices = ["csmsc"]
    default_voice = "csmsc"

    def __init__(self, folder: str | os.PathLike | None = None):
        folder = folder or os.environ.get("VOICE_PADDLESPEECH_DIR")
        if not folder:
            raise VoiceError("paddlespeech needs its ONNX models in a folder: set VOICE_PADDLESPEECH_DIR to a folder "
                             f"holding {', '.join(REQUIRED)} and one of {', '.join(VOCODERS)} "
                             "(from PaddleSpeech's fastspeech2_csmsc_onnx_0.2.0 and mb_melgan_csmsc_onnx_0.2.0 archives)")
        self.folder = Path(folder).expanduser()
        missing = [f for f in REQUIRED if not (self.folder / f).is_file()]
        vocoder = next((self.folder / v for v in VOCODERS if (self.folder / v).is_file()), None)
        if missing or vocoder is None:
            raise VoiceError(f"{self.folder}: missing {', '.join(missing + ([] if vocoder else ['a vocoder: ' + ' or '.join(VOCODERS)]))}")
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = 2
        self.phone_ids = read_phone_map(self.folder / "phone_id_map.txt")
        self.acoustic = ort.InferenceSession(str(self.folder / "fastspeech2_csmsc.onnx"), options,
                                             providers=["CPUExecutionProvider"])
        self.vocoder = ort.InferenceSession(str(vocoder), options, providers=["CPUExecutionProvider"])

    def ids(self, text: str) -> np.ndarray:
        unknown = [p for p in phones(text) if p not in self.phone_ids]
        if unknown:
            raise VoiceError(f"phones not in {self.folder / 'phone_id_map.txt'}: {', '.join(sorted(set(unknown)))}")
        return np.array([self.phone_ids[p] for p in phones(text)], np.int64)

    def synthesize_clause(self, text: str, voice: str | None = None, speed: float = 1.0,
                          cancel: Cancel | None = None) -> np.ndarray:
        ids = self.ids(text)
        if ids.size == 0:
            return np.zeros(0, np.float32)
        mel = ort_run(self.acoustic, {self.acoustic.get_inputs()[0].name: ids}, cancel)[0]
        audio = ort_run(self.vocoder, {self.vocoder.get_inputs()[0].name: mel}, cancel)[0]
        return np.asarray(audio, np.float32).reshape(-1)
