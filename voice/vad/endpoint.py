"""End-of-utterance detection as a pure state machine fed one VAD decision per frame.

No audio, no clocks, no threads: `Endpointer.step(is_speech)` takes the next frame's decision and returns
the events it causes, with frame indices; tests drive it with synthetic sequences. Rules:
- speech starts after `min_speech_ms` of speech frames; the utterance begins `pre_roll_ms` before the
  first of them (so the first syllable is never clipped);
- it ends after `end_silence_ms` of silence (`speech.end`); `silence.started` is reported as soon as the
  silence begins, so a caller can start decoding speculatively and drop the result if speech resumes;
- adaptive end of turn: during a pause the caller may `wait(ms)` to change the silence that ends this pause
  (capped at `max_end_silence_ms`); speech resuming restores `end_silence_ms`. The live loop parses the
  speculative transcript as soon as its decode (begun 96 ms into the pause) is ready (voice.nlu.complete)
  and waits `complete_silence_ms` after a complete, confident command, `incomplete_silence_ms` after a fragment (帮我定一个 …, 打开客厅的 …), and
  `end_silence_ms` when it cannot tell. Measured (`voice bench latency`, commands spoken by Kokoro in two parts
  with a 300–700 ms pause): the fixed 480 ms rule ended 18 of 30 turns inside the pause (10 of 15 on a set
  written afterwards), the adaptive one 1 of 30 (0 of 15); on 18 real recordings up to 25 s it decided 30 ends
  of speech where the fixed rule decided 39. Its cost is on the unparsed: a fragment or a sentence the grammar
  cannot judge waits 900 ms unless it asks something or ends like a sentence (吗/呢/吧/啊…), because Whisper
  often mishears a fragment into words that parse as nothing. A sound-alike reading the audio check accepted
  is judged as what it says (拨放 → 播放 waits as a bare verb; not when it replaced most of what was heard, or
  words that made sense as something else: 好，没关系吧 → 好，没关系 would have cut a sentence of the precision
  guard's recordings and answered it), and one the NLU would ask about waits 900 ms:
  that took the samples' voice-to-voice p50 from 503 to 428 ms, 520 to 485 with a cold phrase cache (16 of the
  42 are corrected; they waited 480 ms before), and the paused commands cut from 3 of 30 to 1 (今天的天气 …
  适合跑步吗, a topic that may be the whole question), with 0 of 15 held out as before.
  Pipecat's Smart Turn v3.2 (an audio end-of-turn model) was scored at the same kind of pauses
  (`tools/eval_smart_turn.py`): it tells a pause inside a turn from the turn's end little better than chance (ROC
  AUC 0.60 on 33 pauses and 18 ends in the real recordings, 0.58 and 0.60 on the paused sets), calling 23 of the
  33 pauses "finished", so it is not used;
- an utterance longer than `max_utterance_s` is ended there; `no_speech_timeout_s` of silence before any
  speech reports `timeout` once.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EndpointConfig:
    frame_ms: int = 32  # Silero's 512 samples at 16 kHz
    pre_roll_ms: int = 320
    min_speech_ms: int = 96
    end_silence_ms: int = 480
    complete_silence_ms: int = 200
    incomplete_silence_ms: int = 900
    max_end_silence_ms: int = 1500
    max_utterance_s: float = 15.0
    no_speech_timeout_s: float = 0.0  # 0 = never

    def frames(self, ms: float) -> int:
        return max(1, round(ms / self.frame_ms))


@dataclass
class EndpointEvent:
    type: str  # "speech.start", "silence.started", "speech.resumed", "speech.end", "timeout"
    frame: int  # frame index the event refers to
    start_frame: int | None = None  # speech.start / speech.end: first frame of the utterance (pre-roll included)
    last_speech_frame: int | None = None  # speech.end, silence.started: last frame judged speech


class Endpointer:
    def __init__(self, config: EndpointConfig = EndpointConfig()):
        self.c = config
        self.reset()

    def reset(self) -> None:
        self.frame = -1
        self.in_speech = False
        self.run = 0  # consecutive speech frames while waiting for a start
        self.silence = 0  # consecutive silence frames inside an utterance
        self.start_frame: int | None = None
        self.last_speech: int | None = None
        self.idle = 0
        self.timed_out = False
        self.last_end = -1
        self.needed: int | None = None  # silence frames that end the current pause (None: end_silence_ms)

    def wait(self, ms: float | None) -> None:
        """End the current pause after `ms` of silence in all (None: `end_silence_ms`); reset when speech resumes.
        If that much silence has already passed, the next frame ends the utterance."""
        c = self.c
        self.needed = None if ms is None else c.frames(min(ms, c.max_end_silence_ms))

    def step(self, is_speech: bool) -> list[EndpointEvent]:
        c = self.c
        self.frame += 1
        f = self.frame
        events: list[EndpointEvent] = []
        if not self.in_speech:
            self.run = self.run + 1 if is_speech else 0
            self.idle = 0 if is_speech else self.idle + 1
            if self.run >= c.frames(c.min_speech_ms):
                first = f - self.run + 1
                self.in_speech = True
                # never reach back into the previous utterance (after a forced end at max length)
                self.start_frame = max(0, first - c.frames(c.pre_roll_ms), self.last_end + 1)
                self.last_speech = f
                self.silence = 0
                events.append(EndpointEvent("speech.start", f, start_frame=self.start_frame))
            elif (c.no_speech_timeout_s and not self.timed_out
                  and self.idle >= c.frames(c.no_speech_timeout_s * 1000)):
                self.timed_out = True
                events.append(EndpointEvent("timeout", f))
            return events
        if is_speech:
            if self.silence:
                events.append(EndpointEvent("speech.resumed", f))
            self.silence = 0
            self.needed = None
            self.last_speech = f
        else:
            self.silence += 1
            if self.silence == 1:
                events.append(EndpointEvent("silence.started", f, last_speech_frame=self.last_speech))
        too_long = (f - self.start_frame + 1) >= c.frames(c.max_utterance_s * 1000)
        needed = self.needed if self.needed is not None else c.frames(c.end_silence_ms)
        if (self.silence and self.silence >= needed) or too_long:
            events.append(EndpointEvent("speech.end", f, start_frame=self.start_frame,
                                        last_speech_frame=self.last_speech))
            self.in_speech = False
            self.needed = None
            self.last_end = f
            self.run = 0
            self.idle = 0
            self.silence = 0
        return events
