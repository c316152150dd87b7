"""Whisper encoder → Core ML `.mlpackage` with coremltools' MIL Builder (no torch), from a CTranslate2 model.

Interface (whisper.cpp's): input `logmel_data` fp32 [1, n_mels, 3000] → output `output` fp32 [1, 1500, d_model].
Two layouts: "standard" ((B, T, C) tensors, `linear` ops) and "ane" ((B, C, 1, T) tensors, 1×1 convolutions,
per-head attention with the softmax split per head), the layout Apple recommends for the Neural Engine.
mlprogram, iOS 16 / macOS 13, FP16 weights (`precision="fp32"` keeps float32; `int8=True` adds linear 8-bit
weight quantization).
"""

from __future__ import annotations

import hashlib
import math
import os
import shutil
from pathlib import Path

import numpy as np

from voice.errors import ModelError
from voice.export.ct2_reader import CT2Model, read_model
from voice.export.reference import encoder_weights

TOOL_VERSION = "voice-export-coreml 1"
FRAMES = 3000


def quiet_coremltools():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import logging

    logging.getLogger("coremltools").setLevel(logging.ERROR)
    import coremltools as ct

    return ct


def build_program(weights: dict[str, np.ndarray], num_heads: int, n_mels: int, layout: str = "standard",
                  frames: int = FRAMES, planted_bug: str | None = None):
    """`planted_bug="layernorm"` drops the LayerNorm shift (beta): only for proving the verification fails."""
    ct = quiet_coremltools()
    from coremltools.converters.mil import Builder as mb

    w = weights
    d = w["encoder/conv1/weight"].shape[0]
    hd = d // num_heads
    t = frames // 2
    n_layers = sum(1 for k in w if k.endswith("self_attention/linear_0/weight"))
    scale = np.float32(1.0 / math.sqrt(hd))
    pos = w["encoder/position_encodings/encodings"][:t]

    def ln(x, p, axes):
        beta = np.zeros_like(w[p + "/beta"]) if planted_bug == "layernorm" else w[p + "/beta"]
        return mb.layer_norm(x=x, axes=axes, gamma=w[p + "/gamma"], beta=beta, epsilon=1e-5)

    @mb.program(input_specs=[mb.TensorSpec(shape=(1, n_mels, frames))], opset_version=ct.target.iOS16)
    def prog(logmel_data):
        x = mb.conv(x=logmel_data, weight=w["encoder/conv1/weight"], bias=w["encoder/conv1/bias"],
                    pad_type="custom", pad=[1, 1], strides=[1])
        x = mb.gelu(x=x, mode="EXACT")
        x = mb.conv(x=x, weight=w["encoder/conv2/weight"], bias=w["encoder/conv2/bias"], pad_type="custom",
                    pad=[1, 1], strides=[2])
        x = mb.gelu(x=x, mode="EXACT")  # [1, D, T]
        if layout == "standard":
            x = mb.transpose(x=x, perm=[0, 2, 1])
            x = mb.add(x=x, y=pos[None])
            for i in range(n_layers):
                p = f"encoder/layer_{i}/"
                h = ln(x, p + "self_attention/layer_norm", [-1])
                qkv = mb.linear(x=h, weight=w[p + "self_attention/linear_0/weight"],
                                bias=w[p + "self_attention/linear_0/bias"])
                q, k, v = mb.split(x=qkv, num_splits=3, axis=-1)
                heads = [mb.transpose(x=mb.reshape(x=z, shape=[1, t, num_heads, hd]), perm=[0, 2, 1, 3])
                         for z in (q, k, v)]
                s = mb.mul(x=mb.matmul(x=heads[0], y=heads[1], transpose_y=True), y=scale)
                a = mb.matmul(x=mb.softmax(x=s, axis=-1), y=heads[2])
                a = mb.reshape(x=mb.transpose(x=a, perm=[0, 2, 1, 3]), shape=[1, t, d])
                x = mb.add(x=x, y=mb.linear(x=a, weight=w[p + "self_attention/linear_1/weight"],
                                            bias=w[p + "self_attention/linear_1/bias"]))
                h = ln(x, p + "ffn/layer_norm", [-1])
                h = mb.gelu(x=mb.linear(x=h, weight=w[p + "ffn/linear_0/weight"], bias=w[p + "ffn/linear_0/bias"]),
                            mode="EXACT")
                x = mb.add(x=x, y=mb.linear(x=h, weight=w[p + "ffn/linear_1/weight"], bias=w[p + "ffn/linear_1/bias"]))
            out = ln(x, "encoder/layer_norm", [-1])
        else:  # ANE layout: (B, C, 1, T), 1×1 convolutions, attention per head
            x = mb.expand_dims(x=x, axes=[2])
            x = mb.add(x=x, y=pos.T[None, :, None, :])

            def conv1x1(z, name):
                wt = w[name + "/weight"]
                return mb.conv(x=z, weight=wt[:, :, None, None], bias=w[name + "/bias"])

            for i in range(n_layers):
                p = f"encoder/layer_{i}/"
                h = ln(x, p + "self_attention/layer_norm", [1])
                qkv = conv1x1(h, p + "self_attention/linear_0")
                q, k, v = mb.split(x=qkv, num_splits=3, axis=1)
                qs = mb.split(x=q, num_splits=num_heads, axis=1)
                ks = mb.split(x=k, num_splits=num_heads, axis=1)
                vs = mb.split(x=v, num_splits=num_heads, axis=1)
                outs = []
                for qh, kh, vh in zip(qs, ks, vs):
                    # [1, hd, 1, T] → scores [1, T, 1, T] via einsum-like matmul on squeezed views
                    qh2 = mb.squeeze(x=qh, axes=[2])  # [1, hd, T]
                    kh2 = mb.squeeze(x=kh, axes=[2])
                    vh2 = mb.squeeze(x=vh, axes=[2])
                    s = mb.mul(x=mb.matmul(x=qh2, y=kh2, transpose_x=True), y=scale)  # [1, T, T]
                    pr = mb.softmax(x=s, axis=-1)
                    o = mb.matmul(x=vh2, y=pr, transpose_y=True)  # [1, hd, T]
                    outs.append(mb.expand_dims(x=o, axes=[2]))
                a = mb.concat(values=outs, axis=1)
                x = mb.add(x=x, y=conv1x1(a, p + "self_attention/linear_1"))
                h = ln(x, p + "ffn/layer_norm", [1])
                h = mb.gelu(x=conv1x1(h, p + "ffn/linear_0"), mode="EXACT")
                x = mb.add(x=x, y=conv1x1(h, p + "ffn/linear_1"))
            x = ln(x, "encoder/layer_norm", [1])
            out = mb.transpose(x=mb.squeeze(x=x, axes=[2]), perm=[0, 2, 1])
        return mb.identity(x=out, name="output")

    return prog


def export(model_dir: str | Path, out: str | Path, *, layout: str = "ane", precision: str = "fp16",
           int8: bool = False, frames: int = FRAMES, planted_bug: str | None = None) -> Path:
    """Write `out` (.mlpackage) atomically: built in a temporary folder, moved into place when complete."""
    ct = quiet_coremltools()
    model = read_model(model_dir)
    weights = encoder_weights(model)
    if "encoder/conv1/weight" not in weights:
        raise ModelError(f"{model.path}: no Whisper encoder weights")
    heads = int(model.scalar("encoder/num_heads"))
    n_mels = weights["encoder/conv1/weight"].shape[1]
    prog = build_program(weights, heads, n_mels, layout, frames, planted_bug)
    mlmodel = ct.convert(prog, convert_to="mlprogram", minimum_deployment_target=ct.target.iOS16,
                         compute_precision=ct.precision.FLOAT16 if precision == "fp16" else ct.precision.FLOAT32,
                         skip_model_load=True)
    if int8:
        from coremltools.optimize.coreml import OpLinearQuantizerConfig, OptimizationConfig, linear_quantize_weights

        mlmodel = linear_quantize_weights(mlmodel, OptimizationConfig(
            global_config=OpLinearQuantizerConfig(mode="linear_symmetric", dtype="int8")))
    sha = hashlib.sha256(model.path.read_bytes()).hexdigest()
    mlmodel.short_description = "Whisper encoder (logmel_data [1, n_mels, 3000] → output [1, 1500, d_model])"
    mlmodel.user_defined_metadata.update({
        "source_model": str(model.path.parent.name), "source_sha256": sha, "tool": TOOL_VERSION,
        "layout": layout, "precision": "int8" if int8 else precision, "num_heads": str(heads)})
    return save_atomically(mlmodel, out)


def save_atomically(mlmodel, out: str | Path) -> Path:
    """Save into a temporary folder next to `out` and move it into place only when complete."""
    out = Path(out)
    tmp = out.with_name(".partial-" + out.name)
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        mlmodel.save(str(tmp))
        shutil.rmtree(out, ignore_errors=True)
        os.replace(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def load_program(package: str | Path):
    """The saved MIL program (weights included), re-read from disk."""
    ct = quiet_coremltools()
    from coremltools.converters.mil.frontend.milproto.load import load as load_milproto

    package = Path(package)
    spec = ct.utils.load_spec(str(package))
    weights_dir = package / "Data" / "com.apple.CoreML" / "weights"
    return spec, load_milproto(spec, spec.specificationVersion, str(weights_dir))


def source_model(model: CT2Model) -> str:
    return model.spec
