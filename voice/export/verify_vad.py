"""Verification of the exported Silero VAD on Linux, in the same levels as the encoder's.

- contract: input/output names and shapes, metadata, deployment target;
- graph: op inventory, weight precision, the Neural-Engine lint;
- replay: the saved program re-read from disk and run here in numpy frame by frame over real audio, the LSTM
  state carried between frames, against onnxruntime running the source ONNX model with its own state;
  the largest probability difference must stay under PROB_TOL;
- decisions: speech/non-speech at the streaming threshold (0.5) identical on at least DECISION_MIN of frames;
- coreml: prediction with Core ML itself, only on macOS.
"""

from __future__ import annotations

import json
import platform
from pathlib import Path

import numpy as np

from voice.export.silero import HIDDEN, WINDOW
from voice.export.verify import contract_level, graph_level, run_program

PROB_TOL = {"fp32": 1e-4, "fp16": 5e-2}  # fp16: measured up to 0.03 after 7 s of carried LSTM state
DECISION_MIN = 0.995
FRAME = 512
CONTEXT = WINDOW - FRAME


def _contract(spec) -> dict:
    def interface(inputs, outputs):
        if inputs != {"input": [1, WINDOW], "h": [1, HIDDEN], "c": [1, HIDDEN]}:
            yield f"inputs {inputs} are not input [1, {WINDOW}], h/c [1, {HIDDEN}]"
        if sorted(outputs) != ["cn", "hn", "speech_prob"]:
            yield f"outputs {sorted(outputs)} are not speech_prob, hn, cn"

    return contract_level(spec, interface, ("source_model", "source_sha256", "tool", "sample_rate"))


def _frames(audio: np.ndarray):
    context = np.zeros(CONTEXT, np.float32)
    for start in range(0, audio.size - FRAME + 1, FRAME):
        frame = audio[start:start + FRAME]
        yield np.concatenate([context, frame])[None, :]
        context = frame[-CONTEXT:]


def probabilities(step, audio: np.ndarray) -> np.ndarray:
    """Speech probability per 32 ms frame; `step(window, h, c) -> (prob, h, c)` carries the state."""
    h = np.zeros((1, HIDDEN), np.float32)
    c = np.zeros((1, HIDDEN), np.float32)
    out = []
    for window in _frames(audio):
        p, h, c = step(window, h, c)
        out.append(p)
    return np.asarray(out, np.float32)


def onnx_step(source: str | Path):
    import onnxruntime as ort

    session = ort.InferenceSession(str(source), providers=["CPUExecutionProvider"])

    def step(window, h, c):
        p, hn, cn = session.run(None, {"input": window, "h": h[None], "c": c[None]})
        return float(np.asarray(p).reshape(-1)[0]), hn[0], cn[0]

    return step


def replay_step(function):
    def step(window, h, c):
        r = run_program(function, {"input": window, "h": h, "c": c})
        return float(r["speech_prob"].reshape(-1)[0]), r["hn"].astype(np.float32), r["cn"].astype(np.float32)

    return step


def verify_vad(package: str | Path, source: str | Path, audio_files: list[str | Path], precision: str = "fp32") -> dict:
    """Run every level; the report is also written to `<package>.verify.json`."""
    from voice.audio.load import load_audio
    from voice.export.coreml import load_program

    package = Path(package)
    spec, prog = load_program(package)
    function = prog.functions["main"]
    levels: dict = {"contract": _contract(spec), "graph": graph_level(function)}
    reference, replay = onnx_step(source), replay_step(function)
    diffs, agree, total, details = [], 0, 0, []
    for path in audio_files:
        audio = load_audio(str(path))
        ref, rep = probabilities(reference, audio), probabilities(replay, audio)
        diff = float(np.abs(ref - rep).max()) if ref.size else 0.0
        same = int(np.sum((ref > 0.5) == (rep > 0.5)))
        diffs.append(diff)
        agree += same
        total += ref.size
        details.append({"file": Path(path).name, "frames": int(ref.size), "max_prob_diff": round(diff, 6),
                        "speech_frames": int(np.sum(ref > 0.5)), "decisions_identical": same == ref.size})
    tol = PROB_TOL.get(precision, PROB_TOL["fp16"])
    levels["replay"] = {"status": "pass" if diffs and max(diffs) <= tol else "fail",
                        "max_prob_diff": round(max(diffs), 6) if diffs else None, "tolerance": tol,
                        "files": details}
    share = agree / total if total else 0.0
    levels["decisions"] = {"status": "pass" if total and share >= DECISION_MIN else "fail",
                           "identical_share": round(share, 5), "frames": total, "minimum": DECISION_MIN}
    if platform.system() == "Darwin":  # pragma: no cover - macOS only
        levels["coreml"] = _coreml_on_mac(package, audio_files)
    else:
        levels["coreml"] = {"status": "skipped", "reason": "requires macOS (Core ML compiles and runs only there)"}
    report = {"package": str(package), "levels": levels}
    Path(str(package) + ".verify.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    return report


def _coreml_on_mac(package, audio_files) -> dict:  # pragma: no cover - macOS only
    import coremltools as ct

    from voice.audio.load import load_audio

    try:
        model = ct.models.MLModel(str(package))

        def step(window, h, c):
            r = model.predict({"input": window, "h": h, "c": c})
            return float(np.asarray(r["speech_prob"]).reshape(-1)[0]), r["hn"], r["cn"]

        probs = probabilities(step, load_audio(str(audio_files[0])))
        return {"status": "pass", "frames": int(probs.size)}
    except Exception as exc:  # noqa: BLE001 - any Core ML failure is a failed level
        return {"status": "fail", "error": str(exc)}
