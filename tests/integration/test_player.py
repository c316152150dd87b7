"""The player on a real PortAudio → ALSA → PulseAudio path (a private daemon with a virtual sink):
it plays to the end, reports when the first sample left, and stop() ends playback within one block."""

import json
import subprocess
import sys

_SCRIPT = """
import json, threading, time
import numpy as np
from voice.audio.player import Player
rate = 16000
tone = (0.2 * np.sin(2 * np.pi * 440 * np.arange(rate * 3) / rate)).astype("float32")
p = Player(rate, block_ms=20)
t0 = time.monotonic()
done = p.play([tone[: rate // 2]])
full = {"done": done, "played": p.samples_played, "first": p.first_sample_at - t0, "wall": time.monotonic() - t0}
p2 = Player(rate, block_ms=20)
asked = {}


def barge_in():
    # Stop once 0.5 s of audio has gone out, as a barge-in detector would, and note when.
    while p2.samples_played < rate // 2:
        time.sleep(0.001)
    asked["at"] = time.monotonic()
    p2.stop()


threading.Thread(target=barge_in, daemon=True).start()
done2 = p2.play([tone])
returned = time.monotonic()
print(json.dumps({"full": full, "stopped": {"done": done2, "played": p2.samples_played,
                                            "after": returned - asked["at"], "flag": p2.stopped}}))
"""


def test_play_to_end_and_stop_within_a_block(pulse_env):
    r = subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True, env=pulse_env, timeout=60)
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    full, stopped = out["full"], out["stopped"]
    assert full["done"] is True and full["played"] == 8000
    assert 0 <= full["first"] < full["wall"]
    assert full["wall"] >= 0.4  # real-time playback, not a dump
    assert stopped["done"] is False and stopped["flag"] is True
    # playback ends within one 20 ms block (plus scheduling slack) of stop(), far before the 3 s tone ends
    assert 0 <= stopped["after"] < 0.1
    assert 8000 <= stopped["played"] <= 8000 + 2 * 320
