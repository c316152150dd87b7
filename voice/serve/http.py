"""The HTTP front end (Starlette, served by uvicorn): OpenAI-compatible audio endpoints, the assistant,
health and Prometheus metrics; the WebSocket stream lives in voice.serve.ws.

Errors are JSON `{"error": {"message", "type"}}` as the OpenAI API writes them, with a one-line message and
never a stack trace.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import os
import tempfile
import time

import numpy as np

from voice.audio.frames import to_s16le
from voice.serve.options import RateLimiter
from voice.serve.service import Busy, Service

RESPONSE_FORMATS = ("json", "text", "srt", "vtt", "verbose_json")
SPEECH_FORMATS = ("wav", "pcm")
# OpenAI voice names map to the Mandarin voices, so clients with an OpenAI default still work.
OPENAI_VOICES = {"alloy": "zf_xiaobei", "nova": "zf_xiaoxiao", "shimmer": "zf_xiaoyi", "coral": "zf_xiaoni",
                 "echo": "zm_yunjian", "onyx": "zm_yunyang", "fable": "zm_yunxi", "ash": "zm_yunxia",
                 "sage": "zf_xiaobei", "ballad": "zm_yunxi", "verse": "zm_yunxia"}


class HTTPError(Exception):
    def __init__(self, status: int, message: str, kind: str = "invalid_request_error"):
        super().__init__(message)
        self.status, self.message, self.kind = status, message, kind


def create_app(service: Service):
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
    from starlette.routing import Route, WebSocketRoute

    from voice.serve.ws import stream_endpoint

    opts = service.options
    limiter = RateLimiter(opts.requests_per_minute)

    def error(status: int, message: str, kind: str = "invalid_request_error") -> JSONResponse:
        return JSONResponse({"error": {"message": message, "type": kind}}, status_code=status)

    def endpoint(name: str, handler):
        async def wrapped(request):
            from starlette.requests import Request

            # a chunked upload has no Content-Length to check: count the body as it arrives
            request = Request(request.scope, _limited(request.receive, opts.max_upload_bytes))
            started = time.perf_counter()
            status = 500
            try:
                client = request.client.host if request.client else "?"
                if not limiter.allow(client):  # before the token check, so guessing tokens is limited too
                    raise HTTPError(429, f"rate limit: more than {opts.requests_per_minute} requests a minute "
                                         f"from {client}", "rate_limit_error")
                if opts.token and not hmac.compare_digest(request.headers.get("authorization", "").encode(),
                                                          f"Bearer {opts.token}".encode()):
                    raise HTTPError(401, "missing or wrong bearer token", "authentication_error")
                response = await handler(request)
                status = response.status_code
                return response
            except HTTPError as exc:
                status = exc.status
                return error(exc.status, exc.message, exc.kind)
            except Busy as exc:
                status = 503
                return error(503, f"server busy: {exc}", "server_error")
            except asyncio.TimeoutError:
                status = 504
                return error(504, f"not done within {opts.request_timeout_s:g} s (queueing included)", "server_error")
            except Exception as exc:  # noqa: BLE001 - one line to the client, never a traceback
                from starlette.exceptions import HTTPException
                from starlette.formparsers import MultiPartException
                from starlette.requests import ClientDisconnect

                from voice.errors import VoiceError

                if isinstance(exc, ClientDisconnect):
                    status = 499
                    return error(499, "client disconnected")
                if isinstance(exc, (HTTPException, MultiPartException)):  # Starlette's own parsing errors
                    status = getattr(exc, "status_code", 400)
                    detail = getattr(exc, "detail", None) or getattr(exc, "message", "")
                    return error(status, f"malformed request body: {detail}")
                if isinstance(exc, VoiceError):
                    status = 400
                    return error(400, str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
                import logging

                logging.getLogger("voice.serve").exception("%s failed", name)
                return error(500, f"internal error ({type(exc).__name__})", "server_error")
            finally:
                service.metrics.requests.labels(name, str(status)).inc()
                service.metrics.latency.labels(name).observe(time.perf_counter() - started)

        return wrapped

    async def transcriptions(request):
        content_type = request.headers.get("content-type", "")
        if not content_type.startswith("multipart/form-data"):
            raise HTTPError(415, f"expected multipart/form-data with a 'file' field, got {content_type or 'nothing'}")
        declared = int(request.headers.get("content-length") or 0)
        if declared > opts.max_upload_bytes:
            raise HTTPError(413, f"upload of {declared} bytes is over the {opts.max_upload_bytes}-byte limit")
        async with request.form(max_files=1, max_fields=16) as form:
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise HTTPError(400, "missing 'file' (the audio to transcribe)")
            fmt = str(form.get("response_format") or "json")
            if fmt not in RESPONSE_FORMATS:
                raise HTTPError(400, f"response_format {fmt!r} is not one of {', '.join(RESPONSE_FORMATS)}")
            language = str(form.get("language") or "zh")
            if language not in ("zh", "zh-CN", "cmn", "chinese"):
                raise HTTPError(400, f"language {language!r} is not served: this server transcribes Mandarin (zh)")
            prompt = str(form.get("prompt") or "") or None
            stream = str(form.get("stream") or "false").lower() == "true"
            name = upload.filename or "upload"
            audio = await _read_upload(upload, name, opts.max_upload_bytes, opts.max_audio_s)
        if stream:
            return StreamingResponse(_sse(service, audio, prompt), media_type="text/event-stream")
        started = time.perf_counter()
        transcript = await service.transcribe(audio, prompt, source=name)
        return _transcript_response(transcript, fmt, time.perf_counter() - started)

    def _transcript_response(transcript, fmt: str, seconds: float):
        from voice.batch.formats import render

        if fmt == "text":
            return PlainTextResponse(transcript.text + "\n")
        if fmt in ("srt", "vtt"):
            return PlainTextResponse(render(transcript, fmt), media_type="text/vtt" if fmt == "vtt" else "text/plain")
        if fmt == "json":
            return JSONResponse({"text": transcript.text}, headers={"x-processing-seconds": f"{seconds:.3f}"})
        return JSONResponse({"task": "transcribe", "language": "chinese", "duration": round(transcript.duration, 3),
                             "text": transcript.text,
                             "segments": [{"id": i, "start": s.start, "end": s.end, "text": s.text,
                                           "avg_logprob": None if s.confidence <= 0 else round(float(np.log(s.confidence)), 4),
                                           "no_speech_prob": s.no_speech_prob}
                                          for i, s in enumerate(transcript.segments)]})

    async def speech(request):
        body = await _json_body(request, 64 * 1024)
        text = body.get("input")
        if not isinstance(text, str) or not text.strip():
            raise HTTPError(400, "'input' must be a non-empty string")
        if len(text) > opts.max_tts_chars:
            raise HTTPError(400, f"'input' has {len(text)} characters; the limit is {opts.max_tts_chars}")
        fmt = body.get("response_format", "wav")
        if fmt not in SPEECH_FORMATS:
            raise HTTPError(400, f"response_format {fmt!r} is not one of {', '.join(SPEECH_FORMATS)}")
        voice = body.get("voice")
        voice = OPENAI_VOICES.get(voice, voice) if isinstance(voice, str) else None
        speed = body.get("speed", 1.0)
        if not isinstance(speed, (int, float)) or not 0.5 <= speed <= 2.0:
            raise HTTPError(400, "'speed' must be a number from 0.5 to 2.0 (this engine's range)")
        synth = service.synth_for(voice, float(speed))  # validates the voice before the response starts
        chunks = service.speak(text, synth.voice, float(speed))
        first = await anext(chunks, None)  # errors (nothing speakable…) become a 400 before any audio is sent
        if first is None:
            raise HTTPError(400, f"nothing speakable in {text[:40]!r}")
        rate = synth.sample_rate
        media = "audio/wav" if fmt == "wav" else "audio/pcm"
        headers = {"x-sample-rate": str(rate), "x-ai-generated": "true"}
        return StreamingResponse(_pcm_body(first, chunks, rate, fmt == "wav", synth), media_type=media,
                                 headers=headers)

    async def assistant(request):
        body = await _json_body(request, 16 * 1024)
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            raise HTTPError(400, "'text' must be a non-empty string")
        session = str(body.get("session") or "default")[:64]
        return JSONResponse(await service.ask(text[:1000], session))

    async def page(request):
        """The browser page (voice/serve/web): no token needed to load it, the socket asks for one."""
        from importlib.resources import files

        name = request.path_params.get("name", "index.html")
        if name not in _WEB_FILES:
            return PlainTextResponse("not found", status_code=404)
        body = files("voice.serve").joinpath("web", name).read_bytes()
        host = request.headers.get("host", "")
        # the page's own policy: its own scripts and styles only, and its socket
        csp = (f"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
               f"connect-src 'self' ws://{host} wss://{host}; media-src 'self'; base-uri 'none'; "
               "form-action 'none'; frame-ancestors 'none'")
        return Response(body, media_type=_WEB_FILES[name],
                        headers={"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff",
                                 "Cache-Control": "no-cache"})

    async def healthz(request):
        return JSONResponse({"status": "ok", "active_streams": service.streams,
                             "tts": service.synth.engine.name if service.synth else None})

    async def metrics(request):
        return Response(service.metrics.render(), media_type="text/plain; version=0.0.4")

    app = Starlette(routes=[
        Route("/v1/audio/transcriptions", endpoint("transcriptions", transcriptions), methods=["POST"]),
        Route("/v1/audio/speech", endpoint("speech", speech), methods=["POST"]),
        Route("/v1/assistant", endpoint("assistant", assistant), methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/", page, methods=["GET"]),
        Route("/web/{name}", page, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
        WebSocketRoute("/v1/stream", stream_endpoint(service)),
    ], exception_handlers={404: lambda r, e: error(404, f"no such endpoint: {r.method} {r.url.path}"),
                           405: lambda r, e: error(405, f"{r.method} is not allowed on {r.url.path}")})
    return app


_WEB_FILES = {"index.html": "text/html; charset=utf-8", "app.js": "text/javascript; charset=utf-8",
              "capture.js": "text/javascript; charset=utf-8", "style.css": "text/css; charset=utf-8",
              "icon.svg": "image/svg+xml"}


def _limited(receive, limit: int):
    seen = 0

    async def receive_limited():
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise HTTPError(413, f"request body over the {limit}-byte limit")
        return message

    return receive_limited


async def _json_body(request, limit: int) -> dict:
    if not request.headers.get("content-type", "").startswith("application/json"):
        raise HTTPError(415, "expected a JSON body (Content-Type: application/json)")
    raw = b""
    async for part in request.stream():
        raw += part
        if len(raw) > limit:
            raise HTTPError(413, f"JSON body over {limit} bytes")
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise HTTPError(400, "body is not valid JSON") from None
    if not isinstance(body, dict):
        raise HTTPError(400, "JSON body must be an object")
    return body


async def _read_upload(upload, name: str, max_bytes: int, max_audio_s: float) -> np.ndarray:
    """The uploaded file decoded to 16 kHz mono (the same loader and errors as `voice transcribe`)."""
    from voice.audio.load import load_audio
    from voice.errors import AudioError

    suffix = os.path.splitext(name)[1][:8]
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        size = 0
        while chunk := await upload.read(1 << 20):
            size += len(chunk)
            if size > max_bytes:
                raise HTTPError(413, f"{name}: over the {max_bytes}-byte upload limit")
            tmp.write(chunk)
        tmp.flush()
        try:  # decoding and resampling take seconds for long files: not on the event loop
            audio = await asyncio.to_thread(load_audio, tmp.name, max_seconds=max_audio_s)
        except AudioError as exc:
            raise HTTPError(400, str(exc).replace(tmp.name, name)) from None
    return audio


async def _sse(service: Service, audio: np.ndarray, prompt: str | None):
    """OpenAI's streaming transcription events: one `transcript.text.delta` per segment, then `done`."""
    from voice.asr.cleanup import join_texts

    texts = []
    try:
        async for segment in service.transcribe_segments(audio, prompt):
            delta = (" " if texts and texts[-1][-1:].isascii() and segment.text[:1].isascii() else "") + segment.text
            texts.append(segment.text)
            yield f"data: {json.dumps({'type': 'transcript.text.delta', 'delta': delta}, ensure_ascii=False)}\n\n"
        yield f"data: {json.dumps({'type': 'transcript.text.done', 'text': join_texts(texts)}, ensure_ascii=False)}\n\n"
    except Exception as exc:  # noqa: BLE001 - the 200 header is gone: report in the stream, one line
        message = f"server busy: {exc}" if isinstance(exc, Busy) else f"transcription failed ({type(exc).__name__})"
        yield f"data: {json.dumps({'type': 'error', 'error': {'message': message}})}\n\n"


async def _pcm_body(first: np.ndarray, rest, rate: int, wav: bool, synth):
    """16-bit PCM as it is synthesized; for WAV a streaming header (unknown length) carrying the AI label."""
    if wav:
        from voice.tts.label import streaming_wav_header

        yield streaming_wav_header(rate, synth.engine.name, synth.voice)
    yield to_s16le(first)
    try:
        async for chunk in rest:
            yield to_s16le(chunk)
    except Exception:  # noqa: BLE001 - headers are sent: end the body early (the client sees a short reply)
        import logging

        logging.getLogger("voice.serve").warning("speech stream ended early", exc_info=True)


