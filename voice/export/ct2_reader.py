"""Reader for CTranslate2's `model.bin` (binary format version 6, as written by ctranslate2 4.x).

Layout (little-endian): u32 format version; string spec name; u32 spec revision; u32 variable count; per
variable: string name, u8 rank, u32 × rank dims, u8 dtype, u32 byte count, raw data; u32 alias count, per
alias: string alias, string target. A string is u16 length (including a trailing NUL) + bytes.
Int8 weights are dequantized with their `<name>_scale` rows (w / scale); float16/bfloat16 become float32.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voice.errors import ModelError

DTYPES = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16, 5: "bfloat16"}
SUPPORTED_SPECS = ("WhisperSpec",)


@dataclass
class CT2Model:
    path: Path
    version: int
    spec: str
    revision: int
    variables: dict[str, np.ndarray]  # raw (int8 stays int8)
    aliases: dict[str, str]

    def get(self, name: str) -> np.ndarray:
        name = self.aliases.get(name, name)
        try:
            return self.variables[name]
        except KeyError:
            raise ModelError(f"{self.path}: variable {name!r} not found") from None

    def weight(self, name: str) -> np.ndarray:
        """A weight as float32, dequantized if it was stored as int8 with a scale."""
        w = self.get(name)
        if w.dtype == np.int8:
            scale = self.get(name + "_scale").astype(np.float32)
            return (w.astype(np.float32) / scale.reshape((-1,) + (1,) * (w.ndim - 1))).astype(np.float32)
        return w.astype(np.float32)

    def scalar(self, name: str) -> int | float:
        return self.get(name).reshape(-1)[0].item()


class _Buffer:
    def __init__(self, data: bytes, path: Path):
        self.data, self.pos, self.path = data, 0, path

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise ModelError(f"{self.path}: truncated model.bin (needs {self.pos + n} bytes, has {len(self.data)})")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def u(self, fmt: str):
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]

    def string(self) -> str:
        n = self.u("<H")
        try:
            return self.take(n).rstrip(b"\0").decode("utf-8")
        except UnicodeDecodeError:
            raise ModelError(f"{self.path}: not a CTranslate2 model.bin (bad string at byte {self.pos})") from None


def read_model(path: str | Path) -> CT2Model:
    """Read `path` (a model.bin or the folder holding it)."""
    path = Path(path)
    if path.is_dir():
        path = path / "model.bin"
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelError(f"{path}: cannot read: {exc.strerror}") from None
    buf = _Buffer(data, path)
    version = buf.u("<I") if len(data) >= 4 else None
    if version is None or not 1 <= version <= 6:
        raise ModelError(f"{path}: not a CTranslate2 model.bin (format version {version})")
    spec = buf.string() if version >= 2 else ""
    revision = buf.u("<I") if version >= 2 else 1
    if spec not in SUPPORTED_SPECS:
        raise ModelError(f"{path}: unsupported architecture {spec or 'unknown'!r} (supported: {', '.join(SUPPORTED_SPECS)})")
    count = buf.u("<I")
    variables: dict[str, np.ndarray] = {}
    for _ in range(count):
        name = buf.string()
        rank = buf.u("<B")
        dims = [buf.u("<I") for _ in range(rank)]
        code = buf.u("<B") if version >= 4 else 0
        nbytes = buf.u("<I")
        raw = buf.take(nbytes)
        if code not in DTYPES:
            raise ModelError(f"{path}: variable {name!r} has unknown dtype code {code}")
        dtype = DTYPES[code]
        if dtype == "bfloat16":
            arr = (np.frombuffer(raw, "<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            arr = np.frombuffer(raw, dtype)
        if arr.size != int(np.prod(dims)) if dims else arr.size != 1:
            raise ModelError(f"{path}: variable {name!r} has {arr.size} values for shape {dims}")
        variables[name] = arr.reshape(dims) if dims else arr.reshape(())
    aliases = {}
    if buf.pos < len(data):
        for _ in range(buf.u("<I")):
            alias = buf.string()
            aliases[alias] = buf.string()
    return CT2Model(path, version, spec, revision, variables, aliases)


def write_model(path: str | Path, spec: str, variables: dict[str, np.ndarray], revision: int = 3,
                aliases: dict[str, str] | None = None) -> None:
    """Write a model.bin (format version 6) — for tests with synthetic models."""
    codes = {np.dtype(np.float32): 0, np.dtype(np.int8): 1, np.dtype(np.int16): 2, np.dtype(np.int32): 3,
             np.dtype(np.float16): 4}

    def string(s: str) -> bytes:
        b = s.encode("utf-8") + b"\0"
        return struct.pack("<H", len(b)) + b

    out = [struct.pack("<I", 6), string(spec), struct.pack("<I", revision), struct.pack("<I", len(variables))]
    for name, arr in variables.items():
        arr = np.ascontiguousarray(arr)
        out += [string(name), struct.pack("<B", arr.ndim), *(struct.pack("<I", d) for d in arr.shape),
                struct.pack("<B", codes[arr.dtype]), struct.pack("<I", arr.nbytes), arr.tobytes()]
    aliases = aliases or {}
    out.append(struct.pack("<I", len(aliases)))
    for a, t in aliases.items():
        out += [string(a), string(t)]
    Path(path).write_bytes(b"".join(out))
