"""`voice bench web`: voice-to-voice from the browser page against `voice listen`, on the same samples.

Browser: `voice serve --http 127.0.0.1:0` started here; for each sample a fresh headless Chromium (Debian
`chromium` + `chromium-driver`, driven by Selenium) opens the page with the sample as its fake microphone
(played at real pace), presses the microphone button and reads the first turn's voice-to-voice from the
page's latency line. `voice listen --input SAMPLE --realtime` runs the same samples through the live loop.
Both are measured on the server side, from the last speech frame to the first reply audio ready; the
browser's own output latency is not included. Needs `tools/setup.sh --dev` (selenium, chromium).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from voice.errors import VoiceError
from voice.paths import samples_dir

DEFAULT_SAMPLES = ("cmd_01", "cmd_05", "cmd_09", "cmd_19", "cmd_26", "cmd_30")


def chromium(capture: Path):
    """A headless Chromium whose microphone plays `capture` (a WAV file, looped), with browser and network logs
    kept. Raises VoiceError when selenium, chromium or chromium-driver is missing."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError as exc:
        raise VoiceError("selenium is not installed (tools/setup.sh --dev installs it)") from exc
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        raise VoiceError("chromium / chromium-driver are not installed (tools/setup.sh --dev installs them)")
    o = Options()
    o.binary_location = shutil.which("chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--use-fake-ui-for-media-stream",
                 "--use-fake-device-for-media-stream", f"--use-file-for-fake-audio-capture={capture}",
                 "--autoplay-policy=no-user-gesture-required", "--window-size=900,900"):
        o.add_argument(flag)
    o.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=o)


def wait_for(driver, check, timeout: float = 90.0):
    """Poll `check(driver)` until it returns something true; fail with the page's text after `timeout` s."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = check(driver)
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"not seen in {timeout:g} s; page: {driver.find_element('tag name', 'body').text}")


def _text(driver, element_id: str) -> str:
    return driver.find_element("id", element_id).text


def _start_server(tmp: Path, engine: str | None) -> tuple[subprocess.Popen, str]:
    cmd = [sys.executable, "-m", "voice", "serve", "--http", "127.0.0.1:0", "--db", str(tmp / "web.db")]
    if engine:
        cmd += ["--engine", engine]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    for line in proc.stdout:
        if line.startswith("serving"):
            parts = dict(p.split(" on ") for p in line.strip().removeprefix("serving ").split(", "))
            return proc, parts["http"]
    raise VoiceError(f"bench: voice serve did not start (exit {proc.wait()})")


def browser_v2v(samples: list[Path], engine: str | None) -> list[float | None]:
    out: list[float | None] = []
    with tempfile.TemporaryDirectory() as tmp:
        proc, http = _start_server(Path(tmp), engine)
        try:
            for sample in samples:
                driver = chromium(sample)
                try:
                    driver.get(f"http://{http}/")
                    wait_for(driver, lambda d: d.find_element("id", "state").get_attribute("data-state") == "idle")
                    driver.find_element("id", "mic").click()
                    found = wait_for(driver, lambda d: re.search(r"voice-to-voice (\d+(?:\.\d+)?) ms",
                                                                 _text(d, "latency")), 60)
                    out.append(float(found.group(1)))
                except AssertionError:
                    out.append(None)
                finally:
                    driver.quit()
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    return out


def listen_v2v(samples: list[Path], engine: str | None) -> list[float | None]:
    out: list[float | None] = []
    with tempfile.TemporaryDirectory() as tmp:
        for sample in samples:
            events = Path(tmp) / f"{sample.stem}.jsonl"
            cmd = [sys.executable, "-m", "voice", "listen", "--input", str(sample), "--realtime", "--events",
                   str(events), "--db", str(Path(tmp) / "listen.db")]
            if engine:
                cmd += ["--engine", engine]
            subprocess.run(cmd, capture_output=True, timeout=300)
            turns = [json.loads(x) for x in events.read_text(encoding="utf-8").splitlines()
                     if x.strip()] if events.exists() else []
            values = [t.get("voice_to_voice_ms") for t in turns if t.get("type") == "turn"]
            out.append(next((v for v in values if v), None))
    return out


def run_web_bench(names: tuple[str, ...] = DEFAULT_SAMPLES, engine: str | None = None, as_json: bool = False) -> int:
    samples = [samples_dir() / f"{n}.wav" for n in names]
    missing = [str(s) for s in samples if not s.exists()]
    if missing:
        raise VoiceError(f"bench: no such sample: {missing[0]}")
    browser = browser_v2v(samples, engine)
    listen = listen_v2v(samples, engine)

    def median(values):
        kept = [v for v in values if v is not None]
        return round(statistics.median(kept), 1) if kept else None

    result = {"samples": list(names), "browser_ms": browser, "listen_ms": listen,
              "browser_p50_ms": median(browser), "listen_p50_ms": median(listen)}
    if result["browser_p50_ms"] is not None and result["listen_p50_ms"] is not None:
        result["difference_ms"] = round(result["browser_p50_ms"] - result["listen_p50_ms"], 1)
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    print(f"{'sample':<10}{'browser (ms)':>14}{'voice listen (ms)':>20}")
    for name, b, v in zip(names, browser, listen):
        print(f"{name:<10}{b if b is not None else '-':>14}{v if v is not None else '-':>20}")
    print(f"{'median':<10}{result['browser_p50_ms'] or '-':>14}{result['listen_p50_ms'] or '-':>20}")
    if "difference_ms" in result:
        print(f"browser − voice listen: {result['difference_ms']:+.1f} ms (target: within 100 ms)")
    return 0
