"""`voice serve`: one process, HTTP (+ WebSocket) and/or Wyoming on one event loop, graceful shutdown."""

from __future__ import annotations

import asyncio
import logging
import signal
from urllib.parse import urlparse

from voice.errors import VoiceError
from voice.serve.options import ServeOptions, check_bind

log = logging.getLogger("voice.serve")


def parse_http(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    if not port.isdigit() or not 0 <= int(port) < 65536:
        raise VoiceError(f"--http {address!r}: expected HOST:PORT, e.g. 127.0.0.1:8000 (port 0: any free port)")
    return host.strip("[]") or "127.0.0.1", int(port)


def parse_wyoming(uri: str) -> tuple[str, int]:
    u = urlparse(uri)
    if u.scheme != "tcp" or u.port is None:
        raise VoiceError(f"--wyoming {uri!r}: expected tcp://HOST:PORT, e.g. tcp://127.0.0.1:10300")
    return u.hostname or "127.0.0.1", u.port


def serve(http: str | None, wyoming: str | None, options: ServeOptions, insecure: bool = False,
          ready=None) -> int:
    """Blocks until SIGINT/SIGTERM; in-flight requests finish before it returns. `ready(addresses)` is called
    once every listener is up (tests and the benchmark use it)."""
    if not http and not wyoming:
        raise VoiceError("nothing to serve: give --http HOST:PORT and/or --wyoming tcp://HOST:PORT")
    http_addr = parse_http(http) if http else None
    wyoming_addr = parse_wyoming(wyoming) if wyoming else None
    for addr in filter(None, (http_addr, wyoming_addr)):
        check_bind(addr[0], options.token, insecure)
    from voice.serve.service import Service

    service = Service(options)
    service.load()
    try:
        asyncio.run(_main(service, http_addr, wyoming_addr, ready))
    finally:
        service.close()
    return 0


async def _main(service, http_addr, wyoming_addr, ready) -> None:
    import uvicorn

    from voice.serve.http import create_app
    from voice.serve.wyoming_server import WyomingServer

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    tasks, servers, bound = [], [], {}
    uv = None
    if http_addr:
        # uvicorn's own message limit is above ours, so an oversized message gets our JSON error, not a bare 1009
        config = uvicorn.Config(create_app(service), host=http_addr[0], port=http_addr[1], log_level="warning",
                                ws_max_size=service.options.stream_max_message_bytes * 4, lifespan="off",
                                timeout_graceful_shutdown=service.options.request_timeout_s)
        uv = uvicorn.Server(config)
        uv.install_signal_handlers = lambda: None  # ours stop both servers together
        tasks.append(asyncio.create_task(uv.serve()))
        while not uv.started:
            if tasks[0].done():
                tasks[0].result()  # re-raises a bind error
                raise VoiceError(f"HTTP server on {http_addr[0]}:{http_addr[1]} did not start")
            await asyncio.sleep(0.05)
        bound["http"] = f"{http_addr[0]}:{uv.servers[0].sockets[0].getsockname()[1]}"
    if wyoming_addr:
        server = WyomingServer(service)
        try:
            bound["wyoming"] = await server.start(*wyoming_addr)
        except OSError as exc:
            raise VoiceError(f"cannot listen on tcp://{wyoming_addr[0]}:{wyoming_addr[1]}: {exc.strerror}") from None
        servers.append(server)
    print("serving " + ", ".join(f"{k} on {v}" for k, v in bound.items()), flush=True)
    if ready:
        ready(bound)
    await stop.wait()
    print("stopping: finishing requests in flight", flush=True)
    if uv is not None:
        uv.should_exit = True
    await asyncio.gather(*tasks, *(s.stop(service.options.request_timeout_s) for s in servers),
                         return_exceptions=True)
