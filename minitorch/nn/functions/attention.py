"""Scaled dot-product attention, fused: ``AttentionFunction`` (``F.scaled_dot_product_attention``
and the core of ``MultiheadAttention``).

``softmax(q k^T * scale + mask) v`` is one recorded call with its backward written out, so the
(L, S) score matrix exists once (as the softmax output ``p``) instead of once per elementary op.
"""

from __future__ import annotations

import math
from typing import Any

from minitorch.autograd import Function
from minitorch.autograd.ops.activation import max_keepdims
from minitorch.autograd.ops.broadcast import unbroadcast
from minitorch.backend import Array, get_backend
from minitorch.nn.functions.dropout import dropout_mask


def additive_mask(mask: Array, dtype: Any, masked_value: bool) -> Array:
    """A boolean mask as 0 / -inf in ``dtype`` (-inf where ``mask == masked_value``)."""
    add = get_backend(mask).xp.zeros(mask.shape, dtype=dtype)
    add[mask == masked_value] = -math.inf
    return add


class AttentionFunction(Function):
    """``F.scaled_dot_product_attention``: ``y = dropout(softmax(q @ k^T * scale + mask)) @ v``
    with a fused backward.

    ``forward(q, k, v, attn_mask=None)``; a boolean ``attn_mask`` marks with True the pairs that
    take part (PyTorch's SDPA convention), a float one is added to the scores. With
    ``need_weights`` it returns ``(y, weights)``, the weights after dropout.

    Shape: q (*, L, E), k (*, S, E), v (*, S, Ev), attn_mask broadcastable to (*, L, S)
    -> y (*, L, Ev); the batch dims * broadcast.
    """

    def __init__(self, dropout_p: float = 0.0, is_causal: bool = False,
                 scale: float | None = None, need_weights: bool = False) -> None:  # fmt: skip
        if not 0 <= dropout_p <= 1:
            raise ValueError(
                f"scaled_dot_product_attention: dropout_p must be in [0, 1], got {dropout_p}"
            )
        self.dropout_p, self.is_causal, self.scale = dropout_p, is_causal, scale
        self.need_weights = need_weights

    def forward(self, q: Array, k: Array, v: Array, attn_mask: Array | None = None) -> Any:
        if q.ndim < 2 or k.ndim < 2 or v.ndim < 2 or q.shape[-1] != k.shape[-1] \
                or k.shape[-2] != v.shape[-2]:  # fmt: skip
            raise ValueError(
                "scaled_dot_product_attention expects query (*, L, E), key (*, S, E) and value "
                f"(*, S, Ev), got {tuple(q.shape)}, {tuple(k.shape)} and {tuple(v.shape)}"
            )
        xp = get_backend(q).xp
        # heads arrive as permuted views of the projections: BLAS takes each (L, E) matrix as
        # it is when its rows are contiguous (3 copies cost 1 ms of a 14 ms forward for 32 x 4
        # heads of 128 x 64, the GEMMs on the views 5% more); other views are copied
        q, k, v = (a if a.strides[-1] == a.itemsize else xp.ascontiguousarray(a)
                   for a in (q, k, v))  # fmt: skip
        L, S = q.shape[-2], k.shape[-2]
        scale = 1 / math.sqrt(q.shape[-1]) if self.scale is None else self.scale
        p = (q * scale) @ k.swapaxes(-1, -2)  # scores, turned into probabilities in place
        mask_shape = None  # a float mask gets a gradient too
        if attn_mask is not None:
            if attn_mask.dtype != bool:
                mask_shape = attn_mask.shape
            else:
                attn_mask = additive_mask(attn_mask, q.dtype, masked_value=False)
            p += attn_mask  # (a broadcast mask may not add batch dims to the scores)
        if self.is_causal:  # top-left aligned, as PyTorch: query i sees keys 0..i
            p += additive_mask(xp.tril(xp.ones((L, S), dtype=bool)), q.dtype, masked_value=False)
        p -= max_keepdims(p, -1)
        xp.exp(p, out=p)
        p /= p.sum(axis=-1, keepdims=True)
        mask = None
        if self.dropout_p > 0:
            mask = dropout_mask(p, self.dropout_p, p.shape)
        pd = p if mask is None else p * mask
        y = pd @ v
        self.save_for_backward(q, k, v, p, mask, scale, mask_shape)
        return (y, pd) if self.need_weights else y

    def backward(self, dy: Array, dweights: Array | None = None) -> tuple:
        q, k, v, p, mask, scale, mask_shape = self.saved
        need = self.needs_input_grad
        dpd = dy @ v.swapaxes(-1, -2)
        if dweights is not None:
            dpd += dweights
        pd = p if mask is None else p * mask
        dv = unbroadcast(pd.swapaxes(-1, -2) @ dy, v.shape) if need[2] else None
        ds = dpd  # a fresh GEMM result: becomes the score gradient in place
        if mask is not None:
            ds *= mask
        # softmax backward p * (dp - sum(dp * p)): the row dot products without a temporary
        ds -= get_backend(p).xp.einsum("...ij,...ij->...i", ds, p)[..., None]
        ds *= p
        dq = dk = None
        if need[0]:
            dq = ds @ k
            dq *= scale
            dq = unbroadcast(dq, q.shape)
        if need[1]:
            dk = ds.swapaxes(-1, -2) @ q
            dk *= scale
            dk = unbroadcast(dk, k.shape)
        dmask = unbroadcast(ds, mask_shape) if need[3] and mask_shape is not None else None
        return dq, dk, dv, dmask
