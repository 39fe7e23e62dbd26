"""ONNX converters of the normalisation layers and their ``nn.functional`` Functions:
BatchNorm (eval mode: the running statistics), LayerNorm (LayerNormalization from opset 17,
a decomposition before) and GroupNorm (always decomposed: opset 18's GroupNormalization
changed meaning in opset 21).
"""

from __future__ import annotations

from typing import Any

import numpy as np  # constants of the exported graph (host only)

from minitorch.nn import functions, layers
from minitorch.onnx.graph import GraphBuilder, Value, constant, converts
from minitorch.onnx.layers import unsupported


# --- normalisation --------------------------------------------------------------------------
def _ones(shape: tuple, dtype: Any, value: float = 1.0) -> Value:
    return constant(np.full(shape, value, dtype=dtype))


def batch_norm(g: GraphBuilder, fn: Any, x: Value, w: Any, b: Any, mean: Any, var: Any,
               eps: float) -> Value:  # fmt: skip
    if mean is None:
        raise unsupported(fn, "without running statistics (track_running_stats=False) has no "
                          "eval-mode ONNX mapping here")  # fmt: skip
    c = x.shape[1]
    w = _ones((c,), x.dtype) if w is None else w
    b = _ones((c,), x.dtype, 0.0) if b is None else b
    return g.op("BatchNormalization", [x, w, b, mean, var], epsilon=float(eps))


@converts(layers.BatchNorm1d, layers.BatchNorm2d)
def convert_batch_norm(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    return batch_norm(g, fn, xs[0], g.tensor(fn.weight), g.tensor(fn.bias),
                      g.tensor(fn.running_mean), g.tensor(fn.running_var), fn.eps)  # fmt: skip


@converts(functions.BatchNormFunction)
def convert_batch_norm_function(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    if fn.training:
        raise unsupported(fn, "with training=True (batch statistics) has no ONNX mapping here")
    x, w, b = (xs + [None, None])[:3]
    stats = [None if s is None else constant(s) for s in (fn.running_mean, fn.running_var)]
    return batch_norm(g, fn, x, w, b, *stats, fn.eps)


def normalize(g: GraphBuilder, x: Value, axes: list, eps: float, dtype: Any) -> Value:
    """``(x - mean) / sqrt(var + eps)`` over ``axes`` (biased variance)."""
    centered = g.op("Sub", [x, g.reduce("ReduceMean", x, axes, True)])
    var = g.reduce("ReduceMean", g.op("Mul", [centered, centered]), axes, True)
    std = g.op("Sqrt", [g.op("Add", [var, g.scalar(eps, dtype)])])
    return g.op("Div", [centered, std])


def affine(g: GraphBuilder, y: Value, w: Value | None, b: Value | None) -> Value:
    y = y if w is None else g.op("Mul", [y, w])
    return y if b is None else g.op("Add", [y, b])


def layer_norm(g: GraphBuilder, x: Value, w: Any, b: Any, shape: tuple, eps: float) -> Value:
    """LayerNormalization from opset 17; before, its decomposition."""
    k = len(shape)
    if g.opset >= 17:
        w = _ones(shape, x.dtype) if w is None else w
        return g.op("LayerNormalization", [x, w, b], axis=-k, epsilon=float(eps))
    ndim = len(x.shape)
    return affine(g, normalize(g, x, list(range(ndim - k, ndim)), eps, x.dtype), w, b)


@converts(layers.LayerNorm)
def convert_layer_norm(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    w, b = g.tensor(fn.weight), g.tensor(fn.bias)
    return layer_norm(g, xs[0], w, b, fn.normalized_shape, fn.eps)


@converts(functions.LayerNormFunction)
def convert_layer_norm_function(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    x, w, b = (xs + [None, None])[:3]
    return layer_norm(g, x, w, b, tuple(fn.normalized_shape), fn.eps)


def group_norm(g: GraphBuilder, x: Value, w: Any, b: Any, groups: int, eps: float) -> Value:
    """Normalised over (N, groups, -1), reshaped back, then the per-channel affine."""
    y = normalize(g, g.op("Reshape", [x, g.ints([0, groups, -1])]), [2], eps, x.dtype)
    y = g.op("Reshape", [y, g.op("Shape", [x])])
    spatial = list(range(1, len(x.shape) - 1))  # (C,) as (C, 1, ..., 1)
    w, b = (p if p is None or not spatial else g.unsqueeze(p, spatial) for p in (w, b))
    return affine(g, y, w, b)


@converts(layers.GroupNorm)
def convert_group_norm(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    w, b = g.tensor(fn.weight), g.tensor(fn.bias)
    return group_norm(g, xs[0], w, b, fn.num_groups, fn.eps)


@converts(functions.GroupNormFunction)
def convert_group_norm_function(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    x, w, b = (xs + [None, None])[:3]
    return group_norm(g, x, w, b, fn.num_groups, fn.eps)
