"""Whisper's encoder in numpy, from a CTranslate2 model: the reference the Core ML export is checked against
(and, run on the exported weights, the `replay` level of the verification)."""

from __future__ import annotations

import math

import numpy as np

from voice.export.ct2_reader import CT2Model


def _gelu(x: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU, as Whisper uses."""
    from scipy.special import erf

    return (0.5 * x * (1.0 + erf(x.astype(np.float64) / math.sqrt(2.0)))).astype(np.float32)


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def _conv1d(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int) -> np.ndarray:
    """x [C_in, T], w [C_out, C_in, 3], padding 1 → [C_out, T']"""
    c_in, t = x.shape
    padded = np.pad(x, ((0, 0), (1, 1)))
    t_out = (t + 2 - 3) // stride + 1
    cols = np.stack([padded[:, k:k + stride * (t_out - 1) + 1:stride] for k in range(3)], axis=-1)  # [C_in,T',3]
    return np.einsum("ctk,ock->ot", cols, w, optimize=True) + b[:, None]


def encoder_weights(model: CT2Model) -> dict[str, np.ndarray]:
    """Every encoder tensor as float32, keyed by its CTranslate2 name."""
    return {n: model.weight(n) for n in model.variables if n.startswith("encoder/") and
            model.variables[n].ndim > 0 and not n.endswith("_scale")}


def encode(weights: dict[str, np.ndarray], mel: np.ndarray, num_heads: int) -> np.ndarray:
    """mel [n_mels, frames] → [frames/2, d_model] (float32)."""
    w = weights
    x = _gelu(_conv1d(mel.astype(np.float32), w["encoder/conv1/weight"], w["encoder/conv1/bias"], 1))
    x = _gelu(_conv1d(x, w["encoder/conv2/weight"], w["encoder/conv2/bias"], 2)).T  # [T, D]
    x = x + w["encoder/position_encodings/encodings"][: x.shape[0]]
    d = x.shape[1]
    hd = d // num_heads
    layer = 0
    while f"encoder/layer_{layer}/self_attention/linear_0/weight" in w:
        p = f"encoder/layer_{layer}/"
        h = _layer_norm(x, w[p + "self_attention/layer_norm/gamma"], w[p + "self_attention/layer_norm/beta"])
        qkv = h @ w[p + "self_attention/linear_0/weight"].T + w[p + "self_attention/linear_0/bias"]
        q, k, v = (qkv[:, i * d:(i + 1) * d].reshape(-1, num_heads, hd).transpose(1, 0, 2) for i in range(3))
        scores = (q @ k.transpose(0, 2, 1)) / np.float32(math.sqrt(hd))
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        att = (scores / scores.sum(-1, keepdims=True)) @ v  # [H, T, hd]
        att = att.transpose(1, 0, 2).reshape(-1, d)
        x = x + att @ w[p + "self_attention/linear_1/weight"].T + w[p + "self_attention/linear_1/bias"]
        h = _layer_norm(x, w[p + "ffn/layer_norm/gamma"], w[p + "ffn/layer_norm/beta"])
        h = _gelu(h @ w[p + "ffn/linear_0/weight"].T + w[p + "ffn/linear_0/bias"])
        x = x + h @ w[p + "ffn/linear_1/weight"].T + w[p + "ffn/linear_1/bias"]
        layer += 1
    return _layer_norm(x, w["encoder/layer_norm/gamma"], w["encoder/layer_norm/beta"]).astype(np.float32)


def psnr(reference: np.ndarray, test: np.ndarray) -> float:
    """Peak signal-to-noise ratio in dB, the peak being the reference's largest magnitude."""
    mse = float(np.mean((reference.astype(np.float64) - test.astype(np.float64)) ** 2))
    peak = float(np.max(np.abs(reference)))
    return float("inf") if mse == 0 else 10 * math.log10(peak * peak / mse)
