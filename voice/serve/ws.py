"""`/v1/stream`: the live pipeline over a WebSocket, one isolated session (VAD, endpointing, ASR, assistant,
replies) per connection.

Protocol. `/v1/stream?speak=false` gives transcripts and intents without reply audio; `?voice=V` speaks with
another of the TTS engine's voices (listed in `ready`); `?session=NAME` (letters,
digits, `._-`, up to 64) resumes a named conversation (its dialog context, alarms, timers, reminders), else each
connection is a conversation of its own. The server first sends `{"type": "ready", "session": NAME,
"sample_rate": 16000, "format": "s16le", "reply_sample_rate": R, "voice": V, "voices": [...]}`. The client sends binary messages of 16 kHz mono
signed 16-bit little-endian PCM (any length up to the message limit), may send `{"type": "text", "text": …}` to
type an utterance instead of saying it, and `{"type": "audio-stop"}` when done. Alarms, timers and reminders
set in the session fire in it (a `reply.text` event with an `alarm.fire`/`timer.fire`/`reminder.fire` action,
and the spoken reply) while it is connected. The server sends the
pipeline's events as JSON text (`listen.start` with the profile's `hotwords`, `speech.start`, `asr.partial`, `speech.end`, `asr.final`, `nlu.result`,
`reply.text`, `tts.first_audio`, `turn`, `barge_in`, …) and each reply's audio as binary messages of s16le PCM
at R Hz; after `audio-stop` it finishes the last turn, sends `{"type": "done"}` and closes.
Errors are `{"type": "error", "message": …}` followed by a close.

Limits: audio waiting to be processed is bounded (`stream_buffer_s`); when it is full the server stops
reading, so TCP pushes back on a client that sends faster than real time and nothing is dropped. Idle and
total session timeouts, a maximum message size, a maximum number of sessions.
"""

from __future__ import annotations

import asyncio
import json
import queue
import re
import threading
import time
import uuid

from voice.audio.frames import FRAME, RATE, from_s16le, to_s16le

_SESSION_NAME = re.compile(r"[\w.-]{1,64}")


class SocketSink:
    """Reply audio to the client, synthesized in a background thread as the speaker sink does; counts as
    playing for as long as it would sound on the client, so a new utterance interrupts it (barge-in)."""

    def __init__(self, send, sample_rate: int):
        self.send = send
        self.sample_rate = sample_rate
        self.thread: threading.Thread | None = None
        self.until = 0.0
        self._cancel = threading.Event()

    def play(self, chunks) -> None:
        self.stop()
        self._cancel = threading.Event()
        cancel = self._cancel
        started = time.perf_counter()
        self.until = started + 3600  # until the reply's length is known

        def run():
            seconds = 0.0
            for chunk in chunks:
                if cancel.is_set():
                    return
                seconds += chunk.samples.size / self.sample_rate
                self.send(to_s16le(chunk.samples))
            if not cancel.is_set():
                self.until = started + seconds

        self.thread = threading.Thread(target=run, daemon=True, name="voice-ws-reply")
        self.thread.start()

    def playing(self) -> bool:
        return time.perf_counter() < self.until

    def stop(self) -> None:
        self._cancel.set()
        self.until = 0.0

    def wait(self) -> None:
        if self.thread is not None:
            self.thread.join()


class Connection:
    """One WebSocket client: its socket side (receiving, sending, limits) and a pipeline thread that drives
    its `voice.pipeline.session.Session`."""

    def __init__(self, service, ws, loop: asyncio.AbstractEventLoop, speak: bool = True, name: str | None = None,
                 voice: str | None = None):
        self.service = service
        self.speak = speak
        self.voice = voice
        self.name = name or f"ws-{uuid.uuid4().hex[:12]}"
        self.ws = ws
        self.loop = loop
        opts = service.options
        self.inbound: queue.Queue = queue.Queue(maxsize=max(1, int(opts.stream_buffer_s * RATE / FRAME)))
        self.outbound: asyncio.Queue = asyncio.Queue(maxsize=256)
        self.closed = threading.Event()
        self.finished = threading.Event()
        self.failed: str | None = None

    # --- the pipeline thread ------------------------------------------------------------------------

    def send(self, message) -> None:
        """From the pipeline thread: queue a message for the client (waits while the client is slow)."""
        if self.closed.is_set():
            return
        future = asyncio.run_coroutine_threadsafe(self.outbound.put(message), self.loop)
        waited = 0.0
        while waited < self.service.options.stream_idle_s:
            try:
                future.result(timeout=0.25)
                return
            except TimeoutError:
                waited += 0.25
                if self.closed.is_set():
                    break
            except Exception:  # noqa: BLE001 - the event loop is gone
                break
        future.cancel()  # the client stopped reading (or left): end the session
        self.closed.set()

    def pipeline(self) -> None:
        from dataclasses import replace

        from voice.pipeline.session import Session

        service = self.service
        session = None
        try:
            sink = SocketSink(self.send, service.synth.sample_rate)
            engines = replace(service.engines, synth=service.synth_for(self.voice, 1.0)) if self.voice \
                else service.engines
            session = Session(engines, profile=service.profile, db_path=service.options.db_path,
                              key=self.name, speak=self.speak, sink=sink, observers=[self.observe])
            session.loop.emit("listen.start", hotwords=list(session.hotwords))
            with_partials = session.loop.config
            without = replace(with_partials, partial_every_ms=0)
            while not self.closed.is_set():
                try:
                    item = self.inbound.get(timeout=0.25)
                except queue.Empty:
                    session.tick()  # alarms and timers fire while the client is silent too
                    continue
                if item is None:
                    break
                if isinstance(item, str):
                    session.say(item)
                    continue
                # partial transcripts are the first thing to give up under load
                session.loop.config = without if service.streams > service.options.partials_max_streams \
                    else with_partials
                session.feed(*item)
            if not self.closed.is_set():
                session.finish()
                sink.wait()
                self.send({"type": "done", "audio_s": round(session.t, 3)})  # audio processed, for drop checks
        except Exception as exc:  # noqa: BLE001 - reported to the client in one line
            self.failed = f"pipeline error ({type(exc).__name__})"
            import logging

            logging.getLogger("voice.serve").exception("stream pipeline failed")
            self.send({"type": "error", "message": self.failed})
        finally:
            if session is not None:
                session.close(cancel=True)  # also the synthesis on the shared engine, not only the sending
            self.send(None)
            self.finished.set()  # the receiving side stops waiting on this session

    def observe(self, event) -> None:
        data = {"type": event.type, "t": round(event.t, 3), **event.data}
        if event.type == "turn" and event.data.get("asr_ms") is not None:
            self.service.metrics.stream_asr_ms.observe(event.data["asr_ms"])
        self.send(json.dumps(data, ensure_ascii=False, default=str))

    # --- the event loop side ------------------------------------------------------------------------

    async def run(self) -> None:
        opts = self.service.options
        synth = self.service.synth
        await self.ws.send_text(json.dumps({"type": "ready", "session": self.name, "sample_rate": RATE,
                                            "format": "s16le", "reply_sample_rate": synth.sample_rate,
                                            "voice": self.voice or synth.voice, "voices": list(synth.engine.voices)}))
        thread = threading.Thread(target=self.pipeline, daemon=True, name="voice-ws-session")
        thread.start()
        sender = asyncio.create_task(self._sender())
        try:
            await self._receive(opts)
        finally:
            if not self.finished.is_set():
                self.closed.set()  # client gone or limits hit: stop the pipeline without finishing turns
            await asyncio.to_thread(thread.join)
            if not self.closed.is_set():
                try:  # deliver what is queued, up to the pipeline's end marker
                    await asyncio.wait_for(asyncio.shield(sender), timeout=opts.stream_idle_s)
                except asyncio.TimeoutError:
                    pass
            self.closed.set()
            sender.cancel()
            try:
                await sender
            except asyncio.CancelledError:
                pass
            try:
                await self.ws.close()
            except RuntimeError:
                pass  # already closed by the client

    async def _receive(self, opts) -> None:
        started = time.monotonic()
        carry = b""
        while True:
            left = opts.stream_max_s - (time.monotonic() - started)
            if left <= 0:
                await self._error("session reached its maximum length", 1008)
                return
            try:
                message = await asyncio.wait_for(self.ws.receive(), timeout=min(opts.stream_idle_s, left))
            except asyncio.TimeoutError:
                await self._error(f"no data for {opts.stream_idle_s:g} s", 1008)
                return
            if message["type"] == "websocket.disconnect":
                return
            data, text = message.get("bytes"), message.get("text")
            if data is not None:
                if len(data) > opts.stream_max_message_bytes:
                    await self._error(f"message of {len(data)} bytes is over the "
                                      f"{opts.stream_max_message_bytes}-byte limit", 1009)
                    return
                carry += data
                usable = len(carry) - len(carry) % (FRAME * 2)
                pcm, carry = carry[:usable], carry[usable:]
                samples = from_s16le(pcm)
                for i in range(0, samples.size, FRAME):
                    while self.inbound.full():  # backpressure: stop reading until the pipeline catches up
                        if self.closed.is_set() or self.finished.is_set():
                            return
                        await asyncio.sleep(0.01)
                    self.inbound.put_nowait((samples[i:i + FRAME], time.perf_counter()))
            elif text is not None:
                try:
                    control = json.loads(text)
                    kind = control.get("type") if isinstance(control, dict) else None
                except ValueError:
                    kind = None
                if kind == "audio-stop":
                    while not self.finished.is_set() and not self.closed.is_set():
                        try:
                            self.inbound.put_nowait(None)
                            break
                        except queue.Full:
                            await asyncio.sleep(0.05)
                    while not self.finished.is_set() and not self.closed.is_set():
                        await asyncio.sleep(0.05)  # the last turns are finished and sent
                    return
                if kind == "text" and isinstance(control.get("text"), str):
                    if len(control["text"]) > opts.max_tts_chars:
                        await self._error(f"text of {len(control['text'])} characters is over the "
                                          f"{opts.max_tts_chars}-character limit", 1009)
                        return
                    while self.inbound.full():
                        if self.closed.is_set() or self.finished.is_set():
                            return
                        await asyncio.sleep(0.01)
                    self.inbound.put_nowait(control["text"])
                    continue
                if kind == "ping":
                    try:
                        self.outbound.put_nowait(json.dumps({"type": "pong"}))
                    except asyncio.QueueFull:
                        pass  # a client that does not read gets no pong
                    continue
                await self._error("text messages must be JSON control messages: {\"type\": \"audio-stop\"}, "
                                  "{\"type\": \"text\", \"text\": …} or {\"type\": \"ping\"}; audio goes in "
                                  "binary messages", 1003)
                return
            if self.closed.is_set() or self.finished.is_set():
                return

    async def _error(self, message: str, code: int) -> None:
        self.closed.set()
        try:
            await self.ws.send_text(json.dumps({"type": "error", "message": message}))
            await self.ws.close(code=code)
        except RuntimeError:
            pass

    async def _sender(self) -> None:
        while True:
            message = await self.outbound.get()
            if message is None:
                return
            try:
                if isinstance(message, bytes):
                    await self.ws.send_bytes(message)
                elif isinstance(message, dict):
                    await self.ws.send_text(json.dumps(message, ensure_ascii=False))
                else:
                    await self.ws.send_text(message)
            except Exception:  # noqa: BLE001 - the client went away
                self.closed.set()
                return


def stream_endpoint(service):
    async def endpoint(ws):
        import hmac

        opts = service.options
        if opts.token:
            given = ws.headers.get("authorization", "").removeprefix("Bearer ") or ws.query_params.get("token") or ""
            if not hmac.compare_digest(given.encode(), opts.token.encode()):
                await ws.close(code=1008)
                return
        elif not _same_machine_origin(ws.headers.get("origin")):
            # browsers send WebSockets cross-origin without asking: a web page must not reach the assistant
            await ws.close(code=1008)
            return
        if not service.stream_started():
            await ws.accept()
            await ws.send_text(json.dumps({"type": "error", "message": f"too many streams (limit {opts.max_streams})"}))
            await ws.close(code=1013)
            return
        try:
            await ws.accept()
            speak = ws.query_params.get("speak", "true").lower() not in ("0", "false", "no")
            name = ws.query_params.get("session")
            if name is not None and not _SESSION_NAME.fullmatch(name):
                await ws.send_text(json.dumps({"type": "error", "message": "session names are 1-64 letters, digits, "
                                                                           "'.', '_' or '-'"}))
                await ws.close(code=1008)
                return
            voice = ws.query_params.get("voice") or None
            if voice is not None and voice not in service.synth.engine.voices:
                await ws.send_text(json.dumps({"type": "error", "message": f"unknown voice {voice!r}: choose one of "
                                                                           f"{', '.join(service.synth.engine.voices)}"}))
                await ws.close(code=1008)
                return
            await Connection(service, ws, asyncio.get_running_loop(), speak, name, voice).run()
        finally:
            service.stream_ended()

    return endpoint


def _same_machine_origin(origin: str | None) -> bool:
    """No Origin (not a browser) or a page served from this machine."""
    if not origin:
        return True
    from urllib.parse import urlparse

    return urlparse(origin).hostname in ("127.0.0.1", "localhost", "::1")
