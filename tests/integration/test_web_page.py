"""The browser page of `voice serve`, in a real headless Chromium (Debian chromium + chromium-driver, driven by
Selenium): a typed question is answered aloud, a bundled recording played as the fake microphone is heard
and understood, and with a token the page asks for it. The server is a real process on 127.0.0.1."""

import json
import time
from pathlib import Path

import pytest

from tests.integration.test_serve import Server
from voice.bench.web import chromium, wait_for
from voice.errors import VoiceError

pytest.importorskip("selenium.webdriver")
SAMPLES = Path(__file__).resolve().parents[2] / "samples"
ARTIFACTS = Path("/tmp/voice-test-artifacts")


def _chromium(capture: Path):
    try:
        return chromium(capture)
    except VoiceError as exc:
        pytest.skip(str(exc))


_wait = wait_for


def _text(driver, element_id):
    return driver.find_element("id", element_id).text


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("web"), "--http", "127.0.0.1:0", "--engine", "espeak")
    yield s
    assert s.stop() == 0


def test_a_typed_question_is_answered_aloud_and_the_page_stays_on_its_own_origin(server, tmp_path):
    driver = _chromium(SAMPLES / "cmd_01.wav")
    try:
        driver.get(f"http://{server.http}/")
        _wait(driver, lambda d: d.find_element("id", "state").get_attribute("data-state") == "idle")
        box = driver.find_element("id", "text")
        box.send_keys("三加五等于几")
        driver.find_element("css selector", "#typed button").click()
        _wait(driver, lambda d: "8" in _text(d, "reply") or "八" in _text(d, "reply"))
        assert "calc.evaluate" in _text(driver, "intent")
        _wait(driver, lambda d: int(_text(d, "played")) > 0)  # reply audio was scheduled for playback
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "web_page_typed.png"))
        requests = [json.loads(e["message"])["message"] for e in driver.get_log("performance")]
        urls = {m["params"]["request"]["url"] for m in requests if m["method"] == "Network.requestWillBeSent"}
        assert urls and all(u.startswith(f"http://{server.http}/") for u in urls), urls  # nothing remote
        web = Path(__file__).resolve().parents[2] / "voice" / "serve" / "web"
        assert sum(p.stat().st_size for p in web.iterdir()) < 100_000  # the whole page, every file
        problems = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert not problems, problems
    finally:
        driver.quit()


def test_the_microphone_is_heard_and_understood(server):
    driver = _chromium(SAMPLES / "cmd_01.wav")  # 明天早上七点叫我起床, played as the microphone
    try:
        driver.get(f"http://{server.http}/")
        _wait(driver, lambda d: d.find_element("id", "state").get_attribute("data-state") == "idle")
        driver.find_element("id", "mic").click()
        _wait(driver, lambda d: "起床" in _text(d, "final"))
        _wait(driver, lambda d: "alarm.set" in _text(d, "intent"))
        assert "闹钟" in _text(driver, "reply")
        assert "voice-to-voice" in _text(driver, "latency")
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "web_page_mic.png"))
    finally:
        driver.quit()


def test_with_a_token_the_page_asks_for_it(tmp_path):
    s = Server(tmp_path, "--http", "127.0.0.1:0", "--token", "s3cret-token", "--engine", "espeak")
    driver = _chromium(SAMPLES / "cmd_01.wav")
    try:
        driver.get(f"http://{s.http}/")
        _wait(driver, lambda d: d.find_element("id", "login").is_displayed())
        assert "token" in _text(driver, "error")
        driver.find_element("id", "token").send_keys("s3cret-token")
        driver.find_element("css selector", "#login button").click()
        _wait(driver, lambda d: d.find_element("id", "state").get_attribute("data-state") == "idle")
    finally:
        driver.quit()
        assert s.stop() == 0


def test_serve_open_opens_the_page_in_the_browser(tmp_path, monkeypatch):
    opened = tmp_path / "opened.txt"
    monkeypatch.setenv("BROWSER", f"sh -c 'echo %s > {opened}'")  # the user's browser, as Python finds it
    s = Server(tmp_path, "--http", "127.0.0.1:0", "--open", "--engine", "espeak")
    try:
        deadline = time.time() + 30
        while time.time() < deadline and not (opened.exists() and opened.read_text().strip()):
            time.sleep(0.2)
        assert opened.read_text().strip() == f"http://{s.http}/"
    finally:
        assert s.stop() == 0


def test_speaking_over_the_reply_stops_it(server):
    # Chromium plays its capture file in a loop: the command comes again while its reply is playing
    driver = _chromium(SAMPLES / "cmd_01.wav")
    try:
        driver.get(f"http://{server.http}/")
        _wait(driver, lambda d: d.find_element("id", "state").get_attribute("data-state") == "idle")
        driver.find_element("id", "mic").click()
        _wait(driver, lambda d: int(_text(d, "played")) > 0)
        _wait(driver, lambda d: int(_text(d, "barged")) > 0)  # the server's barge_in stopped what was playing
        # from the speech onset the server saw to the reply being cancelled
        assert int(_text(driver, "bargems").removesuffix(" ms")) < 300
    finally:
        driver.quit()


def test_push_to_talk_listens_while_the_button_is_held(server):
    from selenium.webdriver.common.action_chains import ActionChains

    driver = _chromium(SAMPLES / "cmd_26.wav")  # 三加五等于几
    try:
        driver.get(f"http://{server.http}/")
        _wait(driver, lambda d: d.find_element("id", "state").get_attribute("data-state") == "idle")
        hold = driver.find_element("id", "hold")
        ActionChains(driver).click_and_hold(hold).pause(3.5).release().perform()
        _wait(driver, lambda d: "calc.evaluate" in _text(d, "intent"))
        time.sleep(1.5)  # released: the microphone is closed again
        assert driver.find_element("id", "mic").get_attribute("aria-pressed") == "false"
        assert driver.execute_script("return document.getElementById('level').value") == 0
    finally:
        driver.quit()


def test_the_voice_can_be_chosen(tmp_path):
    from selenium.webdriver.support.ui import Select

    server = Server(tmp_path, "--http", "127.0.0.1:0")  # Kokoro: several voices (espeak has one)
    driver = _chromium(SAMPLES / "cmd_01.wav")
    try:
        driver.get(f"http://{server.http}/")
        _wait(driver, lambda d: d.find_element("id", "state").get_attribute("data-state") == "idle")
        select = Select(driver.find_element("id", "voice"))
        voices = [o.get_attribute("value") for o in select.options]
        assert len(voices) >= 2, voices
        other = next(v for v in voices if v != select.first_selected_option.get_attribute("value"))
        select.select_by_value(other)  # reconnects with ?voice=
        _wait(driver, lambda d: d.find_element("id", "state").get_attribute("data-state") == "idle")
        driver.find_element("id", "text").send_keys("现在几点")
        driver.find_element("css selector", "#typed button").click()
        _wait(driver, lambda d: int(_text(d, "played")) > 0)
        assert Select(driver.find_element("id", "voice")).first_selected_option.get_attribute("value") == other
    finally:
        driver.quit()
        assert server.stop() == 0


def test_the_page_reconnects_when_the_server_comes_back(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
    first = Server(tmp_path / "a", "--http", "127.0.0.1:0", "--engine", "espeak")
    address = first.http
    driver = _chromium(SAMPLES / "cmd_01.wav")
    second = None
    try:
        driver.get(f"http://{address}/")
        _wait(driver, lambda d: d.find_element("id", "state").get_attribute("data-state") == "idle")
        assert first.stop() == 0  # the server is gone: the page says so and keeps trying
        _wait(driver, lambda d: "reconnecting" in _text(d, "error"))
        second = Server(tmp_path / "b", "--http", address, "--engine", "espeak")  # back, on the same address
        _wait(driver, lambda d: d.find_element("id", "state").get_attribute("data-state") == "idle", 60)
        assert _text(driver, "error") == ""
        driver.find_element("id", "text").send_keys("三加五等于几")
        driver.find_element("css selector", "#typed button").click()
        _wait(driver, lambda d: "calc.evaluate" in _text(d, "intent"))
    finally:
        driver.quit()
        if second is not None:
            assert second.stop() == 0
