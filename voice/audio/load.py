"""Load any common audio file as 16 kHz mono float32.

libsndfile (soundfile) reads WAV/FLAC/OGG/MP3 at any bit depth exactly; everything else (m4a/AAC, opus,
webm, wma, video containers) goes through FFmpeg via PyAV. Every failure becomes one `AudioError` whose
message starts with the file name.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from voice.errors import AudioError

SAMPLE_RATE = 16000
# One hour of 16 kHz float32 is 230 MB; longer inputs would break the batch memory budget.
DEFAULT_MAX_SECONDS = 4 * 3600


def resample(audio: np.ndarray, rate: int, target: int = SAMPLE_RATE) -> np.ndarray:
    if rate == target:
        return audio.astype(np.float32, copy=False)
    import soxr

    return soxr.resample(audio, rate, target, quality="HQ").astype(np.float32, copy=False)


def to_mono(audio: np.ndarray) -> np.ndarray:
    return audio.mean(axis=1) if audio.ndim == 2 else audio


def load_audio(path: str | os.PathLike, *, max_seconds: float = DEFAULT_MAX_SECONDS) -> np.ndarray:
    """Read `path` and return 16 kHz mono float32 samples in [-1, 1]."""
    name = str(path)
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise AudioError(f"{name}: no such file") from None
    except OSError as exc:
        raise AudioError(f"{name}: cannot read: {exc.strerror}") from None
    if p.is_dir():
        raise AudioError(f"{name}: is a folder, not an audio file")
    if size == 0:
        raise AudioError(f"{name}: empty file (0 bytes)")
    if not os.access(p, os.R_OK):
        raise AudioError(f"{name}: cannot read: permission denied")

    audio = _read_soundfile(p, name, max_seconds)
    if audio is None:
        audio = _read_ffmpeg(p, name, max_seconds)
    if audio.size == 0:
        raise AudioError(f"{name}: contains no audio samples")
    if not np.all(np.isfinite(audio)):
        raise AudioError(f"{name}: corrupt audio (NaN or infinite samples)")
    return audio


def _read_soundfile(p: Path, name: str, max_seconds: float) -> np.ndarray | None:
    import soundfile as sf

    try:
        with sf.SoundFile(p) as f:
            if f.frames > max_seconds * f.samplerate:
                raise AudioError(f"{name}: too long ({f.frames / f.samplerate / 3600:.1f} h; "
                                 f"limit {max_seconds / 3600:.1f} h): split it first")
            data = f.read(dtype="float32", always_2d=True)
            rate = f.samplerate
    except AudioError:
        raise
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError):
        return None  # not a libsndfile format (or damaged): let FFmpeg try
    if data.shape[0] == 0:
        raise AudioError(f"{name}: contains no audio samples")
    return resample(to_mono(data), rate)


def _read_ffmpeg(p: Path, name: str, max_seconds: float) -> np.ndarray:
    import av

    try:
        with av.open(str(p), metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioError(f"{name}: not an audio file (no audio stream)")
            stream = container.streams.audio[0]
            resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
            chunks, total = [], 0
            for frame in container.decode(stream):
                frame.pts = None
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    chunks.append(chunk)
                    total += chunk.size
                if total > max_seconds * SAMPLE_RATE:
                    raise AudioError(f"{name}: too long (limit {max_seconds / 3600:.1f} h): split it first")
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except AudioError:
        raise
    except av.error.InvalidDataError:
        raise AudioError(f"{name}: not an audio file or unsupported format") from None
    except (av.error.FFmpegError, ValueError, OSError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise AudioError(f"{name}: corrupt or unreadable audio ({reason})") from None
    if not chunks:
        raise AudioError(f"{name}: contains no audio samples")
    return np.concatenate(chunks).astype(np.float32, copy=False)
