"""`voice serve` as a real process on 127.0.0.1 (started and stopped here, by PID): the OpenAI client against
the HTTP endpoints, a WebSocket client against /v1/stream, the wyoming client library against the Wyoming
server; bad input gets a clear JSON error and the server stays up."""

import asyncio
import json
import os
import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from voice.audio.manifest import read_manifest
from voice.bench.cer import cer

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
TRANSCRIPTS = {r["file"]: r["transcript"] for r in read_manifest(SAMPLES)}

pytest.importorskip("wyoming")
pytest.importorskip("openai")


class Server:
    def __init__(self, tmp: Path, *args: str):
        self.log = tmp / "server.log"  # a file, not a pipe: a chatty server must never block on it
        self.proc = subprocess.Popen([sys.executable, "-m", "voice", "serve", "--db", str(tmp / "serve.db"), *args],
                                     stdout=subprocess.PIPE, stderr=open(self.log, "w"), text=True,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.http = self.wyoming = None
        deadline = time.time() + 180
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError(f"server exited: {self.proc.wait()} {self.log.read_text()[-2000:]}")
            if line.startswith("serving"):
                for part in line.strip().removeprefix("serving ").split(", "):
                    kind, _, where = part.partition(" on ")
                    setattr(self, kind, where)
                break
        else:
            self.stop()
            raise RuntimeError("server did not start in 180 s")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=60)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


PROFILE = {"home_city": "杭州", "contacts": [{"name": "王建国", "aliases": ["老王"], "phone": "13800138000"}],
           "favourite_artists": ["周杰伦"]}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve")
    (tmp / "profile.json").write_text(json.dumps(PROFILE, ensure_ascii=False), encoding="utf-8")
    s = Server(tmp, "--http", "127.0.0.1:0", "--wyoming", "tcp://127.0.0.1:0", "--profile", str(tmp / "profile.json"))
    yield s
    assert s.stop() == 0, "graceful shutdown exits 0"


@pytest.fixture(scope="module")
def client(server):
    from openai import OpenAI

    return OpenAI(base_url=f"http://{server.http}/v1", api_key="unused-on-loopback", max_retries=0, timeout=120)


def _post(server, path, **kw):
    import httpx

    return httpx.post(f"http://{server.http}{path}", timeout=120, **kw)


# --- HTTP: OpenAI-compatible ----------------------------------------------------------------------------

def test_transcriptions_with_the_openai_client_in_every_format(client):
    files = ["cmd_01.wav", "cmd_02.wav", "cmd_04.wav"]
    hyps = []
    for name in files:
        with open(SAMPLES / name, "rb") as f:
            hyps.append(client.audio.transcriptions.create(model="whisper-1", file=f, language="zh").text)
    assert cer([TRANSCRIPTS[f] for f in files], hyps) <= 0.15
    with open(SAMPLES / "cmd_01.wav", "rb") as f:
        text = client.audio.transcriptions.create(model="whisper-1", file=f, response_format="text")
    assert isinstance(text, str) and ("七点" in text or "7点" in text)
    with open(SAMPLES / "cmd_01.wav", "rb") as f:
        srt = client.audio.transcriptions.create(model="whisper-1", file=f, response_format="srt")
    assert srt.startswith("1\n00:00:0") and "-->" in srt
    with open(SAMPLES / "cmd_01.wav", "rb") as f:
        vtt = client.audio.transcriptions.create(model="whisper-1", file=f, response_format="vtt")
    assert vtt.startswith("WEBVTT")
    with open(SAMPLES / "cmd_01.wav", "rb") as f:
        verbose = client.audio.transcriptions.create(model="whisper-1", file=f, response_format="verbose_json")
    assert verbose.duration == pytest.approx(3.41, abs=0.05) and verbose.segments[0].end <= 3.5


def test_streamed_transcription_events(client, shared_audio):
    path = shared_audio / "firered_asr" / "IT0011W0001.wav"
    with open(path, "rb") as f:
        events = list(client.audio.transcriptions.create(model="whisper-1", file=f, stream=True))
    types = [e.type for e in events]
    assert types[-1] == "transcript.text.done" and "transcript.text.delta" in types
    assert "".join(e.delta for e in events[:-1]) == events[-1].text and events[-1].text


def test_speech_streams_labelled_intelligible_wav(client, server):
    from voice.api import transcribe
    from voice.audio.load import resample

    text = "好的，已为您设置明天早上七点的闹钟。"
    with client.audio.speech.with_streaming_response.create(model="tts-1", voice="alloy", input=text,
                                                            response_format="wav") as response:
        rate = int(response.headers["x-sample-rate"])
        body = b"".join(response.iter_bytes())
    assert body[:4] == b"RIFF" and body[8:12] == b"WAVE" and b"AI-generated speech" in body[:1024]
    data = body.index(b"data") + 8
    audio = np.frombuffer(body[data:len(body) - (len(body) - data) % 2], "<i2").astype(np.float32) / 32768
    seconds = audio.size / rate
    # 17 syllables: a natural pace is 3-8 per second; the audio is speech, not silence or noise bursts
    assert 17 / 8 < seconds < 17 / 3, seconds
    assert float(np.sqrt(np.mean(audio ** 2))) > 0.02 and np.abs(audio).max() < 1.0
    heard = transcribe(resample(audio, rate)).text
    assert cer([text.rstrip("。").replace("，", "")], [heard]) <= 0.25, heard
    pcm = client.audio.speech.create(model="tts-1", voice="zm_yunxi", input="你好", response_format="pcm").content
    assert len(pcm) % 2 == 0 and len(pcm) / 2 / rate > 0.2


def test_assistant_endpoint_and_health_and_metrics(server):
    import httpx

    r = _post(server, "/v1/assistant", json={"text": "明天早上七点叫我起床", "session": "t1"})
    assert r.status_code == 200 and r.json()["intent"] == "alarm.set" and "7点" in r.json()["reply"]
    assert httpx.get(f"http://{server.http}/healthz").json()["status"] == "ok"
    metrics = httpx.get(f"http://{server.http}/metrics").text
    assert 'voice_requests_total{endpoint="assistant",status="200"}' in metrics
    assert "voice_real_time_factor_bucket" in metrics and "voice_active_streams" in metrics


@pytest.mark.parametrize("case", ["not-multipart", "no-file", "not-audio", "empty", "bad-format", "bad-language"])
def test_bad_transcription_requests_get_one_line_json_errors(server, case, tmp_path):
    if case == "not-multipart":
        r = _post(server, "/v1/audio/transcriptions", content=b"hello", headers={"content-type": "text/plain"})
        expected = (415, "multipart/form-data")
    elif case == "no-file":
        r = _post(server, "/v1/audio/transcriptions", data={"model": "whisper-1"}, files={"x": ("a", b"b")})
        expected = (400, "missing 'file'")
    elif case == "not-audio":
        r = _post(server, "/v1/audio/transcriptions", files={"file": ("notes.txt", b"just some text " * 50)})
        expected = (400, "notes.txt")
    elif case == "empty":
        r = _post(server, "/v1/audio/transcriptions", files={"file": ("silence.wav", b"")})
        expected = (400, "empty")
    elif case == "bad-format":
        r = _post(server, "/v1/audio/transcriptions", data={"response_format": "docx"},
                  files={"file": ("a.wav", (SAMPLES / "cmd_01.wav").read_bytes())})
        expected = (400, "response_format 'docx'")
    else:
        r = _post(server, "/v1/audio/transcriptions", data={"language": "fr"},
                  files={"file": ("a.wav", (SAMPLES / "cmd_01.wav").read_bytes())})
        expected = (400, "Mandarin")
    assert r.status_code == expected[0]
    message = r.json()["error"]["message"]
    assert expected[1] in message and "\n" not in message and "Traceback" not in r.text


def test_bad_speech_and_assistant_requests(server):
    r = _post(server, "/v1/audio/speech", json={"input": "你好", "voice": "nobody"})
    assert r.status_code == 400 and "unknown voice 'nobody'" in r.json()["error"]["message"]
    r = _post(server, "/v1/audio/speech", json={"input": "你好", "response_format": "mp3"})
    assert r.status_code == 400 and "wav, pcm" in r.json()["error"]["message"]
    r = _post(server, "/v1/audio/speech", json={"input": "。。。"})
    assert r.status_code == 400 and "nothing speakable" in r.json()["error"]["message"]
    r = _post(server, "/v1/audio/speech", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400 and "not valid JSON" in r.json()["error"]["message"]
    r = _post(server, "/v1/assistant", json={"text": ""})
    assert r.status_code == 400
    import httpx

    r = httpx.get(f"http://{server.http}/v1/nothing")
    assert r.status_code == 404 and "no such endpoint" in r.json()["error"]["message"]


def test_oversized_upload_is_refused(server):
    big = b"RIFF" + b"\0" * (26 * 1024 * 1024)
    r = _post(server, "/v1/audio/transcriptions", files={"file": ("big.wav", big)})
    assert r.status_code == 413 and "limit" in r.json()["error"]["message"]
    assert server.alive()


# --- WebSocket streaming --------------------------------------------------------------------------------

def _pcm(path: Path) -> bytes:
    from voice.audio.load import load_audio

    return (load_audio(str(path)) * 32767).astype("<i2").tobytes()


def _stream(server, paths: list[Path], pace: float = 0.0) -> tuple[list[dict], int]:
    """Send the files (with 1 s of silence after each) in 64 ms messages, `pace` × real time (0 = at once)."""
    from websockets.sync.client import connect

    events, audio_bytes = [], 0
    with connect(f"ws://{server.http}/v1/stream", max_size=None, open_timeout=30) as ws:
        ready = json.loads(ws.recv(timeout=30))
        assert ready["type"] == "ready" and ready["sample_rate"] == 16000

        def reader():
            nonlocal audio_bytes
            for message in ws:
                if isinstance(message, bytes):
                    audio_bytes += len(message)
                else:
                    events.append(json.loads(message))
                    if events[-1]["type"] in ("done", "error"):
                        return

        t = threading.Thread(target=reader)
        t.start()
        pcm = b"".join(_pcm(p) + b"\0" * 32000 for p in paths)
        step = 2048
        started = time.perf_counter()
        for i in range(0, len(pcm), step):
            ws.send(pcm[i:i + step])
            if pace:
                time.sleep(max(0.0, started + (i + step) / 32000 / pace - time.perf_counter()))
        ws.send(json.dumps({"type": "audio-stop"}))
        t.join(timeout=120)
    return events, audio_bytes


def test_websocket_session_transcribes_answers_and_speaks(server):
    events, audio_bytes = _stream(server, [SAMPLES / "cmd_01.wav", SAMPLES / "cmd_04.wav"], pace=4.0)
    types = [e["type"] for e in events]
    finals = [e["text"] for e in events if e["type"] == "asr.final"]
    assert types[-1] == "done" and "speech.start" in types and len(finals) == 2
    assert cer([TRANSCRIPTS["cmd_01.wav"], TRANSCRIPTS["cmd_04.wav"]], finals) <= 0.2
    intents = [e["intent"] for e in events if e["type"] == "nlu.result"]
    assert intents == ["alarm.set", "reminder.set"]
    assert audio_bytes > 24000 * 2 * 1.0  # at least a second of reply audio came back


def test_concurrent_websocket_sessions_stay_isolated(server):
    files = [SAMPLES / f"cmd_0{i}.wav" for i in (1, 2, 5)]
    results = [None] * len(files)

    def one(i):
        results[i] = _stream(server, [files[i]], pace=2.0)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(files))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    for f, (events, _) in zip(files, results):
        finals = [e["text"] for e in events if e["type"] == "asr.final"]
        assert len(finals) == 1 and cer([TRANSCRIPTS[f.name]], finals) <= 0.25, (f.name, finals)


class Typed:
    """A WebSocket session (no reply audio) driven with typed utterances."""

    def __init__(self, server, name: str | None = None):
        from websockets.sync.client import connect

        query = "?speak=false" + (f"&session={name}" if name else "")
        self._connection = connect(f"ws://{server.http}/v1/stream{query}", max_size=None, open_timeout=30)
        self.ws = self._connection.__enter__()
        self.ready = json.loads(self.ws.recv(timeout=30))
        self.events: list[dict] = []

    def next_event(self, timeout: float = 30) -> dict:
        while True:
            message = self.ws.recv(timeout=timeout)
            if isinstance(message, str):
                self.events.append(json.loads(message))
                return self.events[-1]

    def ask(self, text: str) -> dict:
        """The `turn` event answering `text`."""
        self.ws.send(json.dumps({"type": "text", "text": text}))
        while (event := self.next_event())["type"] != "turn":
            pass
        return event

    def close(self):
        self._connection.__exit__(None, None, None)


def test_websocket_sessions_never_share_context_confirmations_or_alarms(server):
    a, b = Typed(server), Typed(server)
    try:
        assert a.ready["session"] != b.ready["session"]
        assert a.ask("北京明天天气怎么样")["intent"] == "weather.query"
        assert b.ask("那上海呢")["intent"] != "weather.query"  # B never asked about the weather
        follow = a.ask("那上海呢")
        assert follow["intent"] == "weather.query"
        assert [e for e in a.events if e["type"] == "nlu.result"][-1]["slots"]["city"] == "上海"
        assert a.ask("明天早上七点叫我起床")["intent"] == "alarm.set"
        assert a.ask("后天早上九点叫我起床")["intent"] == "alarm.set"
        assert "没有闹钟" in b.ask("我有哪些闹钟")["reply"]
        assert "7点" in a.ask("我有哪些闹钟")["reply"]
        assert a.ask("取消所有闹钟")["reply"].startswith("确定要")  # A's confirmation is pending…
        assert "取消" not in b.ask("是的")["reply"]  # …and B's yes does not answer it
        assert "7点" in a.ask("我有哪些闹钟")["reply"]
    finally:
        a.close()
        b.close()


def test_a_timer_set_over_the_websocket_fires_in_that_session(server):
    a, b = Typed(server), Typed(server)
    try:
        assert a.ask("计时两秒")["intent"] == "timer.set"
        deadline = time.monotonic() + 15
        fired = None
        while time.monotonic() < deadline and fired is None:
            event = a.next_event(timeout=15)
            if event["type"] == "reply.text" and (event.get("action") or {}).get("type") == "timer.fire":
                fired = event
        assert fired is not None and fired["text"] == "计时结束了"
        b.ws.send(json.dumps({"type": "ping"}))
        while b.next_event(timeout=10)["type"] != "pong":
            pass
        assert [e["type"] for e in b.events] == ["listen.start", "pong"]  # nothing fired in B
    finally:
        a.close()
        b.close()


def test_a_named_websocket_session_resumes_and_bad_names_are_refused(server):
    from websockets.sync.client import connect

    first = Typed(server, "kitchen-1")
    assert first.ready["session"] == "kitchen-1"
    assert first.ask("明天早上八点叫我起床")["intent"] == "alarm.set"
    first.close()
    again = Typed(server, "kitchen-1")
    try:
        assert "8点" in again.ask("我有哪些闹钟")["reply"]
    finally:
        again.close()
    with connect(f"ws://{server.http}/v1/stream?session=bad%20name", open_timeout=30) as ws:
        error = json.loads(ws.recv(timeout=30))
        assert error["type"] == "error" and "session names" in error["message"]
    with connect(f"ws://{server.http}/v1/stream?voice=nobody", open_timeout=30) as ws:
        error = json.loads(ws.recv(timeout=30))
        assert error["type"] == "error" and "unknown voice 'nobody'" in error["message"]
    assert first.ready["voices"] and first.ready["voice"] in first.ready["voices"]


def test_websocket_sessions_bias_recognition_with_the_profile(server):
    session = Typed(server)
    try:
        start = session.next_event()
        assert start["type"] == "listen.start" and start["hotwords"] == ["王建国", "老王", "周杰伦", "杭州"]
    finally:
        session.close()


def test_websocket_refuses_other_web_origins(server):
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    with pytest.raises(InvalidStatus):
        connect(f"ws://{server.http}/v1/stream", origin="https://evil.example")
    with connect(f"ws://{server.http}/v1/stream", origin="http://127.0.0.1:3000") as ws:
        assert json.loads(ws.recv(timeout=30))["type"] == "ready"


def _after_start(ws) -> dict:
    """The next event after the session's `listen.start`."""
    event = json.loads(ws.recv(timeout=30))
    return json.loads(ws.recv(timeout=30)) if event["type"] == "listen.start" else event


def test_websocket_rejects_garbage_and_keeps_serving(server):
    from websockets.sync.client import connect

    with connect(f"ws://{server.http}/v1/stream") as ws:
        json.loads(ws.recv(timeout=30))
        ws.send("this is not a control message")
        error = _after_start(ws)
        assert error["type"] == "error" and "JSON control" in error["message"]
    with connect(f"ws://{server.http}/v1/stream") as ws:
        json.loads(ws.recv(timeout=30))
        ws.send(b"\0" * (200 * 1024))
        error = _after_start(ws)
        assert error["type"] == "error" and "limit" in error["message"]
    events, _ = _stream(server, [SAMPLES / "cmd_03.wav"])
    assert [e["type"] for e in events][-1] == "done"


# --- Wyoming --------------------------------------------------------------------------------------------

async def _wyoming(server, events):
    from wyoming.client import AsyncTcpClient

    host, port = server.wyoming.removeprefix("tcp://").rsplit(":", 1)
    async with AsyncTcpClient(host, int(port)) as c:
        for e in events:
            await c.write_event(e)
        out = []
        while True:
            e = await asyncio.wait_for(c.read_event(), timeout=120)
            if e is None:
                return out
            out.append(e)
            if e.type in ("info", "transcript", "audio-stop", "handled", "not-handled", "error", "pong"):
                if e.type != "audio-stop" or not any(x.type == "synthesize-start" for x in events):
                    return out
            if e.type == "synthesize-stopped":
                return out


def test_wyoming_describe_transcribe_synthesize_recognize(server):
    from wyoming.asr import Transcribe, Transcript
    from wyoming.audio import AudioChunk, AudioStart, AudioStop
    from wyoming.handle import Handled
    from wyoming.info import Describe, Info
    from wyoming.intent import Intent, Recognize
    from wyoming.tts import Synthesize, SynthesizeChunk, SynthesizeStart, SynthesizeStop

    info = Info.from_event(asyncio.run(_wyoming(server, [Describe().event()]))[-1])
    assert info.asr[0].models[0].languages[0] == "zh" and len(info.tts[0].voices) >= 1
    assert info.handle[0].models[0].languages[0] == "zh" and info.asr[0].supports_transcript_streaming

    pcm = _pcm(SAMPLES / "cmd_02.wav")
    events = [Transcribe(language="zh").event(), AudioStart(rate=16000, width=2, channels=1).event()]
    events += [AudioChunk(rate=16000, width=2, channels=1, audio=pcm[i:i + 4096]).event()
               for i in range(0, len(pcm), 4096)]
    out = asyncio.run(_wyoming(server, events + [AudioStop().event()]))
    assert [e.type for e in out][0] == "transcript-start" and "transcript-chunk" in [e.type for e in out]
    assert cer([TRANSCRIPTS["cmd_02.wav"]], [Transcript.from_event(out[-1]).text]) <= 0.15

    out = asyncio.run(_wyoming(server, [Synthesize(text="现在是下午三点。").event()]))
    assert out[0].type == "audio-start" and out[-1].type == "audio-stop"
    assert sum(len(e.payload or b"") for e in out if e.type == "audio-chunk") > 16000

    out = asyncio.run(_wyoming(server, [SynthesizeStart().event(), SynthesizeChunk(text="好的，").event(),
                                        SynthesizeChunk(text="马上为您打开客厅的灯。").event(), SynthesizeStop().event(),
                                        Synthesize(text="好的，马上为您打开客厅的灯。").event()]))
    assert [e.type for e in out][-2:] == ["audio-stop", "synthesize-stopped"]

    out = asyncio.run(_wyoming(server, [Recognize(text="把卧室空调调到二十六度").event()]))
    intent = Intent.from_event(out[0])
    assert intent.name == "device.set" or intent.name.startswith("device"), intent.name
    assert Handled.from_event(out[1]).text

    # Home Assistant's conversation agent sends the words as a transcript and speaks the handled text
    assert not info.intent  # advertising intents would make Home Assistant run our names as its own
    out = asyncio.run(_wyoming(server, [Transcript(text="明天早上七点叫我起床").event()]))
    assert [e.type for e in out] == ["handled"] and "7点" in Handled.from_event(out[0]).text


def test_wyoming_garbage_gets_an_error_and_the_server_stays_up(server):
    async def garbage():
        host, port = server.wyoming.removeprefix("tcp://").rsplit(":", 1)
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(b"\x00\xffthis is not json\n")
        await writer.drain()
        line = await asyncio.wait_for(reader.readline(), timeout=30)
        writer.close()
        return json.loads(line)

    assert asyncio.run(garbage())["type"] == "error"
    from wyoming.audio import AudioChunk, AudioStart
    from wyoming.info import Describe

    for bad in (AudioStart(rate=1, width=2, channels=1).event(),  # a tiny rate would blow up the conversion
                AudioChunk(rate=16000, width=3, channels=9, audio=b"\0" * 64).event()):
        out = asyncio.run(_wyoming(server, [bad]))
        assert out[-1].type == "error" and ("unsupported audio format" in out[-1].data["text"]
                                            or "before audio-start" in out[-1].data["text"])

    assert asyncio.run(_wyoming(server, [Describe().event()]))[-1].type == "info"


# --- security -------------------------------------------------------------------------------------------

def test_non_loopback_without_token_is_refused():
    r = subprocess.run([sys.executable, "-m", "voice", "serve", "--http", "0.0.0.0:8799"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 2 and "without --token" in r.stderr


def test_token_is_required_when_set(tmp_path):
    import httpx
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    s = Server(tmp_path, "--http", "127.0.0.1:0", "--token", "s3cret", "--engine", "espeak")
    try:
        assert _post(s, "/v1/assistant", json={"text": "几点了"}).status_code == 401
        r = _post(s, "/v1/assistant", json={"text": "几点了"}, headers={"authorization": "Bearer s3cret"})
        assert r.status_code == 200 and r.json()["intent"] == "time.query"
        with pytest.raises(InvalidStatus):
            connect(f"ws://{s.http}/v1/stream")
        with connect(f"ws://{s.http}/v1/stream?token=s3cret") as ws:
            assert json.loads(ws.recv(timeout=30))["type"] == "ready"
        assert httpx.get(f"http://{s.http}/healthz").status_code == 200
    finally:
        assert s.stop() == 0


def test_wav_header_for_streams_is_parseable():
    from voice.tts.label import streaming_wav_header

    head = streaming_wav_header(24000, "kokoro", "zf_xiaobei")
    assert head[:4] == b"RIFF" and struct.unpack("<I", head[4:8])[0] == 0xFFFFFFFF
    assert head.endswith(b"data\xff\xff\xff\xff") and b'"ai_generated": true' in head


def test_shutdown_finishes_requests_in_flight(tmp_path):
    import soundfile as sf

    from voice.audio.load import load_audio

    long = np.concatenate([load_audio(str(SAMPLES / f"cmd_0{i}.wav")) for i in range(1, 10)])
    sf.write(tmp_path / "long.wav", long, 16000)
    s = Server(tmp_path, "--http", "127.0.0.1:0", "--engine", "espeak")
    result = {}

    def request():
        result["r"] = _post(s, "/v1/audio/transcriptions", files={"file": ("long.wav", (tmp_path / "long.wav").read_bytes())})

    t = threading.Thread(target=request)
    t.start()
    time.sleep(1.0)  # the request is being decoded
    s.proc.send_signal(signal.SIGTERM)
    t.join(timeout=120)
    assert s.stop() == 0
    assert result["r"].status_code == 200 and len(result["r"].json()["text"]) > 50
