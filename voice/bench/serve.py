"""`voice bench serve`: load and fault runs against `voice serve` started here as a separate process on
127.0.0.1 (this process is the client).

1. WebSocket load: N sessions at once (`speak=false`: transcripts and intents), each streaming short real
   recordings in real time (1.5 s of silence after each); per session the audio the server processed is compared
   with what was sent (dropped audio), and the finals' `asr_ms` are collected (p50/p95). Then N/4 sessions with
   spoken replies (the TTS shares the two cores).
2. HTTP load: 100 concurrent transcription requests of short clips; all must be answered correctly.
3. Fault run: clients that disconnect mid-stream, send garbage (WebSocket text, odd binary, oversized
   messages, Wyoming garbage), send 10× real time, or never send audio-stop, while one normal session runs;
   the server must stay up, the normal session must be unaffected, and its memory is compared with idle.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from voice.paths import samples_dir

SAMPLES = samples_dir()


def _pct(values, q):
    if not values:
        return None
    s = sorted(values)
    return round(s[min(len(s) - 1, int(q * len(s)))], 1)


def _pcm(path) -> bytes:
    from voice.audio.frames import to_s16le
    from voice.audio.load import load_audio

    return to_s16le(load_audio(str(path)))


def _start_server(tmp: Path, idle_s: float) -> tuple[subprocess.Popen, str, str]:
    proc = subprocess.Popen([sys.executable, "-m", "voice", "serve", "--http", "127.0.0.1:0", "--wyoming",
                             "tcp://127.0.0.1:0", "--db", str(tmp / "bench.db"), "--idle-timeout", str(idle_s)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    for line in proc.stdout:
        if line.startswith("serving"):
            parts = dict(p.split(" on ") for p in line.strip().removeprefix("serving ").split(", "))
            return proc, parts["http"], parts["wyoming"]
    raise RuntimeError(f"server did not start (exit {proc.wait()})")


def stream_session(http: str, pcm: bytes, pace: float = 1.0, stop: bool = True, cut_after_s: float | None = None,
                   chunk: int = 2048, speak: bool = True) -> dict:
    """Stream PCM (16 kHz s16le) at `pace` × real time; returns events, reply bytes, sent seconds."""
    from websockets.sync.client import connect

    events, reply = [], [0]
    sent = 0
    url = f"ws://{http}/v1/stream" + ("" if speak else "?speak=false")
    with connect(url, max_size=None, open_timeout=60, close_timeout=5) as ws:
        json.loads(ws.recv(timeout=60))

        def reader():
            try:
                for message in ws:
                    if isinstance(message, bytes):
                        reply[0] += len(message)
                    else:
                        events.append(json.loads(message))
            except Exception:  # noqa: BLE001 - connection closed
                pass

        t = threading.Thread(target=reader, daemon=True)
        t.start()
        started = time.perf_counter()
        for i in range(0, len(pcm), chunk):
            if cut_after_s is not None and i / 32000 >= cut_after_s:
                return {"events": events, "reply_bytes": reply[0], "sent_s": sent / 32000, "cut": True}
            ws.send(pcm[i:i + chunk])
            sent += len(pcm[i:i + chunk])
            if pace:
                time.sleep(max(0.0, started + sent / 32000 / pace - time.perf_counter()))
        if stop:
            ws.send(json.dumps({"type": "audio-stop"}))
        t.join(timeout=300)
    return {"events": events, "reply_bytes": reply[0], "sent_s": sent / 32000}


def _files():
    from voice.audio.manifest import sample_files
    from voice.paths import recordings_dir

    shared = recordings_dir()
    if (shared / "manifest.tsv").is_file():
        found = sample_files(shared, max_s=8.0)
        if found:
            return found
    return sample_files(SAMPLES)


def _rss_mb(pid: int) -> float:
    import psutil

    return round(psutil.Process(pid).memory_info().rss / 1e6, 1)


def websocket_load(http: str, sessions: int, files: list[Path], speak: bool) -> dict:
    pcms = [_pcm(f) + b"\0" * 48000 for f in files]
    results: list = [None] * sessions

    def one(i):
        mine = [pcms[(i + k) % len(pcms)] for k in range(4)]  # 4 recordings each, rotated per session
        results[i] = stream_session(http, b"".join(mine), pace=1.0, speak=speak)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(sessions)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    asr = [e["asr_ms"] for r in results for e in r["events"] if e["type"] == "turn" and e.get("asr_ms") is not None]
    dropped = [max(0.0, r["sent_s"] - next((e.get("audio_s", 0) for e in r["events"] if e["type"] == "done"), 0))
               for r in results]
    return {"sessions": sessions, "speak": speak, "wall_s": round(time.perf_counter() - started, 1),
            "finished": sum(any(e["type"] == "done" for e in r["events"]) for r in results),
            "finals": sum(e["type"] == "asr.final" for r in results for e in r["events"]),
            "audio_sent_s": round(sum(r["sent_s"] for r in results), 1),
            "dropped_audio_s": round(sum(dropped), 3),
            "asr_ms": {"p50": _pct(asr, 0.5), "p95": _pct(asr, 0.95), "n": len(asr)}}


def http_load(http: str, requests: int) -> dict:
    import httpx

    from voice.audio.manifest import read_manifest
    from voice.bench.cer import cer

    rows = [r for r in read_manifest(SAMPLES) if r["kind"] == "command"]
    bodies = [(r["transcript"], (SAMPLES / r["file"]).read_bytes()) for r in rows]

    async def run():
        limits = httpx.Limits(max_connections=requests, max_keepalive_connections=requests)
        async with httpx.AsyncClient(timeout=600, limits=limits) as client:
            async def one(i):
                ref, data = bodies[i % len(bodies)]
                t0 = time.perf_counter()
                r = await client.post(f"http://{http}/v1/audio/transcriptions", files={"file": ("c.wav", data)},
                                      data={"model": "whisper-1"})
                return ref, r.status_code, (r.json().get("text", "") if r.status_code == 200 else r.text), \
                    time.perf_counter() - t0

            return await asyncio.gather(*(one(i) for i in range(requests)))

    started = time.perf_counter()
    out = asyncio.run(run())
    ok = [o for o in out if o[1] == 200]
    return {"requests": requests, "ok": len(ok), "errors": requests - len(ok),
            "wall_s": round(time.perf_counter() - started, 1),
            "latency_s": {"p50": _pct([o[3] for o in out], 0.5), "p95": _pct([o[3] for o in out], 0.95)},
            "cer": round(cer([o[0] for o in ok], [o[2] for o in ok]), 4) if ok else None}


def fault_run(http: str, wyoming: str, pid: int, files: list[Path], idle_s: float) -> dict:
    from websockets.sync.client import connect

    idle_before = _rss_mb(pid)
    normal: dict = {}
    pcm = b"".join(_pcm(f) + b"\0" * 48000 for f in files[:3])

    def normal_session():
        normal.update(stream_session(http, pcm, pace=1.0))

    def disconnect_mid_stream():
        stream_session(http, pcm, pace=2.0, cut_after_s=2.0)

    def garbage_text():
        with connect(f"ws://{http}/v1/stream") as ws:
            ws.recv(timeout=60)
            ws.send("{{{ garbage")
            return ws.recv(timeout=60)

    def odd_and_oversized():
        with connect(f"ws://{http}/v1/stream", max_size=None) as ws:
            ws.recv(timeout=60)
            ws.send(b"\x01\x02\x03")  # odd length: carried until the next message
            ws.send(os.urandom(300 * 1024))
            return ws.recv(timeout=60)

    def fast():
        stream_session(http, pcm, pace=10.0)

    def never_stop():
        stream_session(http, pcm[: 32000 * 3], pace=2.0, stop=False)

    def wyoming_garbage():
        import socket

        host, port = wyoming.removeprefix("tcp://").rsplit(":", 1)
        with socket.create_connection((host, int(port)), timeout=30) as s:
            s.sendall(os.urandom(4096) + b"\n")
            return s.recv(4096)

    faults = [disconnect_mid_stream] * 3 + [garbage_text, odd_and_oversized, wyoming_garbage] + [fast] * 2 \
        + [never_stop] * 2
    errors: list[str] = []

    def guarded(fn):
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - a fault client may well see its connection closed
            errors.append(f"{fn.__name__}: {type(exc).__name__}")

    threads = [threading.Thread(target=normal_session)] + [threading.Thread(target=guarded, args=(f,)) for f in faults]
    peak = idle_before
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        peak = max(peak, _rss_mb(pid))
        time.sleep(0.5)
    time.sleep(idle_s + 2)  # never-stopping clients are cut by the idle timeout
    import httpx

    health = httpx.get(f"http://{http}/healthz", timeout=30).json()
    after = _rss_mb(pid)
    finals = [e["text"] for e in normal.get("events", []) if e["type"] == "asr.final"]
    return {"fault_clients": len(faults), "server_up": health.get("status") == "ok",
            "active_streams_after": health.get("active_streams"),
            "normal_session_finals": len(finals), "normal_session_done": any(
                e["type"] == "done" for e in normal.get("events", [])),
            "rss_mb": {"idle_before": idle_before, "peak": peak, "after": after},
            "client_side_errors": errors}


def run_serve_bench(as_json: bool = False, sessions: int = 8, requests: int = 100) -> int:
    import tempfile

    files = _files()
    idle_s = 5.0
    with tempfile.TemporaryDirectory() as tmp:
        proc, http, wyoming = _start_server(Path(tmp), idle_s)
        try:
            result = {"websocket": websocket_load(http, sessions, files, speak=False),
                      "websocket_speaking": websocket_load(http, max(1, sessions // 4), files, speak=True),
                      "http": http_load(http, requests),
                      "faults": fault_run(http, wyoming, proc.pid, files, idle_s)}
            # the same faults again: memory still held after the second run would be a leak, not a high-water mark
            result["faults_again"] = fault_run(http, wyoming, proc.pid, files, idle_s)
        finally:
            proc.send_signal(signal.SIGTERM)
            result_code = proc.wait(timeout=120)
    result["server_exit_code"] = result_code
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    h, f = result["http"], result["faults"]
    for w in (result["websocket"], result["websocket_speaking"]):
        print(f"WebSocket{' with spoken replies' if w['speak'] else ' (speak=false)'}: {w['sessions']} sessions in "
              f"real time, {w['finished']} finished, {w['finals']} finals, {w['audio_sent_s']} s of audio sent, "
              f"{w['dropped_audio_s']} s dropped; asr_ms p50 {w['asr_ms']['p50']} p95 {w['asr_ms']['p95']} "
              f"(n={w['asr_ms']['n']})")
    print(f"HTTP: {h['requests']} concurrent transcriptions, {h['ok']} ok, {h['errors']} errors, "
          f"wall {h['wall_s']} s, latency p50 {h['latency_s']['p50']} s p95 {h['latency_s']['p95']} s, CER {h['cer']}")
    print(f"faults: {f['fault_clients']} bad clients; server up {f['server_up']}; normal session "
          f"{f['normal_session_finals']} finals, done {f['normal_session_done']}; RSS MB idle {f['rss_mb']['idle_before']}"
          f" peak {f['rss_mb']['peak']} after {f['rss_mb']['after']}; streams left open {f['active_streams_after']}")
    g = result["faults_again"]
    print(f"faults again: server up {g['server_up']}; normal session done {g['normal_session_done']}; RSS MB before "
          f"{g['rss_mb']['idle_before']} peak {g['rss_mb']['peak']} after {g['rss_mb']['after']}")
    print(f"server exit code after SIGTERM: {result['server_exit_code']}")
    return 0
