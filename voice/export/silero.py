"""Silero VAD v6 (the ONNX model in the faster-whisper wheel) → Core ML `.mlpackage`, one fixed window per call.

Interface: `input` fp32 [1, 576] (64 samples of context + a 512-sample frame at 16 kHz), `h`, `c` fp32 [1, 128]
(LSTM state, zeros at the start of a stream) → `speech_prob` [1, 1], `hn`, `cn` [1, 128]. The caller carries
the state and the last 64 samples, exactly as voice.vad.stream.SileroStream does with onnxruntime.

The graph is rebuilt op by op from the ONNX weights: reflect padding, the STFT as a strided convolution,
magnitude, four convolutions with ReLU, one LSTM step written out as gates (so the replay and the Neural
Engine see plain matmul/sigmoid/tanh), a 1×1 convolution and a sigmoid.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from voice.errors import ModelError

TOOL_VERSION = "voice-export-coreml 1"
WINDOW = 576  # 64 context + 512 new samples
HIDDEN = 128


def source_path() -> Path:
    from faster_whisper.vad import get_assets_path

    return Path(get_assets_path()) / "silero_vad_v6.onnx"


def read_weights(path: str | Path) -> dict[str, np.ndarray]:
    """The initializers of the Silero ONNX graph, checked against the shapes this exporter rebuilds."""
    try:
        import onnx
        from onnx import numpy_helper
    except ImportError as exc:
        raise ModelError(f"the VAD export reads ONNX weights with the onnx package: pip install 'voice[export]' "
                         f"({exc})") from None
    path = Path(path)
    try:
        graph = onnx.load(str(path)).graph
    except Exception as exc:  # noqa: BLE001 - any parse failure means "not this model"
        raise ModelError(f"{path}: not an ONNX model ({exc})") from None
    w = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    lstm = next((n for n in graph.node if n.op_type == "LSTM"), None)
    expected = {"encoder.feature_extractor.forward_basis_buffer": (258, 1, 256),
                "encoder.conv_layers.0.weight": (128, 129, 3), "encoder.conv_layers.1.weight": (64, 128, 3),
                "encoder.conv_layers.2.weight": (64, 64, 3), "encoder.conv_layers.3.weight": (128, 64, 3),
                "decoder.conv1d.weight": (1, 128, 1)}
    for name, shape in expected.items():
        if name not in w or w[name].shape != shape:
            raise ModelError(f"{path}: not the Silero VAD v6 graph ({name} missing or not {shape})")
    if lstm is None:
        raise ModelError(f"{path}: not the Silero VAD v6 graph (no LSTM)")
    w["lstm.W"], w["lstm.R"], w["lstm.B"] = (w[n] for n in lstm.input[1:4])
    return w


def build_program(w: dict[str, np.ndarray], planted_bug: str | None = None):
    """`planted_bug="gates"` swaps the LSTM's forget and output gates: only for proving verification fails."""
    from voice.export.coreml import quiet_coremltools

    ct = quiet_coremltools()
    from coremltools.converters.mil import Builder as mb

    basis = w["encoder.feature_extractor.forward_basis_buffer"]
    bins = basis.shape[0] // 2
    bias_w, bias_r = np.split(w["lstm.B"][0], 2)
    order = ("i", "f", "o", "c") if planted_bug == "gates" else ("i", "o", "f", "c")  # ONNX: i, o, f, c

    @mb.program(input_specs=[mb.TensorSpec(shape=(1, WINDOW)), mb.TensorSpec(shape=(1, HIDDEN)),
                             mb.TensorSpec(shape=(1, HIDDEN))], opset_version=ct.target.iOS16)
    def prog(input, h, c):  # noqa: A002 - the model's own input name
        x = mb.pad(x=input, pad=[0, 0, 128, 128], mode="reflect")
        x = mb.expand_dims(x=x, axes=[1])  # [1, 1, 832]
        spec = mb.conv(x=x, weight=basis, strides=[128], pad_type="valid")  # [1, 258, 5]
        # the first STFT frame is dropped, as in the source graph
        re = mb.slice_by_index(x=spec, begin=[0, 0, 1], end=[1, bins, 5])
        im = mb.slice_by_index(x=spec, begin=[0, bins, 1], end=[1, 2 * bins, 5])
        x = mb.sqrt(x=mb.add(x=mb.mul(x=re, y=re), y=mb.mul(x=im, y=im)))  # [1, 129, 4]
        for i, stride in enumerate((1, 2, 2, 1)):
            x = mb.conv(x=x, weight=w[f"encoder.conv_layers.{i}.weight"], bias=w[f"encoder.conv_layers.{i}.bias"],
                        strides=[stride], pad_type="custom", pad=[1, 1])
            x = mb.relu(x=x)
        x = mb.squeeze(x=x, axes=[2])  # [1, 128]
        gates = mb.add(x=mb.linear(x=x, weight=w["lstm.W"][0], bias=bias_w),
                       y=mb.linear(x=h, weight=w["lstm.R"][0], bias=bias_r))
        parts = dict(zip(order, mb.split(x=gates, num_splits=4, axis=1)))
        c_new = mb.add(x=mb.mul(x=mb.sigmoid(x=parts["f"]), y=c),
                       y=mb.mul(x=mb.sigmoid(x=parts["i"]), y=mb.tanh(x=parts["c"])))
        h_new = mb.mul(x=mb.sigmoid(x=parts["o"]), y=mb.tanh(x=c_new))
        logit = mb.linear(x=mb.relu(x=h_new), weight=w["decoder.conv1d.weight"][:, :, 0],
                          bias=w["decoder.conv1d.bias"])
        return (mb.sigmoid(x=logit, name="speech_prob"), mb.identity(x=h_new, name="hn"),
                mb.identity(x=c_new, name="cn"))

    return prog


def export(out: str | Path, *, source: str | Path | None = None, precision: str = "fp32",
           planted_bug: str | None = None) -> Path:
    """Write the VAD package atomically (built in a temporary folder, moved into place when complete)."""
    from voice.export.coreml import quiet_coremltools, save_atomically

    ct = quiet_coremltools()
    source = Path(source) if source else source_path()
    w = read_weights(source)
    mlmodel = ct.convert(build_program(w, planted_bug), convert_to="mlprogram",
                         minimum_deployment_target=ct.target.iOS16,
                         compute_precision=ct.precision.FLOAT16 if precision == "fp16" else ct.precision.FLOAT32,
                         skip_model_load=True)
    mlmodel.short_description = ("Silero VAD v6, one 32 ms frame at 16 kHz per call (input [1, 576] = 64 context "
                                 "+ 512 new samples; carry h, c and the last 64 samples)")
    mlmodel.user_defined_metadata.update({
        "source_model": source.name, "source_sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
        "tool": TOOL_VERSION, "precision": precision, "sample_rate": "16000", "frame": "512", "context": "64"})
    return save_atomically(mlmodel, out)
