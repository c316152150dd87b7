"""Prometheus metrics of one server (its own registry, so several servers in one process stay apart)."""

from __future__ import annotations


class ServerMetrics:
    def __init__(self):
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

        self.registry = CollectorRegistry()
        self.requests = Counter("voice_requests", "Requests by endpoint and status", ["endpoint", "status"],
                                registry=self.registry)
        self.latency = Histogram("voice_request_seconds", "Request latency by endpoint", ["endpoint"],
                                 buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300), registry=self.registry)
        self.rtf = Histogram("voice_real_time_factor", "Processing time / audio duration", ["kind"],
                             buckets=(0.01, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 1, 2, 5), registry=self.registry)
        self.stream_asr_ms = Histogram("voice_stream_asr_ms", "End of speech to final transcript in live streams",
                                       buckets=(1, 10, 50, 100, 200, 400, 800, 1600, 3200, 6400),
                                       registry=self.registry)
        self.active_streams = Gauge("voice_active_streams", "Live WebSocket and Wyoming streams",
                                    registry=self.registry)
        self.queue_depth = Gauge("voice_queue_depth", "Jobs waiting or running per worker", ["pool"],
                                 registry=self.registry)

    def render(self) -> bytes:
        from prometheus_client import generate_latest

        return generate_latest(self.registry)
