from voice.vad.silero import merge_regions


def test_merge_neighbours_within_limits():
    regions = [(0, 100), (150, 300), (1000, 1100), (1120, 2000)]
    assert merge_regions(regions, max_len=1000, max_gap=100) == [(0, 300), (1000, 2000)]


def test_merge_respects_max_len():
    assert merge_regions([(0, 600), (650, 1200)], max_len=1000, max_gap=100) == [(0, 600), (650, 1200)]


def test_merge_empty():
    assert merge_regions([], max_len=10, max_gap=10) == []
