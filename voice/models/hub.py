"""Download of hub-only models (bigger Whisper sizes) for machines that have internet.

Each file is fetched at the manifest's pinned revision and checked against the sha256 the hub publishes
for it (its LFS object id), or the manifest's own sha256 when one is pinned. Nothing in the default path
uses this module.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from voice.errors import ModelError
from voice.models.manifest import ModelSpec


def download(spec: ModelSpec, dest: Path) -> None:
    try:
        from huggingface_hub import HfApi, hf_hub_download
    except ImportError as exc:  # pragma: no cover - faster-whisper depends on it
        raise ModelError("huggingface_hub is not installed; `pip install huggingface_hub`") from exc

    os.environ.setdefault("HF_HUB_ETAG_TIMEOUT", "10")
    os.environ.setdefault("HF_HUB_DOWNLOAD_TIMEOUT", "30")
    try:
        info = HfApi().model_info(spec.repo, revision=spec.revision, files_metadata=True, timeout=15)
    except Exception as exc:  # the client raises many network error types
        raise ModelError(
            f"model {spec.name}: cannot reach the model hub for {spec.repo} "
            f"({type(exc).__name__}); it needs internet. Registry models that work offline: whisper-base"
        ) from exc

    published = {s.rfilename: s for s in info.siblings or []}
    for f in spec.files:
        sibling = published.get(f.name)
        if sibling is None:
            raise ModelError(f"model {spec.name}: {spec.repo}@{spec.revision} has no file {f.name}")
        expected = f.sha256 or (sibling.lfs.sha256 if getattr(sibling, "lfs", None) else None)
        try:
            got = Path(hf_hub_download(spec.repo, f.name, revision=info.sha, local_dir=dest))
        except Exception as exc:
            raise ModelError(f"model {spec.name}: download of {f.name} failed ({type(exc).__name__}: {exc})") from exc
        if got != dest / f.name:
            got.replace(dest / f.name)
        if expected:
            digest = _sha256(dest / f.name)
            if digest != expected:
                raise ModelError(f"model {spec.name}: {f.name} has sha256 {digest[:16]}…, the hub says "
                                 f"{expected[:16]}… (download corrupted)")
    # huggingface_hub leaves its own bookkeeping folder; the store holds only the model files.
    cache = dest / ".cache"
    if cache.exists():
        import shutil

        shutil.rmtree(cache, ignore_errors=True)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()
