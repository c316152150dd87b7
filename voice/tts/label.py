"""AI-generated content label for synthesized audio.

Every WAV file `voice` writes carries an implicit, machine-readable label in a RIFF `LIST/INFO` chunk
(readable by common audio tools):
- ISFT  "voice <version> (AI-generated speech)"
- ICMT  JSON: {"ai_generated": true, "generator": "voice", "engine": …, "voice": …, "created": ISO time}
- ICRD  creation date (YYYY-MM-DD)
`explicit_notice` is the short spoken notice that `voice say --notice` puts before the speech, for the
explicit label China's rules for AI-generated content ask for on audio.
"""

from __future__ import annotations

import json
import struct
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from voice.audio.frames import to_s16le
from voice.fsutil import atomic_write

EXPLICIT_NOTICE = "以下语音由人工智能合成。"


def label_fields(engine: str, voice: str) -> dict:
    from voice import __version__

    now = datetime.now(timezone.utc).replace(microsecond=0)
    meta = {"ai_generated": True, "generator": "voice", "version": __version__, "engine": engine, "voice": voice,
            "created": now.isoformat()}
    return {"ISFT": f"voice {__version__} (AI-generated speech)", "ICMT": json.dumps(meta, ensure_ascii=False),
            "ICRD": now.date().isoformat()}


def _chunk(cid: bytes, payload: bytes) -> bytes:
    pad = b"\0" if len(payload) % 2 else b""
    return cid + struct.pack("<I", len(payload)) + payload + pad


def _header_chunks(sample_rate: int, info: dict[str, str]) -> bytes:
    fmt = struct.pack("<HHIIHH", 1, 1, sample_rate, sample_rate * 2, 2, 16)
    entries = b"".join(_chunk(k.encode("ascii"), v.encode("utf-8") + b"\0") for k, v in info.items())
    return b"WAVE" + _chunk(b"fmt ", fmt) + _chunk(b"LIST", b"INFO" + entries)


def wav_bytes(samples: np.ndarray, sample_rate: int, info: dict[str, str]) -> bytes:
    """16-bit PCM mono WAV with a LIST/INFO chunk."""
    pcm = to_s16le(samples)
    body = _header_chunks(sample_rate, info) + _chunk(b"data", pcm)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def streaming_wav_header(sample_rate: int, engine: str, voice: str) -> bytes:
    """The header of a labelled 16-bit mono WAV whose length is not known yet (sizes 0xFFFFFFFF, as streaming
    servers write them; players read to the end)."""
    head = _header_chunks(sample_rate, label_fields(engine, voice))
    return b"RIFF" + struct.pack("<I", 0xFFFFFFFF) + head + b"data" + struct.pack("<I", 0xFFFFFFFF)


def write_labelled_wav(path: str | Path, samples: np.ndarray, sample_rate: int, engine: str, voice: str) -> None:
    """Atomic: the file appears complete or not at all."""
    atomic_write(path, wav_bytes(samples, sample_rate, label_fields(engine, voice)))


def read_label(path: str | Path) -> dict[str, str]:
    """The LIST/INFO fields of a WAV file ({} when there are none)."""
    data = Path(path).read_bytes()
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError(f"{path}: not a WAV file")
    pos, out = 12, {}
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        payload = data[pos + 8:pos + 8 + size]
        if cid == b"LIST" and payload[:4] == b"INFO":
            p = 4
            while p + 8 <= len(payload):
                key, n = payload[p:p + 4].decode("ascii"), struct.unpack("<I", payload[p + 4:p + 8])[0]
                out[key] = payload[p + 8:p + 8 + n].rstrip(b"\0").decode("utf-8")
                p += 8 + n + (n % 2)
        pos += 8 + size + (size % 2)
    return out
