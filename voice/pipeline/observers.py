"""Observers of the event stream: an in-memory log, the utterances' audio, a JSONL writer, latency metrics,
a terminal view. None of them changes what the stages do."""

from __future__ import annotations

import statistics
import sys
from typing import IO

from voice.pipeline.events import Event

LATENCY_FIELDS = ("eou_ms", "asr_ms", "nlu_ms", "tts_first_audio_ms", "voice_to_voice_ms")


class EventLog:
    """Every event in memory (tests, benchmarks, short runs: it grows with the session)."""

    def __init__(self):
        self.events: list[Event] = []

    def __call__(self, event: Event) -> None:
        self.events.append(event)

    def of(self, type_: str) -> list[Event]:
        return [e for e in self.events if e.type == type_]

    def clear(self) -> None:
        self.events.clear()


class Utterances:
    """(stream time, audio, final text) of every finalized utterance, for comparing it with other decodes."""

    def __init__(self):
        self.items: list[tuple[float, object, str]] = []

    def __call__(self, event: Event) -> None:
        if event.type == "asr.final" and event.audio is not None:
            self.items.append((event.t, event.audio, event.data.get("text", "")))

    def clear(self) -> None:
        self.items.clear()


class JsonlWriter:
    def __init__(self, stream: IO[str]):
        self.stream = stream

    def __call__(self, event: Event) -> None:
        self.stream.write(event.to_json() + "\n")
        self.stream.flush()


class Metrics:
    def __init__(self):
        self.turns: list[dict] = []

    def __call__(self, event: Event) -> None:
        if event.type == "turn" and event.data.get("voice_to_voice_ms") is not None:
            self.turns.append(event.data)

    def summary(self) -> dict:
        out = {"turns": len(self.turns)}
        for name in LATENCY_FIELDS:
            values = sorted(t[name] for t in self.turns if t.get(name) is not None)
            if values:
                out[name] = {"p50": round(statistics.median(values), 1),
                             "p95": round(values[min(len(values) - 1, int(0.95 * len(values)))], 1)}
        return out


class TerminalView:
    """One updating line for partials, then the final transcript, intent, reply and latencies."""

    def __init__(self, stream: IO[str] = sys.stdout):
        self.out = stream
        self.tty = stream.isatty()
        self.understood = ""  # what a misheard transcript was taken to mean (shown after it)

    def __call__(self, event: Event) -> None:
        d = event.data
        if event.type == "nlu.result":
            mark = {"corrected": " → ", "ask": " →? "}.get(d.get("decision", ""))
            self.understood = f"{mark}{d['understood']}" if mark else ""
        elif event.type == "asr.partial" and self.tty:
            self.out.write(f"\r\033[K… {d['stable']}\033[2m{d['unstable']}\033[0m")
            self.out.flush()
        elif event.type == "turn":
            if self.tty:
                self.out.write("\r\033[K")
            lat = " ".join(f"{k[:-3]}={d[k]:.0f}ms" for k in LATENCY_FIELDS if d.get(k) is not None)
            reply = d["reply"] or "（不作声，对话结束）"  # a dismissal is answered in silence
            self.out.write(f"你: {d['transcript']}{self.understood}\n   [{d['intent']}] 助手: {reply}\n   {lat}\n")
            self.understood = ""
            self.out.flush()
        elif event.type == "barge_in":
            self.out.write("   (interrupted)\n")
        elif event.type == "error":
            self.out.write(f"   error: {d.get('message')}\n")
