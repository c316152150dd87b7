"""tools/loop_sweep.py reads LoopConfig overrides and refuses unknown ones with a one-line error."""

import subprocess
import sys
from pathlib import Path

TOOL = Path(__file__).resolve().parents[2] / "tools" / "loop_sweep.py"


def test_unknown_setting_is_a_one_line_error():
    r = subprocess.run([sys.executable, str(TOOL), "--set", "commit_min=3"], capture_output=True, text=True,
                       timeout=60, check=False)
    assert r.returncode == 2 and "'commit_min=3': use NAME=VALUE with a LoopConfig field" in r.stderr


def test_missing_audio_folder_is_reported(tmp_path):
    r = subprocess.run([sys.executable, str(TOOL), "--audio", str(tmp_path), "--set", "commit_min_s=3.0"],
                       capture_output=True, text=True, timeout=60, check=False)
    assert r.returncode == 2 and r.stderr.strip() == f"{tmp_path}: no manifest.tsv"
