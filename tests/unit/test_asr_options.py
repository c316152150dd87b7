"""What `voice transcribe` decodes with, and the guard for an utterance said twice."""

from voice.asr.whisper import said_twice
from voice.cli import asr_options, build_parser


def _args(*argv):
    return asr_options(build_parser().parse_args(["transcribe", *argv, "x.wav"]))


def test_files_decode_accurately_by_default_and_fast_on_request():
    default = _args()
    assert (default.beam_size, default.full_window_retry, default.pad_with_silence) == (5, True, False)
    fast = _args("--fast")
    assert (fast.beam_size, fast.full_window_retry) == (2, False)
    assert _args("--fast", "--beam-size", "4").beam_size == 4


def test_an_utterance_said_twice_with_a_slip_is_caught():
    assert said_twice("120成以30多手120成以30多少。")
    assert said_twice("打开客厅的灯，打开客厅的灯。")
    assert not said_twice("120乘以30是多少？")
    assert not said_twice("我想问我在滨海新区有房")
    assert not said_twice("好的")
