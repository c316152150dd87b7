"""Audio in and out: file loading to 16 kHz mono float32, resampling."""

from voice.audio.load import SAMPLE_RATE, load_audio, resample

__all__ = ["SAMPLE_RATE", "load_audio", "resample"]
