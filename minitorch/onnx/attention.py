"""ONNX converter of the fused attention kernel (``F.scaled_dot_product_attention``, the core of
``nn.MultiheadAttention``): ``softmax(q k^T * scale + mask) v`` as MatMul, Softmax and MatMul.

MultiheadAttention and the Transformer layers need nothing more: their projections, head
reshapes, residuals and norms are elementary ops and layers of the traced graph.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np  # the additive form of constant masks (host only)

from minitorch.nn import functions
from minitorch.onnx.graph import GraphBuilder, UnsupportedOperatorError, Value, constant, converts


def additive(g: GraphBuilder, mask: Value, dtype: Any) -> Value:
    """A mask as scores to add: a boolean one (True = may attend) as 0 / -inf."""
    if mask.is_const:
        m = np.asarray(mask.const)
        if m.dtype == bool:
            return constant(np.where(m, 0.0, -np.inf).astype(dtype))
        return constant(m.astype(dtype))
    if mask.dtype is not None and np.dtype(mask.dtype) == bool:
        return g.op("Where", [mask, g.scalar(0.0, dtype), g.scalar(-np.inf, dtype)])
    return g.cast(mask, dtype)


@converts(functions.AttentionFunction)
def attention(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Any:
    q, k, v, mask = (xs + [None])[:4]
    if fn.dropout_p > 0:
        raise UnsupportedOperatorError(
            f"minitorch.onnx.export: attention with dropout_p={fn.dropout_p} has no inference "
            "graph; pass dropout_p=0.0 outside training"
        )
    dtype = q.dtype
    scale = 1 / math.sqrt(q.shape[-1]) if fn.scale is None else fn.scale
    rank = len(k.shape)
    k_t = g.op("Transpose", [k], perm=[*range(rank - 2), rank - 1, rank - 2])
    scores = g.op("MatMul", [g.op("Mul", [q, g.scalar(scale, dtype)]), k_t])
    if mask is not None:
        scores = g.op("Add", [scores, additive(g, mask, dtype)])
    if fn.is_causal:  # top-left aligned, as PyTorch: query i sees keys 0..i
        L, S = q.shape[-2], k.shape[-2]
        scores = g.op("Add", [scores, additive(g, constant(np.tri(L, S, dtype=bool)), dtype)])
    p = g.op("Softmax", [scores], axis=-1)
    y = g.op("MatMul", [p, v])
    return (y, p) if fn.need_weights else y
