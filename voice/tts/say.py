"""`voice say` as a function."""

from __future__ import annotations

from voice.errors import VoiceError


def say_command(text: str, engine: str | None = None, voice: str | None = None, speed: float = 1.0,
                rate: int | None = None, notice: bool = False, output: str | None = None) -> int:
    """`voice say`: to the speakers, or to a labelled WAV (written atomically) with `output`."""
    from voice.tts.engines import get_engine
    from voice.tts.label import EXPLICIT_NOTICE, write_labelled_wav
    from voice.tts.stream import Synthesizer

    text = text.strip()
    if not text:
        raise VoiceError("nothing to say: give the text as TEXT")
    engine = get_engine(engine)
    from voice.paths import tts_cache_dir

    synth = Synthesizer(engine, voice, speed, rate, cache_dir=tts_cache_dir())
    if notice:
        text = EXPLICIT_NOTICE + text
    if output:
        import numpy as np

        chunks = [c.samples for c in synth.stream(text)]
        if not chunks:
            raise VoiceError(f"nothing speakable in {text[:40]!r}")
        write_labelled_wav(output, np.concatenate(chunks), synth.sample_rate, engine.name, synth.voice)
        return 0
    from voice.audio.player import Player

    player = Player(synth.sample_rate)
    player.play(c.samples for c in synth.stream(text))
    return 0
