"""The live loop, driven frame by frame by its caller: `Loop.feed(frame, captured_at)`.

Per 32 ms frame: Silero VAD (a stricter threshold while the assistant is speaking, so its own voice does not
interrupt it) → the endpointing state machine → streaming ASR (partials every `partial_every_ms`; the final
decode starts speculatively `speculate_after_ms` into the trailing silence, on a worker thread while the loop goes
on reading frames (a source faster than real time decodes in line, so offline runs stay deterministic); its transcript
sets how long the pause must last (adaptive end of turn) and may prepare the reply; if speech resumes after a pause of
`commit_pause_ms` with at least `commit_min_s` of uncommitted audio, that decode is kept as the utterance's
committed prefix, otherwise dropped; optionally `commit_force_s` commits speech that never pauses)
→ the assistant → streaming TTS into a sink. Barge-in: speech starting while the sink plays stops it
(`cancel_reply`: playback and the synthesis behind it).
Latencies use wall-clock times: `captured_at` is when the frame was captured (a file played in real time
gives its schedule; the microphone its callback time), so a loop that lags behind is not flattered.
The loop keeps no record of its own: every event goes to the observers (`voice.pipeline.observers`).
Build one through `voice.pipeline.session.Session`, which wires the stages for a conversation.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from voice.asr.stream import ASRStream
from voice.audio.frames import FRAME, RATE
from voice.audio.sinks import Sink
from voice.pipeline.events import Event
from voice.tts.base import Cancel
from voice.vad.endpoint import EndpointConfig, Endpointer
from voice.vad.stream import VADStream

# The pause's decode goes to a worker thread only when the last PACED_FRAMES frames were captured at the pace of
# speech (their capture times span at least that much audio, less PACED_SLACK_S for microphone blocks arriving
# together); a source faster than real time (a file, a client streaming a recording) decodes in line, so its
# turns do not depend on how fast the machine is.
PACED_FRAMES = 16
PACED_SLACK_S = 0.1


@dataclass(frozen=True)
class LoopConfig:
    endpoint: EndpointConfig = field(default_factory=EndpointConfig)
    vad_threshold: float = 0.5
    vad_threshold_speaking: float = 0.85  # while our own reply plays (echo from the speakers)
    partial_every_ms: int = 640  # 0: no partial transcripts
    max_lag_for_partial_ms: int = 100  # a partial waits while the loop is further behind the audio than this
    # The final decode starts max(speculate_after_ms, trailing_ms) into a pause, on the speech plus `trailing_ms`
    # of what followed it; with the end of turn decided by meaning, that decode (~300 ms on 2 cores: 12 s window,
    # beam 5) is on the critical path. `voice bench understand` (samples, voices, heldout, unseen; intent and
    # slots right): 132/150 with 160 ms and with 96 ms, 128 with 64, 130 with 32; the paused commands were cut
    # alike (3 of 30, 0 of 15). Shorter windows cost more: a 9 s minimum 130, 6 s 124.
    speculate_after_ms: int = 96
    trailing_ms: int = 96  # silence kept after the last speech frame for the final decode
    # A pause of at least commit_pause_ms inside an utterance, once commit_min_s of audio has not been committed,
    # ends a prefix that is decoded for good while the user goes on speaking (ASRStream.commit).
    commit_pause_ms: int = 160
    commit_min_s: float = 3.0
    # Speech without such a pause (fast reading) can be committed anyway once this much is waiting, at the least
    # speech-like frame of the last 2 s, so the decode at its end stays short. Off by default: on 18 recordings up
    # to 25 s (tools/loop_sweep.py), 8 s cut the worst end-of-speech delay from 4.2 s to 0.85 s but raised CER from
    # 36.8 % to 38.6 % (Whisper loses or repeats words at a cut inside fast speech).
    commit_force_s: float | None = None
    wake_phrase: str | None = None  # e.g. "你好小V": only utterances starting with it are answered
    speak: bool = True
    # Hypotheses the final decode keeps for the NLU (voice.nlu.understand): the beam's n-best and a scorer of
    # sound-alike corrections against the audio. 0 or 1: act on the best text as heard.
    nbest: int = 5
    # After a question ("要打给谁？"), put its expected answers (contacts, cities) in the recognizer's prompt for
    # the next utterance (voice.nlu.vocabulary.Vocabulary.answers). Off: on the dialog set of `voice bench
    # understand` it changed transcripts but not one outcome; repairing the answer towards the expected kind
    # (voice.nlu.understand, `expects`) is what helped (7 → 11 of 15).
    bias_answers: bool = False
    # When the pause's transcript is a complete command, answer it during the pause: the skill runs in a
    # tentative transaction and the first clause is synthesized; kept if the turn ends there, dropped (nothing
    # spoken, stored or executed) if the user goes on.
    speculative_reply: bool = True
    # Run the pause's final decode on a worker thread, so the loop keeps reading frames while it runs (speech
    # resuming, barge-in). A source faster than real time decodes in line instead (PACED_FRAMES).
    background_decode: bool = True
    # End the turn sooner after a complete command, later after a fragment (Endpointer.wait, voice.nlu.complete).
    adaptive_end: bool = True
    # With adaptive_end: decode the pause greedily first (~190 ms instead of ~260 on 2 cores), and run the beam
    # search on the same encoder output only when that text is not a complete command heard with at least
    # quick_min_confidence (exp of the mean token log-probability). Off: on the samples in real time it took the
    # accepted turns' voice-to-voice to ~290-330 ms but the refused ones to ~510-580, so the p50 stayed (431 ms
    # against 428 at 0.7, 516 at 0.8), and at 0.7 `voice bench understand` got 131 of 150 against 132.
    quick_first: bool = False
    quick_min_confidence: float = 0.7


class Loop:
    def __init__(self, asr: ASRStream, assistant, vad: VADStream, synthesizer=None, sink: Sink | None = None,
                 config: LoopConfig = LoopConfig(), observers: list[Callable[[Event], None]] | None = None,
                 clock: Callable[[], datetime] | None = None):
        self.vad = vad
        self.assistant = assistant
        self.synth = synthesizer
        self.sink = sink
        self.config = config
        self.observers = list(observers or [])
        self.clock = clock
        self.endpointer = Endpointer(config.endpoint)
        self.asr = asr
        ep = config.endpoint
        self.ring: deque[np.ndarray] = deque(maxlen=ep.frames(ep.pre_roll_ms) + ep.frames(ep.min_speech_ms) + 1)
        self.frames = 0
        self.utt_start_frame: int | None = None
        self.last_speech_wall: float | None = None
        self.silence_frames = 0
        self.speculated_at: int | None = None
        self.since_partial = 0
        self.recent: deque[tuple[int, float]] = deque(maxlen=config.endpoint.frames(2000))  # (end sample, prob)
        self.run_start: float | None = None  # capture time of the first frame of the current speech run
        self._reply_cancel: Cancel | None = None
        self._prepared: _Prepared | None = None
        self._streaming: tuple | None = None  # an LLM answer still arriving (see _ask_streaming)
        self._job: tuple | None = None  # a speculative decode on a worker thread (see _start_job)
        self._captured: deque[float] = deque(maxlen=PACED_FRAMES)  # capture times of the last frames
        self._stale: list[tuple] = []  # decodes of pauses the user spoke past, still running

    # --- driving ------------------------------------------------------------------------------------

    @property
    def t(self) -> float:
        return self.frames * FRAME / RATE

    def emit(self, type_: str, audio: np.ndarray | None = None, **data) -> Event:
        event = Event(type_, self.t, data, audio)
        for observer in self.observers:
            observer(event)
        return event

    def feed(self, frame: np.ndarray, captured_at: float | None = None) -> None:
        """One frame of 512 samples at 16 kHz; `captured_at` = time.perf_counter() when it was captured."""
        now = captured_at if captured_at is not None else time.perf_counter()
        self._captured.append(now)
        c = self.config
        if self._streaming is not None:
            self._finish_streaming()
        if self._stale:
            self._reap()
        if self._job is not None and not self._job[1].is_alive():
            self._collect_speculation()  # before this frame's step, so the judged wait applies to it
        speaking = bool(self.sink and self.sink.playing())
        p = self.vad.prob(frame)
        is_speech = p >= (c.vad_threshold_speaking if speaking else c.vad_threshold)
        self.frames += 1
        self.ring.append(frame)
        self.run_start = (self.run_start if self.endpointer.run else now) if is_speech else None
        events = self.endpointer.step(is_speech)
        started = any(ev.type == "speech.start" for ev in events)
        for ev in events:
            self._on_endpoint(ev, now)
        if self.utt_start_frame is not None:
            if self.endpointer.in_speech and not started:
                self.asr.accept(frame)
                self.recent.append((self.asr.samples, p))
            if is_speech:
                if (c.commit_force_s and not started and self.silence_frames == 0
                        and self.asr.samples - self.asr.committed >= c.commit_force_s * RATE):
                    self._commit_anyway()  # only inside a speech run: a silence is the speculation's business
                if not started and self.silence_frames >= c.endpoint.frames(c.commit_pause_ms):
                    self._commit_pause()
                self.last_speech_wall = now
                self.silence_frames = 0
            else:
                self.silence_frames += 1
                if (self.silence_frames == c.endpoint.frames(max(c.speculate_after_ms, c.trailing_ms))
                        and self.speculated_at is None):
                    self.speculated_at = self._final_samples()
                    job = self.asr.speculation(self.speculated_at, quick=c.quick_first and c.adaptive_end)
                    if c.background_decode and self._paced():
                        self._start_job(job)
                    else:
                        self._speculated(job, job(), judge=c.adaptive_end, background=False)
            self.since_partial += 1
            behind = time.perf_counter() - now > c.max_lag_for_partial_ms / 1000
            decoding = self._job is not None or bool(self._stale)  # a partial would wait for the model
            if (c.partial_every_ms and is_speech and not behind and not decoding
                    and self.since_partial >= c.endpoint.frames(c.partial_every_ms)):
                self.since_partial = 0
                stable, unstable = self.asr.partial()
                if stable or unstable:
                    self.emit("asr.partial", stable=stable, unstable=unstable)

    def _start_job(self, job) -> None:
        """The pause's decode (an `ASRStream.speculation`) on a worker thread: the loop goes on reading frames
        (speech resuming, barge-in) and judges the transcript when it arrives (`_collect_speculation`)."""
        import threading

        box: dict = {}

        def work() -> None:
            try:
                box["result"] = job()
            except BaseException as exc:  # raised again on the loop's thread
                box["error"] = exc

        worker = threading.Thread(target=work, name="voice-speculation", daemon=True)
        worker.start()
        if self._job is not None:
            self._stale.append(self._job)  # cannot be stopped: reaped when it ends
        self._job = (job, worker, box)

    def _collect_speculation(self, wait: bool = False, judge: bool = True) -> None:
        """Take a finished speculative decode: adopt it if it is still this pause's (speech did not resume
        since), and judge it; `wait` blocks until it is finished. Not judged (the turn ended, or the pause is
        committed), a quick pass that was not accepted is refined in line (an accepted one is refined by
        `ASRStream.commit` if the pause is committed after all)."""
        job, worker, box = self._job
        if wait:
            worker.join()
        elif worker.is_alive():
            return
        self._job = None
        if "error" in box:
            raise box["error"]
        if job.samples != self.speculated_at or self.utt_start_frame is None:
            return  # the user went on speaking: a later pause has its own decode
        self._speculated(job, box["result"], judge=judge and self.config.adaptive_end, background=judge)

    def _speculated(self, job, result, judge: bool, background: bool) -> None:
        """A decode of the pause arrived: adopt it and judge it. A quick (greedy) one stands only as a confident
        complete command; otherwise the beam search finishes it (`ASRStream.refinement`), on the worker thread
        when `background`, and that result is judged."""
        seg = self.asr.adopt(job, result)
        more = self.asr.refinement(job, result)
        if more is None:
            if judge:
                self._judge(seg)
            return
        if judge and self._judge(seg, quick=True):
            return
        if background:
            self._start_job(more)
        else:
            self._speculated(more, more(), judge, background=False)

    def _paced(self) -> bool:
        captured = self._captured
        return len(captured) == captured.maxlen and \
            captured[-1] - captured[0] >= (len(captured) - 1) * FRAME / RATE - PACED_SLACK_S

    def _reap(self) -> None:
        """Forget finished decodes of pauses the user spoke past; an error in one is raised here."""
        finished = [job for job in self._stale if not job[1].is_alive()]
        self._stale = [job for job in self._stale if job[1].is_alive()]
        for _, _, box in finished:
            if "error" in box:
                raise box["error"]

    def _judge(self, seg, quick: bool = False) -> bool:
        """Adaptive end of turn: how long this pause must last, from what the speculative transcript says
        (voice.nlu.complete; the rule and its numbers are in voice.vad.endpoint). `quick`: `seg` is a greedy
        pass, judged only if it is a complete command heard with at least `quick_min_confidence`; False (and
        nothing done) otherwise."""
        from voice.nlu.complete import verdict as judged
        from voice.nlu.understand import Heard

        ep = self.config.endpoint
        text = seg.text if seg else ""
        wake = self.config.wake_phrase
        if wake and text:
            w, bare = re.sub(r"\W", "", wake).casefold(), re.sub(r"\W", "", text)
            text = bare[len(w):] if bare.casefold().startswith(w) else ""
        verdict, u, heard, now = "unknown", None, None, None
        preview = getattr(self.assistant, "preview", None)
        if text and preview is not None:
            now = self.clock() if self.clock else None
            heard = Heard(text, seg.alternatives, seg.scorer) if not wake else None
            u = preview(text, now, heard=heard)
            verdict = judged(text, u, answering=self.assistant.expecting(now) is not None)
        if quick and (verdict != "complete" or seg.confidence < self.config.quick_min_confidence):
            return False
        wait = {"complete": ep.complete_silence_ms, "incomplete": ep.incomplete_silence_ms,
                "doubtful": ep.incomplete_silence_ms}.get(verdict, ep.end_silence_ms)
        self.endpointer.wait(wait)
        self.emit("turn.judged", verdict=verdict, text=text, wait_ms=wait,
                  silence_ms=self.silence_frames * ep.frame_ms)  # of the pause so far, when the verdict came
        if verdict == "complete" and self.config.speculative_reply and not wake:
            self._prepare(text, heard, u, now)
        return True

    def _prepare(self, text: str, heard, understood, now) -> None:
        """Speculative reply: answer now, tentatively (the skill's changes held in an open transaction, the
        reply's first clause synthesized but not played); `_on_endpoint` delivers it at the end of the turn or
        drops it if the user goes on speaking."""
        if not hasattr(self.assistant, "begin_tentative"):
            return
        self._drop_prepared()
        self._settle_streaming()
        t0 = time.perf_counter()
        self.assistant.begin_tentative()
        try:
            turn = self.assistant.ask(text, now, heard=heard, understood=understood)
            nlu_done = time.perf_counter()
            first = stream = cancel = None
            if self.config.speak and self.synth is not None and turn.reply.text:
                cancel = Cancel()
                stream = self.synth.stream(turn.reply.text, cancel=cancel)
                first = next(stream, None)
        except BaseException:
            self.assistant.discard()  # never leave the transaction open
            raise
        self._prepared = _Prepared(self.speculated_at, text, turn, (nlu_done - t0) * 1000,
                                   (time.perf_counter() - nlu_done) * 1000, first, stream, cancel)

    def _drop_prepared(self) -> None:
        """The user went on speaking: nothing of the prepared reply is spoken, stored or executed."""
        p, self._prepared = self._prepared, None
        if p is None:
            return
        self.assistant.discard()
        if p.cancel is not None:
            p.cancel.set()
        if p.stream is not None:
            p.stream.close()
        self.emit("reply.dropped", text=p.text)

    def _commit_pause(self) -> None:
        """Speech resumed after a pause: fix the text before it if enough audio is waiting."""
        c = self.config
        # this frame (speech) is accepted; the pause is the silence_frames before it
        last_speech_end = self.asr.samples - (self.silence_frames + 1) * FRAME
        cut = last_speech_end + min(self.silence_frames, c.endpoint.frames(c.trailing_ms)) * FRAME
        if cut - self.asr.committed >= c.commit_min_s * RATE:
            if self._job is not None and self._job[0].samples == cut:
                self.speculated_at = cut
                try:
                    self._collect_speculation(wait=True, judge=False)  # the pause's decode: commit reuses it
                finally:
                    self.speculated_at = None
            self.asr.commit(cut)

    def _commit_anyway(self) -> None:
        """No pause for commit_force_s: cut after the frame of the last 2 s least likely to be speech
        (a breath, a plosive's closure), keeping about 0.2 s after the cut."""
        window = list(self.recent)[:-self.config.endpoint.frames(200)]
        if window:
            cut, _ = min(window, key=lambda item: item[1])
            self.asr.commit(cut)

    def _final_samples(self) -> int:
        """The utterance up to the last speech frame plus `trailing_ms` (not the whole silence)."""
        c = self.config
        trailing = c.endpoint.frames(c.trailing_ms)
        return min(self.asr.samples, self.asr.samples - (self.silence_frames - trailing) * FRAME) \
            if self.silence_frames > trailing else self.asr.samples

    def _on_endpoint(self, ev, now: float) -> None:
        if ev.type == "speech.start":
            self._drop_prepared()
            if self.sink and self.sink.playing():
                self.cancel_reply()
                onset = self.run_start if self.run_start is not None else now
                self.emit("barge_in", ms=round((time.perf_counter() - onset) * 1000, 1))
            self.utt_start_frame = ev.start_frame
            self.asr.reset()
            self.recent.clear()
            back = self.frames - 1 - ev.start_frame  # frames before this one that belong to the utterance
            for f in list(self.ring)[-(back + 1):-1] if back > 0 else []:
                self.asr.accept(f)
            self.asr.accept(self.ring[-1])
            self.last_speech_wall = now
            self.silence_frames = 0
            self.speculated_at = None
            self.since_partial = 0
            self.emit("speech.start", start_t=round(ev.start_frame * FRAME / RATE, 3))
        elif ev.type == "speech.resumed":
            self.speculated_at = None
            self._drop_prepared()
        elif ev.type == "speech.end":
            decided = now
            eou_ms = (decided - self.last_speech_wall) * 1000 if self.last_speech_wall else None
            self.emit("speech.end", duration_s=round(self.asr.samples / RATE, 3))
            samples = self.speculated_at if self.speculated_at is not None else self._final_samples()
            if self._job is not None:
                self._collect_speculation(wait=self._job[0].samples == samples, judge=False)
            prepared, self._prepared = self._prepared, None
            if prepared is not None and prepared.samples != samples:
                self._prepared = prepared
                self._drop_prepared()
                prepared = None
            if prepared is not None:
                self.assistant.confirm()  # at once: nothing below may leave the transaction open
            t0 = time.perf_counter()
            seg = self.asr.final(samples)
            asr_done = time.perf_counter()
            asr_ms = (asr_done - t0) * 1000 + max(0.0, (t0 - decided) * 1000)
            text = seg.text if seg else ""
            self.emit("asr.final", audio=self.asr.audio()[:samples], text=text,
                      confidence=seg.confidence if seg else None,
                      alternatives=list(seg.alternatives) if seg else [])
            self.utt_start_frame = None
            if prepared is not None:
                self._deliver(prepared.turn, prepared.text, eou_ms, asr_ms, prepared.nlu_ms, time.perf_counter(),
                              prepared)
            elif text:
                self._respond(text, eou_ms, asr_ms, asr_done, seg=seg)
        elif ev.type == "timeout":
            self.emit("timeout")

    def _respond(self, text: str, eou_ms: float | None, asr_ms: float | None, asr_done: float,
                 typed: bool = False, seg=None) -> None:
        from voice.nlu.understand import Heard

        c = self.config
        heard = Heard(text, seg.alternatives, seg.scorer) if seg is not None and not typed else None
        if c.wake_phrase and not typed:
            wake = re.sub(r"\W", "", c.wake_phrase).casefold()
            bare = re.sub(r"\W", "", text)
            if not bare.casefold().startswith(wake) or len(bare) == len(wake):
                return  # not addressed to us, or only the wake phrase: keep listening
            text = bare[len(wake):]
            heard = None  # the hypotheses and the scorer cover the wake phrase too
        self._settle_streaming()
        t0 = time.perf_counter()
        now = self.clock() if self.clock else None
        if c.speak and self.synth is not None and getattr(self.assistant, "llm", None) is not None:
            understood = self.assistant.preview(text, now, heard)
            if self.assistant.routes_to_llm(understood, now):  # the LLM answers: speak it as it streams
                self._ask_streaming(text, now, heard, understood, eou_ms, asr_ms, t0)
                return
            turn = self.assistant.ask(text, now, heard=heard, understood=understood)
        else:
            turn = self.assistant.ask(text, now, heard=heard)
        nlu_done = time.perf_counter()
        self._deliver(turn, text, eou_ms, asr_ms, (nlu_done - t0) * 1000, nlu_done)

    def _ask_streaming(self, text, now, heard, understood, eou_ms, asr_ms, t0) -> None:
        """An LLM answer spoken while the model is still generating. A worker thread reads the model's stream
        (`Assistant.stream_answer`: HTTP and the safety filter, no database) and hands each safe clause to the
        synthesizer through a queue, so the loop keeps listening (barge-in); the first clause is synthesized
        here, the rest by the sink as it plays. Barge-in cancels the reply and the worker then closes the HTTP
        stream. When the answer is complete the turn is recorded and reported on the loop's thread
        (`_finish_streaming`, polled on every frame)."""
        import queue
        import threading

        cancel = self._new_reply()
        clauses: queue.Queue = queue.Queue()
        outcome: dict = {}

        def work() -> None:
            answer = self.assistant.stream_answer(understood.text)
            try:
                while True:
                    if cancel.is_set():
                        answer.close()  # GeneratorExit inside the HTTP read: the connection is closed
                        outcome["cancelled"] = True
                        return
                    try:
                        clauses.put(next(answer))
                    except StopIteration as done:
                        outcome["reply"] = done.value
                        return
            except Exception as exc:  # reported by the loop thread, not lost in this one
                outcome["error"] = exc
            finally:
                outcome["done"] = time.perf_counter()
                clauses.put(None)

        def pieces():
            while (piece := clauses.get()) is not None:
                yield piece

        worker = threading.Thread(target=work, name="voice-llm", daemon=True)
        worker.start()
        stream = self.synth.stream_tokens(pieces(), cancel=cancel)
        first = next(stream, None)
        ready = time.perf_counter()
        spoke = first is not None
        if spoke:
            self.emit("tts.first_audio", ms=round((ready - t0) * 1000, 1), streamed=True)
            if self.sink is not None:
                self.sink.play(_chain(first, stream))
            else:
                for _ in stream:
                    pass
        v2v = (ready - self.last_speech_wall) * 1000 if spoke and self.last_speech_wall else None
        self._streaming = (worker, outcome, text, now, heard, understood, eou_ms, asr_ms, t0,
                           (ready - t0) * 1000 if spoke else None, v2v, spoke, cancel)
        self._finish_streaming()

    def _finish_streaming(self) -> None:
        if self._streaming is None or self._streaming[0].is_alive() or self._prepared is not None:
            return  # (a prepared reply's transaction is open: record this turn after it, not inside it)
        _, outcome, text, now, heard, understood, eou_ms, asr_ms, t0, tts_ms, v2v, spoke, _ = self._streaming
        self._streaming = None
        if "error" in outcome:
            self.emit("error", message=str(outcome["error"]))
            return
        if "cancelled" in outcome:
            return  # barge-in: the user is already saying something else; nothing is recorded
        turn = self.assistant.ask(text, now, heard=heard, understood=understood, answer=outcome["reply"])
        done = time.perf_counter()
        if not spoke:  # no clause streamed (the model was unreachable, or refused): say the reply as usual
            self._deliver(turn, text, eou_ms, asr_ms, (done - t0) * 1000, done)
            return
        u = turn.understanding
        self.emit("nlu.result", intent=turn.intent.intent, slots=turn.to_dict()["slots"],
                  confidence=turn.intent.confidence, decision=u.decision if u else "heard",
                  understood=u.text if u else text, verify_ms=_r(u.verify_ms) if u else None, prepared=False)
        self.emit("reply.text", text=turn.reply.text, action=turn.reply.action)
        self.emit("turn", transcript=text, intent=turn.intent.intent, slots=dict(turn.intent.slots),
                  reply=turn.reply.text, eou_ms=_r(eou_ms), asr_ms=_r(asr_ms), nlu_ms=None,
                  tts_first_audio_ms=_r(tts_ms), voice_to_voice_ms=_r(v2v), prepared=False, streamed=True)

    def _settle_streaming(self) -> None:
        """Before a new turn: record a finished LLM answer first (turns stay in order), or give up one still
        arriving (the new turn supersedes it; nothing of it is recorded)."""
        if self._streaming is None:
            return
        if self._streaming[0].is_alive():
            self._streaming[-1].set()
            self._streaming = None
        else:
            self._finish_streaming()

    def wait_streaming(self, timeout: float = 60.0) -> None:
        """Until a streaming LLM answer is complete and reported (callers that stop feeding audio)."""
        if self._streaming is not None:
            self._streaming[0].join(timeout)
            self._finish_streaming()

    def _deliver(self, turn, text: str, eou_ms: float | None, asr_ms: float | None, nlu_ms: float,
                 nlu_done: float, prepared: _Prepared | None = None) -> None:
        """Report the turn and speak its reply (the one prepared during the pause, when there is one)."""
        c = self.config
        if c.bias_answers and hasattr(self.asr, "expected"):
            self.asr.expected = tuple(self.assistant.vocabulary.answers(turn.reply.expects))
        u = turn.understanding
        self.emit("nlu.result", intent=turn.intent.intent, slots=turn.to_dict()["slots"],
                  confidence=turn.intent.confidence, decision=u.decision if u else "heard",
                  understood=u.text if u else text, verify_ms=_r(u.verify_ms) if u else None,
                  prepared=prepared is not None)
        self.emit("reply.text", text=turn.reply.text, action=turn.reply.action)
        tts_ms = v2v_ms = None
        if (turn.reply.action or {}).get("type") == "dialog.end":  # "闭嘴" / "退下吧": stop talking, say nothing
            self.cancel_reply()
        if c.speak and self.synth is not None and turn.reply.text:
            if prepared is not None and prepared.stream is not None:
                if self.sink is not None and self.sink.playing():
                    self.cancel_reply()
                self._reply_cancel = prepared.cancel
                first, stream, tts_ms = prepared.first, prepared.stream, prepared.tts_ms
                ready = time.perf_counter()
            else:
                stream = self.synth.stream(turn.reply.text, cancel=self._new_reply())
                first = next(stream, None)
                ready = time.perf_counter()
                tts_ms = (ready - nlu_done) * 1000
            if first is not None:
                v2v_ms = (ready - self.last_speech_wall) * 1000 if self.last_speech_wall else None
                self.emit("tts.first_audio", ms=round(tts_ms, 1))
                if self.sink is not None:
                    self.sink.play(_chain(first, stream))
                else:
                    for _ in stream:
                        pass
        self.emit("turn", transcript=text, intent=turn.intent.intent, slots=dict(turn.intent.slots), reply=turn.reply.text,
                  eou_ms=_r(eou_ms), asr_ms=_r(asr_ms), nlu_ms=_r(nlu_ms),
                  tts_first_audio_ms=_r(tts_ms), voice_to_voice_ms=_r(v2v_ms), prepared=prepared is not None)

    def respond_text(self, text: str) -> None:
        """A typed utterance: answered as a final transcript would be (no recognition latencies)."""
        self._drop_prepared()  # its tentative changes must not mix with this turn's; the spoken one is re-asked
        self.emit("asr.final", text=text, confidence=None, typed=True)
        self.last_speech_wall = None
        self._respond(text, None, None, time.perf_counter(), typed=True)

    def cancel_reply(self) -> None:
        """Barge-in: stop playback and the synthesis behind it (Kokoro and PaddleSpeech also abort a model call
        in progress; other engines finish their current clause or block)."""
        if self.sink is not None:
            self.sink.stop()  # first, so the sink does not take the cut-short stream for a finished reply
        if self._reply_cancel is not None:
            self._reply_cancel.set()

    def _new_reply(self) -> Cancel:
        """A new reply replaces the one playing, if any (one still being synthesized for a sink that is not
        sounding, as in --fast runs, is left to finish)."""
        if self.sink is not None and self.sink.playing():
            self.cancel_reply()
        self._reply_cancel = Cancel()
        return self._reply_cancel

    def speak_fired(self, fired) -> None:
        """An alarm, timer or reminder from the scheduler becomes a spoken turn."""
        self.emit("reply.text", text=fired.text, action={"type": f"{fired.kind}.fire", "id": fired.id})
        if self.config.speak and self.synth is not None and self.sink is not None:
            self.sink.play(iter(self.synth.stream(fired.text, cancel=self._new_reply())))
        self.emit("turn", transcript="", intent=f"{fired.kind}.fire", slots={}, reply=fired.text, eou_ms=None, asr_ms=None,
                  nlu_ms=None, tts_first_audio_ms=None, voice_to_voice_ms=None)


@dataclass
class _Prepared:
    samples: int  # the audio the reply answers (the speculation's end)
    text: str
    turn: object
    nlu_ms: float
    tts_ms: float
    first: object  # the first audio chunk, or None
    stream: object  # the rest of the reply's audio
    cancel: Cancel | None


def _chain(first, rest):
    yield first
    yield from rest


def _r(x: float | None) -> float | None:
    return round(x, 1) if x is not None else None
