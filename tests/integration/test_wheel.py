"""`pip install .` (not editable) into a fresh virtual environment, then `voice demo --fast` from another folder:
the bundled samples, their manifest and the NLU case files come from the installed package, not the checkout.

The new environment borrows the dependencies already installed in this one (a path file to its site-packages,
whose own editable `voice` is not loaded: path files are not read from an added folder), so the test installs
only the project itself."""

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def test_installed_wheel_runs_the_demo_outside_the_checkout(tmp_path):
    venv = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    r = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--disable-pip-version-check",
                        str(REPO)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "VOICE_HOME": os.environ.get("VOICE_HOME", str(tmp_path / "home"))}
    where = subprocess.run([str(python), "-c", "import voice, voice.paths as p; print(voice.__file__); "
                            "print(p.samples_dir()); print(p.package_data('nlu_cases.jsonl').is_file())"],
                           cwd=elsewhere, capture_output=True, text=True, env=env, check=True).stdout.split("\n")
    assert where[0].startswith(site) and where[1].startswith(site) and where[2] == "True", where
    demo = subprocess.run([str(venv / "bin" / "voice"), "demo", "--fast", "--limit", "2"], cwd=elsewhere,
                          capture_output=True, text=True, env=env, timeout=600)
    assert demo.returncode == 0, demo.stderr[-2000:]
    assert "2 turns" in demo.stdout and "[alarm.set]" in demo.stdout
    nlu = subprocess.run([str(venv / "bin" / "voice"), "bench", "nlu", "--repeat", "1", "--json"], cwd=elsewhere,
                         capture_output=True, text=True, env=env, timeout=600)
    assert nlu.returncode == 0 and '"cases"' in nlu.stdout, nlu.stderr[-2000:]
