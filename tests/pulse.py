"""A private PulseAudio daemon with a virtual speaker and microphone (FACTS §2), for tests.

`vsink` is a null sink at 16 kHz mono; `vmic` is its monitor remapped as the default source, so whatever is
played is recorded back. Started as a plain child process and ended by its PID.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path


class PulseDaemon:
    def __init__(self, rate: int = 16000):
        self.rate = rate
        self.dir = Path(tempfile.mkdtemp(prefix="voice-pulse-"))
        self.proc: subprocess.Popen | None = None
        self.env = {**os.environ, "PULSE_SERVER": f"unix:{self.dir}/native", "HOME": str(self.dir),
                    "XDG_RUNTIME_DIR": str(self.dir), "PULSE_RUNTIME_PATH": str(self.dir)}

    def start(self) -> dict:
        config = self.dir / "default.pa"
        config.write_text(
            f"load-module module-native-protocol-unix auth-anonymous=1 socket={self.dir}/native\n"
            f"load-module module-null-sink sink_name=vsink rate={self.rate} channels=1 format=s16le\n"
            "load-module module-remap-source master=vsink.monitor source_name=vmic\n"
            "set-default-sink vsink\nset-default-source vmic\n")
        self.proc = subprocess.Popen(
            ["pulseaudio", "-n", "-F", str(config), "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
             "--realtime=no", "--high-priority=no", "--disable-shm=yes"],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"pulseaudio exited: {self.proc.stderr.read().decode(errors='replace')[-500:]}")
            if subprocess.run(["pactl", "info"], env=self.env, capture_output=True).returncode == 0:
                return self.env
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("pulseaudio did not answer within 10 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        shutil.rmtree(self.dir, ignore_errors=True)


def available() -> bool:
    return bool(shutil.which("pulseaudio") and shutil.which("pactl"))
