import json

from voice.asr.types import Segment, Transcript
from voice.batch.formats import render

T = Transcript(text="你好。世界\t很大。", duration=65.5, source="a.wav", segments=[
    Segment(0.5, 1.25, "你好。", 0.9), Segment(61.0, 65.5, "世界\t很大。", 0.8)])


def test_srt():
    assert render(T, "srt") == ("1\n00:00:00,500 --> 00:00:01,250\n你好。\n\n"
                                "2\n00:01:01,000 --> 00:01:05,500\n世界\t很大。\n")


def test_vtt():
    out = render(T, "vtt")
    assert out.startswith("WEBVTT\n\n00:00:00.500 --> 00:00:01.250\n你好。\n")


def test_tsv_is_one_line_per_segment():
    assert render(T, "tsv") == "start\tend\ttext\n500\t1250\t你好。\n61000\t65500\t世界 很大。\n"


def test_json_round_trip():
    data = json.loads(render(T, "json"))
    assert data["text"] == T.text and data["source"] == "a.wav"
    assert data["segments"][1]["start"] == 61.0 and data["segments"][1]["confidence"] == 0.8


def test_txt():
    assert render(T, "txt") == T.text + "\n"
