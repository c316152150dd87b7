"""Simplified script: every text this project outputs goes through OpenCC's t2s (deterministic; unlike a
Simplified prompt for Whisper, it costs no accuracy)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)
