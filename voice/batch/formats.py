"""Transcript output formats: txt, json, srt, vtt, tsv."""

from __future__ import annotations

import json

from voice.asr.types import Transcript

FORMATS = ("txt", "json", "srt", "vtt", "tsv")


def _clock(seconds: float, sep: str) -> str:
    ms = int(round(seconds * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def render(t: Transcript, fmt: str) -> str:
    if fmt == "txt":
        return t.text + "\n"
    if fmt == "json":
        return json.dumps(t.to_dict(), ensure_ascii=False, indent=1) + "\n"
    if fmt == "srt":
        blocks = [f"{i}\n{_clock(s.start, ',')} --> {_clock(s.end, ',')}\n{s.text}\n"
                  for i, s in enumerate(t.segments, 1)]
        return "\n".join(blocks)
    if fmt == "vtt":
        blocks = [f"{_clock(s.start, '.')} --> {_clock(s.end, '.')}\n{s.text}\n" for s in t.segments]
        return "WEBVTT\n\n" + "\n".join(blocks)
    if fmt == "tsv":
        # openai-whisper's layout: integer milliseconds, so spreadsheets and scripts need no parsing.
        rows = ["start\tend\ttext"] + [f"{round(s.start * 1000)}\t{round(s.end * 1000)}\t{one_line(s.text)}"
                                       for s in t.segments]
        return "\n".join(rows) + "\n"
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


def one_line(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())
