"""Server limits as pure logic: the per-client rate limiter and the bind-address rule."""

import pytest

from voice.errors import VoiceError
from voice.serve.options import RateLimiter, check_bind
from voice.serve.run import parse_http, parse_wyoming


def test_rate_limiter_allows_a_burst_then_refills():
    now = [0.0]
    limiter = RateLimiter(60, clock=lambda: now[0])
    assert all(limiter.allow("a") for _ in range(60))
    assert not limiter.allow("a")
    assert limiter.allow("b")  # another client has its own bucket
    now[0] += 1.0  # one request per second comes back
    assert limiter.allow("a") and not limiter.allow("a")


def test_binding_beyond_loopback_needs_a_token_or_insecure():
    check_bind("127.0.0.1", None, False)
    check_bind("::1", None, False)
    with pytest.raises(VoiceError, match="without --token"):
        check_bind("0.0.0.0", None, False)
    check_bind("0.0.0.0", "secret", False)
    check_bind("192.168.1.5", None, True)


def test_addresses_are_parsed_or_refused_clearly():
    assert parse_http("127.0.0.1:8000") == ("127.0.0.1", 8000)
    assert parse_http(":0") == ("127.0.0.1", 0)
    assert parse_wyoming("tcp://0.0.0.0:10300") == ("0.0.0.0", 10300)
    with pytest.raises(VoiceError, match="HOST:PORT"):
        parse_http("localhost")
    with pytest.raises(VoiceError, match="tcp://HOST:PORT"):
        parse_wyoming("unix:///tmp/x")
