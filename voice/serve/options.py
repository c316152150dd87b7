"""Server options and limits (plain dataclass), and a per-client rate limiter."""

from __future__ import annotations

import time
from dataclasses import dataclass

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


@dataclass(frozen=True)
class ServeOptions:
    token: str | None = None  # required from clients when set (HTTP/WebSocket: Authorization: Bearer …)
    db_path: str | None = None  # the assistant's SQLite store (default: the profile's)
    profile_path: str | None = None  # the user's profile (default: $VOICE_HOME/profile.json)
    tts_engine: str | None = None  # None = the best installed
    max_upload_bytes: int = 25 * 1024 * 1024  # the OpenAI audio API's own limit
    max_audio_s: float = 1800.0  # per uploaded file
    max_tts_chars: int = 4096  # the OpenAI speech API's own limit
    requests_per_minute: int = 600  # per client address, HTTP
    request_timeout_s: float = 300.0  # queueing included
    max_streams: int = 16  # concurrent WebSocket sessions
    stream_idle_s: float = 30.0  # no message from the client for this long ends the session
    stream_max_s: float = 3600.0  # total length of one session
    stream_buffer_s: float = 8.0  # audio queued per session before the server stops reading (backpressure)
    stream_max_message_bytes: int = 64 * 1024  # one WebSocket message (2 s of 16 kHz PCM)
    partials_max_streams: int = 2  # above this many live sessions, partial transcripts are skipped


def check_bind(host: str, token: str | None, insecure: bool) -> None:
    """Refuse to listen beyond this machine without a token, unless the user says --insecure."""
    from voice.errors import VoiceError

    if host not in LOOPBACK and not token and not insecure:
        raise VoiceError(f"refusing to listen on {host} without --token (or --insecure): anyone who can reach it "
                         f"could use the microphone pipeline and the assistant's data")


class RateLimiter:
    """Token bucket per key: `rate` requests per minute, bursts up to the same number."""

    def __init__(self, per_minute: int, clock=time.monotonic):
        self.capacity = float(per_minute)
        self.refill = per_minute / 60.0
        self.clock = clock
        self.buckets: dict[str, tuple[float, float]] = {}

    def allow(self, key: str) -> bool:
        now = self.clock()
        tokens, last = self.buckets.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.refill)
        if len(self.buckets) > 10000:  # forget idle clients so the table cannot grow without bound
            self.buckets = {k: v for k, v in self.buckets.items() if now - v[1] < 60}
        if tokens < 1:
            self.buckets[key] = (tokens, now)
            return False
        self.buckets[key] = (tokens - 1, now)
        return True
