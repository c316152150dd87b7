"""The CTranslate2 model.bin reader on synthetic files, and its errors on bad input."""

import numpy as np
import pytest

from voice.errors import ModelError
from voice.export.ct2_reader import read_model, write_model


def test_round_trip_with_dtypes_scales_and_aliases(tmp_path):
    w8 = np.array([[10, -20], [30, 40]], np.int8)
    scale = np.array([10.0, 20.0], np.float32)
    write_model(tmp_path / "model.bin", "WhisperSpec", {
        "encoder/num_heads": np.array(8, np.int16),
        "encoder/conv1/weight": np.arange(6, dtype=np.float16).reshape(2, 1, 3),
        "decoder/x/weight": w8, "decoder/x/weight_scale": scale,
        "encoder/f32": np.ones((3,), np.float32)}, aliases={"decoder/alias": "encoder/f32"})
    m = read_model(tmp_path)
    assert (m.version, m.spec, m.revision) == (6, "WhisperSpec", 3)
    assert m.scalar("encoder/num_heads") == 8
    assert m.weight("encoder/conv1/weight").dtype == np.float32
    assert np.allclose(m.weight("encoder/conv1/weight").reshape(-1), np.arange(6))
    assert np.allclose(m.weight("decoder/x/weight"), [[1, -2], [1.5, 2]])
    assert np.array_equal(m.get("decoder/alias"), np.ones(3))


def test_reads_the_embedded_model_header(tmp_path):
    from voice.models.store import resolve_asr_model

    m = read_model(resolve_asr_model(None))
    assert m.spec == "WhisperSpec" and m.scalar("encoder/num_heads") == 8
    assert m.weight("encoder/conv1/weight").shape == (512, 80, 3)


def test_not_a_model(tmp_path):
    (tmp_path / "model.bin").write_text("hello, I am a text file")
    with pytest.raises(ModelError, match="not a CTranslate2 model.bin"):
        read_model(tmp_path / "model.bin")


def test_truncated(tmp_path):
    write_model(tmp_path / "model.bin", "WhisperSpec", {"encoder/w": np.ones((64, 64), np.float32)})
    data = (tmp_path / "model.bin").read_bytes()
    (tmp_path / "model.bin").write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelError, match="truncated"):
        read_model(tmp_path)


def test_unsupported_architecture(tmp_path):
    write_model(tmp_path / "model.bin", "TransformerSpec", {"encoder/w": np.ones(2, np.float32)})
    with pytest.raises(ModelError, match="unsupported architecture 'TransformerSpec'"):
        read_model(tmp_path)


def test_missing_file(tmp_path):
    with pytest.raises(ModelError, match="cannot read"):
        read_model(tmp_path)
