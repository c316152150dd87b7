"""The endpointing state machine (voice.vad.endpoint) on synthetic VAD sequences (32 ms frames)."""

from voice.vad.endpoint import EndpointConfig, Endpointer

C = EndpointConfig(frame_ms=32, pre_roll_ms=320, min_speech_ms=96, end_silence_ms=480, max_utterance_s=2.0,
                   no_speech_timeout_s=1.0)


def run(seq, config=C):
    ep = Endpointer(config)
    out = []
    for x in seq:
        out += ep.step(bool(x))
    return out


def types(events):
    return [e.type for e in events]


def test_speech_then_silence():
    ev = run([0] * 20 + [1] * 30 + [0] * 20)
    assert types(ev) == ["speech.start", "silence.started", "speech.end"]
    start, _, end = ev
    assert start.frame == 22  # 3 speech frames (96 ms) confirm the start
    assert start.start_frame == 20 - 10  # 320 ms pre-roll before the first speech frame
    assert end.frame == 49 + 15 and end.last_speech_frame == 49  # 480 ms = 15 silent frames


def test_pre_roll_is_clamped_at_the_stream_start():
    ev = run([1] * 5 + [0] * 20)
    assert ev[0].start_frame == 0


def test_blips_shorter_than_min_speech_are_ignored():
    assert types(run([0, 1, 1, 0, 1, 0, 0] * 3)) == []


def test_short_pause_does_not_end_the_utterance():
    ev = run([1] * 10 + [0] * 10 + [1] * 10 + [0] * 16)
    assert types(ev) == ["speech.start", "silence.started", "speech.resumed", "silence.started", "speech.end"]


def test_max_utterance_length_ends_it():
    ev = run([1] * 100)
    ends = [e for e in ev if e.type == "speech.end"]
    assert len(ends) >= 1 and ends[0].frame - ends[0].start_frame + 1 == round(2000 / 32)


def test_no_speech_timeout_fires_once():
    ev = run([0] * 100)
    assert types(ev) == ["timeout"] and ev[0].frame == round(1000 / 32) - 1


def test_two_utterances():
    ev = run([1] * 10 + [0] * 20 + [1] * 10 + [0] * 20)
    assert types(ev).count("speech.start") == 2 and types(ev).count("speech.end") == 2


def test_after_a_forced_end_the_next_utterance_does_not_reuse_audio():
    ev = run([1] * 100)
    ends = [e for e in ev if e.type == "speech.end"]
    starts = [e for e in ev if e.type == "speech.start"]
    assert len(starts) >= 2 and starts[1].start_frame == ends[0].frame + 1


def _wait_after(silent_frames: int, wait_ms: float | None, then: list[int]):
    """Speech, `silent_frames` of silence, then a wait(...) call, then `then`; returns the events after the call."""
    ep = Endpointer(C)
    for x in [1] * 10 + [0] * silent_frames:
        ep.step(bool(x))
    ep.wait(wait_ms)
    out = []
    for x in then:
        out += ep.step(bool(x))
    return ep, out


def test_a_short_wait_ends_the_pause_early():
    # 5 silent frames (160 ms) so far; 200 ms = 6 frames ends it on the next one
    _, ev = _wait_after(5, 200, [0] * 3)
    assert types(ev) == ["speech.end"] and ev[0].frame == 9 + 6


def test_a_long_wait_outlasts_the_fixed_rule():
    _, ev = _wait_after(5, 900, [0] * 20)  # 480 ms would have ended at frame 15 of silence
    assert types(ev) == []
    _, ev = _wait_after(5, 900, [0] * 30)
    assert types(ev) == ["speech.end"] and ev[0].frame == 9 + 28  # 900 ms = 28 frames


def test_a_wait_already_passed_ends_at_the_next_frame():
    _, ev = _wait_after(8, 200, [0])
    assert types(ev) == ["speech.end"]


def test_the_wait_is_capped():
    _, ev = _wait_after(5, 60_000, [0] * 60)
    assert types(ev) == ["speech.end"] and ev[0].frame == 9 + 47  # max_end_silence_ms 1500 = 47 frames


def test_speech_resuming_restores_the_usual_silence():
    ep, ev = _wait_after(5, 200, [1] * 3 + [0] * 14)
    assert types(ev) == ["speech.resumed", "silence.started"]  # 14 frames < 15: not ended yet
    assert types(ep.step(False)) == ["speech.end"]
