"""Verification of an exported encoder on Linux, in levels, written as JSON next to the package.

- contract: input/output names, shapes, dtypes, metadata, deployment target;
- graph: op inventory, weight precision, a Neural-Engine lint (allowed ops, dimension limits);
- replay: the saved MIL program and weights re-read from disk and evaluated here in numpy (`run_program`),
  compared with CTranslate2's own encoder on real audio (PSNR);
- decode: the replayed encoder output fed to CTranslate2's decoder gives the same tokens as CTranslate2 alone;
- coreml: compile and predict with Core ML itself — only on macOS; "skipped: requires macOS" elsewhere.
"""

from __future__ import annotations

import json
import platform
from collections import Counter
from pathlib import Path

import numpy as np

# A lint, not a proof: ops the Neural Engine is documented/observed to run; anything else is flagged.
ANE_OPS = {"const", "conv", "gelu", "transpose", "linear", "reshape", "add", "mul", "sub", "real_div",
           "layer_norm", "matmul", "softmax", "split", "concat", "expand_dims", "squeeze", "identity", "cast",
           "constexpr_affine_dequantize", "relu", "sigmoid", "tanh", "sqrt", "pad", "slice_by_index"}
ANE_MAX_DIM = 16384
PSNR_MIN = {"fp32": 60.0, "fp16": 35.0, "int8": 25.0}


# --- a numpy interpreter for the MIL ops the exporter writes ------------------------------------------

def _val(var, env):
    if isinstance(var, (list, tuple)):
        return [_val(v, env) for v in var]
    if var.name in env:
        return env[var.name]
    if var.val is not None:
        return np.asarray(var.val)
    raise KeyError(f"no value for {var.name}")


def _conv(x, w, b, strides, pad):
    if x.ndim == 4 and w.shape[2:] == (1, 1):
        y = np.einsum("bchw,oc->bohw", x, w[:, :, 0, 0], optimize=True)
        return y + (b[None, :, None, None] if b is not None else 0)
    stride = int(strides[0])
    _, c, t = x.shape
    k = w.shape[-1]
    xp = np.pad(x[0], ((0, 0), (int(pad[0]), int(pad[1]))))
    t_out = (xp.shape[1] - k) // stride + 1
    cols = np.stack([xp[:, j:j + stride * (t_out - 1) + 1:stride] for j in range(k)], axis=-1)
    y = np.einsum("ctk,ock->ot", cols, w, optimize=True)
    return (y + (b[:, None] if b is not None else 0))[None]


def _gelu(x, mode):
    from scipy.special import erf

    if mode == "EXACT":
        return (0.5 * x * (1 + erf(x.astype(np.float64) / np.sqrt(2)))).astype(x.dtype)
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))


def _is_fp16(var) -> bool:
    from coremltools.converters.mil.mil import types

    try:
        return var.dtype == types.fp16
    except AttributeError:
        return False


def run_program(function, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    env: dict[str, np.ndarray] = dict(inputs)
    for op in function.operations:
        a = {k: _val(v, env) for k, v in op.inputs.items()}
        t = op.op_type
        if t == "const":
            out = [np.asarray(op.outputs[0].val)]
        elif t == "constexpr_affine_dequantize":
            q, zp, sc, axis = a["quantized_data"], a["zero_point"], a["scale"], int(a["axis"])
            shape = [1] * q.ndim
            shape[axis] = -1
            zp = zp.reshape(shape) if np.ndim(zp) else zp
            sc = sc.reshape(shape) if np.ndim(sc) else sc
            out = [((q.astype(np.float32) - zp) * sc).astype(np.float32)]
        elif t == "cast":
            out = [a["x"].astype(np.int32) if str(a["dtype"]) == "int32" else a["x"].astype(np.float32)]
        elif t == "conv":
            out = [_conv(a["x"], a["weight"], a.get("bias"), a.get("strides", [1]), a.get("pad", [0, 0]))
                   .astype(a["x"].dtype)]
        elif t == "gelu":
            out = [_gelu(a["x"], str(a.get("mode", "EXACT")))]
        elif t == "linear":
            y = a["x"] @ a["weight"].T
            out = [(y + a["bias"]) if a.get("bias") is not None else y]
        elif t == "layer_norm":
            x = a["x"].astype(np.float32)
            axes = tuple(int(i) for i in a["axes"])
            m = x.mean(axes, keepdims=True)
            var = ((x - m) ** 2).mean(axes, keepdims=True)
            y = (x - m) / np.sqrt(var + float(a.get("epsilon", 1e-5)))
            shape = [1] * x.ndim
            for ax in axes:
                shape[ax] = x.shape[ax]
            y = y * a["gamma"].reshape(shape) + a["beta"].reshape(shape)
            out = [y.astype(a["x"].dtype)]
        elif t == "matmul":
            x, y = a["x"], a["y"]
            if a.get("transpose_x"):
                x = np.swapaxes(x, -1, -2)
            if a.get("transpose_y"):
                y = np.swapaxes(y, -1, -2)
            out = [x @ y]
        elif t == "softmax":
            x = a["x"].astype(np.float32)
            ax = int(a["axis"])
            e = np.exp(x - x.max(ax, keepdims=True))
            out = [(e / e.sum(ax, keepdims=True)).astype(a["x"].dtype)]
        elif t == "split":
            if a.get("split_sizes") is not None:
                idx = np.cumsum(a["split_sizes"])[:-1]
                out = np.split(a["x"], idx, axis=int(a["axis"]))
            else:
                out = np.split(a["x"], int(a["num_splits"]), axis=int(a["axis"]))
        elif t == "reshape":
            out = [a["x"].reshape([int(s) for s in a["shape"]])]
        elif t == "transpose":
            out = [np.transpose(a["x"], [int(p) for p in a["perm"]])]
        elif t in ("add", "mul", "sub", "real_div"):
            f = {"add": np.add, "mul": np.multiply, "sub": np.subtract, "real_div": np.divide}[t]
            out = [f(a["x"], a["y"]).astype(np.result_type(a["x"], a["y"]))]
        elif t == "expand_dims":
            out = [np.expand_dims(a["x"], tuple(int(i) for i in a["axes"]))]
        elif t == "squeeze":
            out = [np.squeeze(a["x"], tuple(int(i) for i in a["axes"]))]
        elif t == "concat":
            out = [np.concatenate(a["values"], axis=int(a["axis"]))]
        elif t == "identity":
            out = [a["x"]]
        elif t in ("relu", "sigmoid", "tanh", "sqrt"):
            x = a["x"]
            f = {"relu": lambda v: np.maximum(v, 0), "sigmoid": lambda v: 1 / (1 + np.exp(-v)), "tanh": np.tanh,
                 "sqrt": np.sqrt}[t]
            out = [f(x.astype(np.float32)).astype(x.dtype)]
        elif t == "pad":
            pad = np.asarray(a["pad"], int).reshape(-1, 2)
            widths = [(0, 0)] * (a["x"].ndim - len(pad)) + [tuple(p) for p in pad]
            mode = str(a.get("mode", "constant"))
            out = [np.pad(a["x"], widths, mode=mode) if mode != "constant"
                   else np.pad(a["x"], widths, constant_values=float(a.get("constant_val", 0.0)))]
        elif t == "slice_by_index":
            out = [a["x"][tuple(slice(int(b), int(e)) for b, e in zip(a["begin"], a["end"]))]]
        else:
            raise NotImplementedError(f"replay: op {t} is not implemented")
        for var, value in zip(op.outputs, out):
            value = np.asarray(value)
            if value.dtype == np.float16 or _is_fp16(var):
                # fp16 is emulated: values rounded to half precision, arithmetic in float32 (numpy has no
                # fast half-precision matmul)
                value = value.astype(np.float16).astype(np.float32)
            env[var.name] = value
    return {v.name: env[v.name] for v in function.outputs}


# --- levels -------------------------------------------------------------------------------------------

def contract_level(spec, interface_problems, metadata_keys=("source_model", "source_sha256", "tool")) -> dict:
    """The contract level of any exported package: `interface_problems(inputs, outputs)` lists what is wrong
    with the names and shapes; metadata keys and the deployment target are checked here."""
    desc = spec.description
    inputs = {i.name: list(i.type.multiArrayType.shape) for i in desc.input}
    outputs = {o.name: list(o.type.multiArrayType.shape) for o in desc.output}
    meta = dict(desc.metadata.userDefined)
    problems = list(interface_problems(inputs, outputs))
    problems += [f"metadata {key} missing" for key in metadata_keys if key not in meta]
    if spec.specificationVersion < 7:
        problems.append(f"specification version {spec.specificationVersion} is below iOS 16 (7)")
    return {"status": "fail" if problems else "pass", "problems": problems, "inputs": inputs,
            "outputs": outputs, "metadata": meta, "specification_version": spec.specificationVersion}


def check_contract(spec) -> dict:
    def interface(inputs, outputs):
        if list(inputs) != ["logmel_data"] or inputs["logmel_data"][0] != 1 or inputs["logmel_data"][2] != 3000:
            yield f"input {inputs} is not logmel_data [1, n_mels, 3000]"
        if list(outputs) != ["output"]:
            yield f"outputs {list(outputs)} are not ['output']"

    return contract_level(spec, interface)


def graph_level(function) -> dict:
    ops = Counter(op.op_type for op in function.operations)
    precisions = Counter()
    problems = []
    for op in function.operations:
        for var in op.outputs:
            shape = getattr(var, "shape", ()) or ()
            if any(isinstance(s, int) and s > ANE_MAX_DIM for s in shape):
                problems.append(f"{op.op_type} {var.name} has a dimension above {ANE_MAX_DIM}: {shape}")
        if op.op_type in ("const", "constexpr_affine_dequantize") and op.outputs[0].val is not None:
            val = np.asarray(op.outputs[0].val)
            if val.size >= 1024:
                precisions[str(val.dtype)] += val.size
    unsupported = sorted(set(ops) - ANE_OPS)
    if unsupported:
        problems.append(f"ops outside the Neural Engine allow-list: {unsupported}")
    return {"status": "fail" if problems else "pass", "problems": problems, "ops": dict(ops.most_common()),
            "weight_values_by_dtype": dict(precisions)}


def verify(package: str | Path, model_dir: str | Path, audio_files: list[str | Path],
           precision: str = "fp32") -> dict:
    """Run every level; the report is also written to `<package>.verify.json`."""
    import ctranslate2

    from voice.asr.types import ASROptions
    from voice.asr.whisper import WhisperASR
    from voice.audio.load import load_audio
    from voice.export.coreml import load_program
    from voice.export.reference import psnr

    package = Path(package)
    spec, prog = load_program(package)
    function = prog.functions["main"]
    levels: dict = {"contract": check_contract(spec), "graph": graph_level(function)}
    engine = WhisperASR(ASROptions(model=str(model_dir), compute_type="float32"))
    psnrs, same, details = [], 0, []
    for path in audio_files:
        audio = load_audio(str(path))
        feats, _ = engine._features([audio], None)
        ct2_out = np.array(engine.ct2.encode(ctranslate2.StorageView.from_array(feats), to_cpu=True))
        replay = run_program(function, {"logmel_data": feats.astype(np.float32)})["output"].astype(np.float32)
        psnrs.append(psnr(ct2_out[0], replay[0]))
        prompt = engine._prompt(())
        tokens = {}
        for name, enc in (("ct2", ct2_out), ("replay", replay)):
            r = engine.ct2.generate(ctranslate2.StorageView.from_array(np.ascontiguousarray(enc)), [prompt],
                                    beam_size=1, max_length=len(prompt) + 64, suppress_tokens=engine.suppress)
            tokens[name] = r[0].sequences_ids[0]
        same += tokens["ct2"] == tokens["replay"]
        details.append({"file": Path(path).name, "psnr_db": round(psnrs[-1], 2),
                        "tokens_identical": tokens["ct2"] == tokens["replay"],
                        "text": engine.tokenizer.decode(tokens["replay"]).strip()})
    threshold = PSNR_MIN[precision]
    levels["replay"] = {"status": "pass" if psnrs and min(psnrs) >= threshold else "fail",
                        "min_psnr_db": round(min(psnrs), 2) if psnrs else None, "threshold_db": threshold,
                        "files": details}
    levels["decode"] = {"status": "pass" if psnrs and same == len(psnrs) else "fail",
                        "token_identical": f"{same}/{len(psnrs)}"}
    if platform.system() == "Darwin":
        levels["coreml"] = _coreml_on_mac(package, audio_files, engine)
    else:
        levels["coreml"] = {"status": "skipped", "reason": "requires macOS (Core ML compiles and runs only there)"}
    report = {"package": str(package), "levels": levels}
    Path(str(package) + ".verify.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    return report


def _coreml_on_mac(package, audio_files, engine) -> dict:  # pragma: no cover - macOS only
    import coremltools as ct

    try:
        model = ct.models.MLModel(str(package))
        audio = __import__("voice.audio.load", fromlist=["load_audio"]).load_audio(str(audio_files[0]))
        feats, _ = engine._features([audio], None)
        out = model.predict({"logmel_data": feats.astype(np.float32)})["output"]
        return {"status": "pass", "output_shape": list(out.shape)}
    except Exception as exc:  # noqa: BLE001 - any Core ML failure is a failed level
        return {"status": "fail", "error": str(exc)}
