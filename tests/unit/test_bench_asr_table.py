"""`voice bench asr` puts the clips where this engine is worse first, whatever the corpus average says."""

from pathlib import Path

from voice.bench.asr import per_clip, score

ROWS = [{"file": "a.wav", "kind": "speech", "transcript": "今天天气很好"},
        {"file": "b.wav", "kind": "command", "transcript": "打开客厅的灯"},
        {"file": "c.wav", "kind": "speech", "transcript": "我们下午三点开会"},
        {"file": "n.wav", "kind": "noise", "transcript": ""}]


def _run(texts):
    return {"texts": {f"/x/{k}": v for k, v in texts.items()}, "durations": {"/x/a.wav": 1.0}, "wall": 1.0,
            "peak_rss_mb": 1.0}


def test_the_clips_where_ours_is_worse_come_first():
    plain = score(ROWS, Path("/x"), _run({"a.wav": "今天天气很好", "b.wav": "打开客厅的动", "c.wav": "我们下午三点开会"}))
    ours = score(ROWS, Path("/x"), _run({"a.wav": "今天天气很好", "b.wav": "打开客厅的灯", "c.wav": "我们下午开会",
                                         "n.wav": "字幕"}))
    table = per_clip(ROWS, plain, ours)
    assert [c["file"] for c in table] == ["c.wav", "a.wav", "b.wav"]  # worse, equal, better
    assert table[0]["delta"] > 0 and table[-1]["delta"] < 0
    assert ours["noise_clips_with_output"] == 1 and "n.wav" not in {c["file"] for c in table}
