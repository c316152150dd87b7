"""`voice transcribe --engine ray` against a local Ray instance that this test starts (and stops, by PID):
same text as local transcription, failed files reported, outputs written, re-runs skip finished files."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("ray")

from voice.audio.manifest import read_manifest  # noqa: E402
from voice.bench.cer import cer  # noqa: E402

# A test cluster on 127.0.0.1 without Ray's token authentication (a token file left in ~/.ray by another Ray
# run would otherwise make the head and this client disagree).
ENV = {**os.environ, "RAY_AUTH_MODE": "disabled"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def ray_head(tmp_path_factory):
    port = _free_port()
    tmp = tmp_path_factory.mktemp("ray")
    ray_bin = Path(sys.executable).with_name("ray")
    proc = subprocess.Popen([str(ray_bin), "start", "--head", "--block", f"--port={port}", "--num-cpus=2",
                             "--include-dashboard=false", "--disable-usage-stats", f"--temp-dir={tmp}",
                             "--node-ip-address=127.0.0.1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, env=ENV)
    address = f"127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        r = subprocess.run([str(ray_bin), "status", f"--address={address}"], capture_output=True, text=True, env=ENV)
        if r.returncode == 0:
            break
        if proc.poll() is not None:
            pytest.fail(f"ray start exited with {proc.returncode}")
        time.sleep(1)
    else:
        os.killpg(proc.pid, signal.SIGTERM)
        pytest.fail("Ray head did not come up in 120 s")
    yield address
    os.killpg(proc.pid, signal.SIGTERM)  # the group started for this test only
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def test_ray_transcription_matches_local_and_resumes(ray_head, shared_audio, tmp_path):
    rows = [r for r in read_manifest(shared_audio) if r["kind"] in ("command", "speech")
            and float(r["duration_s"]) <= 8][:6]
    files = [str(shared_audio / r["file"]) for r in rows]
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF\x00\x00\x00\x00WAVEnot really")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "voice", "transcribe", "--engine", "ray", "--address", ray_head, "--jobs", "2",
           "-o", str(out), "--format", "json", *files, str(broken)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=ENV)
    assert r.returncode == 1, r.stderr  # one input failed
    assert "broken.wav" in r.stderr and f"{len(files)} of {len(files) + 1} files, 1 failed" in r.stderr
    texts = [json.loads((out / f"{Path(f).stem}.json").read_text())["text"] for f in files]
    local = subprocess.run([sys.executable, "-m", "voice", "transcribe", "--format", "tsv", *files],
                           capture_output=True, text=True, timeout=600)
    local_texts = [line.split("\t", 1)[1] for line in local.stdout.splitlines()]
    refs = [r["transcript"] for r in rows]
    assert abs(cer(refs, texts) - cer(refs, local_texts)) <= 0.01
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{Path(f).stem}.json" for f in files)

    again = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=ENV)
    assert f"skipping {len(files)} files whose output exists" in again.stderr
    assert again.returncode == 1 and "broken.wav" in again.stderr  # only the failed one was tried again
