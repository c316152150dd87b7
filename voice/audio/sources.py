"""Where live audio comes from, as 512-sample frames at 16 kHz with their capture time (perf_counter).

- `file_frames(path, realtime)`: a file (any format) played as a microphone; realtime paces frames at the
  audio clock, otherwise as fast as possible (capture time = when the frame is read, so the turn latencies
  then measure processing only, not the silence a live speaker would wait through);
- `Microphone`: sounddevice/PortAudio input at the device's native rate, resampled to 16 kHz;
- `stdin_frames()`: raw 16-bit little-endian mono PCM at 16 kHz on standard input;
- `utterance_stream(paths)` / `conversation_stream(paths, playing)`: recordings one after another as one
  microphone stream (demo, tests, benchmarks), the second waiting for each reply to finish as a user would.
"""

from __future__ import annotations

import queue
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from voice.audio.frames import FRAME, RATE, from_s16le
from voice.errors import VoiceError


def array_frames(audio: np.ndarray, realtime: bool = False, start: float | None = None
                 ) -> Iterator[tuple[np.ndarray, float]]:
    start = time.perf_counter() if start is None else start
    n = len(audio) // FRAME
    for i in range(n):
        due = start + (i + 1) * FRAME / RATE
        if realtime:
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            yield audio[i * FRAME:(i + 1) * FRAME], due
        else:
            yield audio[i * FRAME:(i + 1) * FRAME], time.perf_counter()


def file_frames(path: str, realtime: bool = False, tail_s: float = 1.0) -> Iterator[tuple[np.ndarray, float]]:
    from voice.audio.load import load_audio

    audio = load_audio(path)
    audio = np.concatenate([audio, np.zeros(int(tail_s * RATE), np.float32)])
    yield from array_frames(audio, realtime)


def stdin_frames() -> Iterator[tuple[np.ndarray, float]]:
    stream = sys.stdin.buffer
    while True:
        data = stream.read(FRAME * 2)
        if len(data) < FRAME * 2:
            return
        yield from_s16le(data), time.perf_counter()


class Microphone:
    """Captures in PortAudio's callback thread into a queue; iterate to get frames in order."""

    def __init__(self, device=None):
        try:
            import sounddevice as sd
        except (ImportError, OSError) as exc:
            raise VoiceError(f"the microphone needs sounddevice and PortAudio (apt-get install libportaudio2): {exc}") from None
        self.sd = sd
        try:
            info = sd.query_devices(device, "input")
        except (ValueError, sd.PortAudioError) as exc:
            raise VoiceError(f"no microphone found ({exc}); use --input FILE to listen to a recording") from None
        self.rate = int(info["default_samplerate"])
        self.device = device
        self.queue: queue.Queue = queue.Queue()
        self.stream = None
        self._rest = np.zeros(0, np.float32)

    def _callback(self, indata, frames, time_info, status):
        self.queue.put((indata[:, 0].copy(), time.perf_counter()))

    def __enter__(self):
        try:
            self.stream = self.sd.InputStream(samplerate=self.rate, channels=1, dtype="float32", device=self.device,
                                              blocksize=int(self.rate * FRAME / RATE), callback=self._callback)
            self.stream.start()
        except self.sd.PortAudioError as exc:
            if self.stream is not None:
                self.stream.close()
            raise VoiceError(f"cannot open the microphone: {exc}") from None
        return self

    def __exit__(self, *exc):
        if self.stream is not None:
            self.stream.stop()
            self.stream.close()

    def frames(self) -> Iterator[tuple[np.ndarray, float]]:
        import soxr

        resampler = soxr.ResampleStream(self.rate, RATE, 1, dtype="float32") if self.rate != RATE else None
        while True:
            block, at = self.queue.get()
            if resampler is not None:
                block = resampler.resample_chunk(block)
            self._rest = np.concatenate([self._rest, block])
            while self._rest.size >= FRAME:
                yield self._rest[:FRAME], at
                self._rest = self._rest[FRAME:]


def utterance_stream(paths: list[Path], gap_s: float = 1.5, realtime: bool = True, starts: list | None = None):
    """The files one after another with `gap_s` of silence between them, as one microphone stream.
    `starts`, if given, receives each file's start time in seconds on the stream's clock."""
    from voice.audio.load import load_audio

    if not paths:
        raise VoiceError("no recordings to play: the manifest lists none of the wanted kinds")
    pieces, at = [], 0
    for p in paths:
        audio = load_audio(str(p))
        if starts is not None:
            starts.append(at / 16000)
        pieces += [audio, np.zeros(int(gap_s * 16000), np.float32)]
        at += audio.size + int(gap_s * 16000)
    return array_frames(np.concatenate(pieces), realtime)


def conversation_stream(paths: list[Path], playing, gap_s: float = 1.5, starts: list | None = None):
    """The files in real time as one microphone stream, each starting `gap_s` after the previous reply has
    finished sounding (`playing()` false), as a user waits for the answer before the next command.
    `starts` receives each file's start time in seconds on the stream's clock."""
    from voice.audio.load import load_audio

    silence = np.zeros(FRAME, np.float32)
    sent = 0
    for p in paths:
        audio = load_audio(str(p))
        if starts is not None:
            starts.append(sent * FRAME / RATE)
        due = time.perf_counter()
        for frame, due in array_frames(np.concatenate([audio, np.zeros(int(gap_s * RATE), np.float32)]), True):
            sent += 1
            yield frame, due
        while playing():  # the reply is still sounding: the user listens
            due += FRAME / RATE
            time.sleep(max(0.0, due - time.perf_counter()))
            sent += 1
            yield silence, due
        quiet_until = due + gap_s
        while due < quiet_until:
            due += FRAME / RATE
            time.sleep(max(0.0, due - time.perf_counter()))
            sent += 1
            yield silence, due
