"""Core ML export (MIL Builder) and its Linux verification: a tiny synthetic Whisper round trip in both
layouts, a planted LayerNorm bug that the replay level must catch, and the full base encoder export."""

import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("coremltools")

from voice.export.coreml import export, load_program  # noqa: E402
from voice.export.ct2_reader import read_model, write_model  # noqa: E402
from voice.export.reference import encode, encoder_weights, psnr  # noqa: E402
from voice.export.verify import check_contract, graph_level, run_program  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def tiny_whisper(folder: Path, d: int = 16, heads: int = 2, mels: int = 8, layers: int = 2) -> Path:
    rng = np.random.default_rng(0)

    def r(*shape, s=0.3):
        return (rng.standard_normal(shape) * s).astype(np.float16)

    v = {"encoder/num_heads": np.array(heads, np.int16), "encoder/conv1/weight": r(d, mels, 3),
         "encoder/conv1/bias": r(d), "encoder/conv2/weight": r(d, d, 3), "encoder/conv2/bias": r(d),
         "encoder/position_encodings/encodings": r(1500, d), "encoder/layer_norm/gamma": 1 + r(d, s=0.1),
         "encoder/layer_norm/beta": r(d)}
    for i in range(layers):
        p = f"encoder/layer_{i}/"
        v |= {p + "self_attention/layer_norm/gamma": 1 + r(d, s=0.1), p + "self_attention/layer_norm/beta": r(d),
              p + "self_attention/linear_0/weight": r(3 * d, d), p + "self_attention/linear_0/bias": r(3 * d),
              p + "self_attention/linear_1/weight": r(d, d), p + "self_attention/linear_1/bias": r(d),
              p + "ffn/layer_norm/gamma": 1 + r(d, s=0.1), p + "ffn/layer_norm/beta": r(d),
              p + "ffn/linear_0/weight": r(4 * d, d), p + "ffn/linear_0/bias": r(4 * d),
              p + "ffn/linear_1/weight": r(d, 4 * d), p + "ffn/linear_1/bias": r(d)}
    folder.mkdir(parents=True, exist_ok=True)
    write_model(folder / "model.bin", "WhisperSpec", v)
    return folder


def _replay_psnr(package: Path, model_dir: Path) -> float:
    spec, prog = load_program(package)
    mel = np.random.default_rng(1).standard_normal((1, 8, 3000)).astype(np.float32)
    replay = run_program(prog.functions["main"], {"logmel_data": mel})["output"]
    m = read_model(model_dir)
    reference = encode(encoder_weights(m), mel[0], int(m.scalar("encoder/num_heads")))
    return psnr(reference, replay[0])


@pytest.mark.parametrize("layout", ["standard", "ane"])
def test_tiny_model_round_trip(tmp_path, layout):
    model = tiny_whisper(tmp_path / "tiny")
    package = export(model, tmp_path / f"tiny-{layout}.mlpackage", layout=layout, precision="fp32")
    spec, prog = load_program(package)
    contract = check_contract(spec)
    assert contract["status"] == "pass", contract["problems"]
    assert contract["inputs"] == {"logmel_data": [1, 8, 3000]} and contract["outputs"] == {"output": [1, 1500, 16]}
    assert contract["metadata"]["layout"] == layout and len(contract["metadata"]["source_sha256"]) == 64
    graph = graph_level(prog.functions["main"])
    assert graph["status"] == "pass" and "layer_norm" in graph["ops"]
    assert ("linear" in graph["ops"]) == (layout == "standard")
    assert _replay_psnr(package, model) >= 60
    assert not list(tmp_path.glob(".partial-*"))


def test_planted_layernorm_bug_fails_the_replay(tmp_path):
    model = tiny_whisper(tmp_path / "tiny")
    package = export(model, tmp_path / "bug.mlpackage", layout="ane", precision="fp32", planted_bug="layernorm")
    assert _replay_psnr(package, model) < 60


def test_export_of_the_base_encoder_verifies(tmp_path, shared_audio):
    from voice.audio.manifest import read_manifest
    from voice.export.cli import export_coreml

    short = [str(shared_audio / r["file"]) for r in read_manifest(shared_audio)
             if r["kind"] in ("command", "speech") and float(r["duration_s"]) <= 8]
    assert export_coreml(None, str(tmp_path), False, "ane", "fp16", short, part="encoder") == 0
    package = next(tmp_path.glob("*.mlpackage"))
    report = json.loads(Path(str(package) + ".verify.json").read_text())
    levels = report["levels"]
    assert {k: v["status"] for k, v in levels.items()} == {
        "contract": "pass", "graph": "pass", "replay": "pass", "decode": "pass", "coreml": "skipped"}
    assert levels["decode"]["token_identical"] == f"{len(short)}/{len(short)}"
    assert levels["replay"]["min_psnr_db"] >= 35 and report["export_seconds"] < 60


def test_failed_verification_leaves_no_package(tmp_path, monkeypatch):
    import voice.export.coreml as coreml
    from voice.errors import VoiceError
    from voice.export.cli import export_coreml

    real = coreml.export
    monkeypatch.setattr(coreml, "export", lambda *a, **k: real(*a, **{**k, "planted_bug": "layernorm"}))
    with pytest.raises(VoiceError, match="verification failed at replay"):
        export_coreml(None, str(tmp_path / "out"), False, "ane", "fp32", [str(SAMPLES / "cmd_01.wav")], part="encoder")
    assert not list((tmp_path / "out").glob("*.mlpackage"))
    assert list((tmp_path / "out").glob("*.verify.json"))


def test_vad_export_verifies_on_real_audio(tmp_path, shared_audio):
    from voice.audio.manifest import read_manifest
    from voice.export.cli import export_coreml

    files = [str(SAMPLES / "cmd_01.wav")] + [str(shared_audio / r["file"]) for r in read_manifest(shared_audio)
                                             if float(r["duration_s"]) <= 8]
    assert export_coreml(None, str(tmp_path), False, "ane", "fp16", files, part="vad") == 0
    package = tmp_path / "silero-vad-v6-fp16.mlpackage"
    report = json.loads(Path(str(package) + ".verify.json").read_text())
    levels = report["levels"]
    assert {k: v["status"] for k, v in levels.items()} == {
        "contract": "pass", "graph": "pass", "replay": "pass", "decisions": "pass", "coreml": "skipped"}
    assert levels["contract"]["inputs"] == {"input": [1, 576], "h": [1, 128], "c": [1, 128]}
    assert levels["replay"]["max_prob_diff"] <= 0.05 and levels["decisions"]["frames"] > 500
    assert sum(f["speech_frames"] for f in levels["replay"]["files"]) > 100  # real speech was judged


def test_vad_fp32_replay_matches_onnxruntime_and_a_planted_bug_fails(tmp_path):
    from voice.export.silero import export, source_path
    from voice.export.verify_vad import verify_vad

    good = export(tmp_path / "vad.mlpackage", precision="fp32")
    levels = verify_vad(good, source_path(), [SAMPLES / "cmd_26.wav"], "fp32")["levels"]
    assert levels["replay"]["status"] == "pass" and levels["replay"]["max_prob_diff"] <= 1e-4
    bad = export(tmp_path / "bug.mlpackage", precision="fp32", planted_bug="gates")
    levels = verify_vad(bad, source_path(), [SAMPLES / "cmd_26.wav"], "fp32")["levels"]
    assert levels["replay"]["status"] == "fail" and levels["replay"]["max_prob_diff"] > 0.05


def test_vad_reader_rejects_other_files(tmp_path):
    from voice.errors import ModelError
    from voice.export.silero import read_weights, source_path

    (tmp_path / "notes.onnx").write_text("not a model")
    with pytest.raises(ModelError, match="not an ONNX model"):
        read_weights(tmp_path / "notes.onnx")
    (tmp_path / "cut.onnx").write_bytes(source_path().read_bytes()[:5000])
    with pytest.raises(ModelError, match="cut.onnx"):
        read_weights(tmp_path / "cut.onnx")
