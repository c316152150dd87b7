"""The model manifest (`models/manifest.toml`) as plain dataclasses."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from voice.errors import ModelError

MANIFEST_PATH = Path(__file__).resolve().parent.parent / "data" / "manifest.toml"


@dataclass(frozen=True)
class Part:
    path: str  # relative to site-packages (pypi) or to the unpacked tarball (npm)
    size: int | None = None
    sha256: str | None = None


@dataclass(frozen=True)
class FileSpec:
    name: str
    size: int | None
    sha256: str | None
    parts: tuple[Part, ...] = ()


@dataclass(frozen=True)
class ModelSpec:
    name: str
    task: str
    format: str
    description: str
    licence: str
    source: str  # "pypi", "npm" or "hub"
    files: tuple[FileSpec, ...]
    packages: tuple[str, ...] = ()
    repo: str | None = None
    revision: str | None = None
    approx_size: int | None = None
    default: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def size(self) -> int | None:
        if self.approx_size:
            return self.approx_size
        sizes = [f.size for f in self.files]
        return sum(sizes) if all(s is not None for s in sizes) else None

    @property
    def source_text(self) -> str:
        if self.source == "hub":
            return f"hub:{self.repo}@{(self.revision or 'main')[:12]}"
        return f"{self.source}:" + " + ".join(self.packages)


def _parse(name: str, raw: dict) -> ModelSpec:
    files = raw.get("files", {})
    if isinstance(files, list):  # hub models list file names only
        specs = tuple(FileSpec(n, None, None) for n in files)
    else:
        specs = tuple(
            FileSpec(
                fname,
                f.get("size"),
                f.get("sha256"),
                tuple(Part(p["path"], p.get("size"), p.get("sha256")) for p in f.get("parts", [])),
            )
            for fname, f in files.items()
        )
    known = {"task", "format", "description", "licence", "source", "files", "packages", "repo",
             "revision", "approx_size", "default"}
    return ModelSpec(
        name=name,
        task=raw["task"],
        format=raw["format"],
        description=raw.get("description", ""),
        licence=raw.get("licence", "unknown"),
        source=raw["source"],
        files=specs,
        packages=tuple(raw.get("packages", ())),
        repo=raw.get("repo"),
        revision=raw.get("revision"),
        approx_size=raw.get("approx_size"),
        default=bool(raw.get("default", False)),
        extra={k: v for k, v in raw.items() if k not in known},
    )


def load_manifest(path: Path | None = None) -> dict[str, ModelSpec]:
    """The packaged manifest, or the one `$VOICE_MANIFEST` names (for private models)."""
    return load_manifest_file(Path(path or os.environ.get("VOICE_MANIFEST") or MANIFEST_PATH))


@lru_cache(maxsize=4)
def load_manifest_file(path: Path) -> dict[str, ModelSpec]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ModelError(f"{path}: cannot read the model manifest: {exc}") from exc
    return {name: _parse(name, entry) for name, entry in raw.get("models", {}).items()}


def get_spec(name: str) -> ModelSpec:
    models = load_manifest()
    if name not in models:
        raise ModelError(f"unknown model {name!r}; known: {', '.join(sorted(models))}")
    return models[name]


def default_model(task: str) -> ModelSpec:
    for spec in load_manifest().values():
        if spec.task == task and spec.default:
            return spec
    raise ModelError(f"the manifest names no default {task} model")
