"""Norms and distances along one dim: the kernels and Functions behind ``F.normalize``,
``F.cosine_similarity`` and ``F.pairwise_distance`` (``nn.CosineSimilarity`` and
``nn.PairwiseDistance`` call the same kernels).

Gradients are PyTorch's, including at the edges: a zero vector's norm passes no gradient, the
``p = inf`` norm splits its gradient between tied maxima, and the ``eps`` clamps of
cosine similarity are not differentiated (PyTorch clamps the norms in place without
recording), while ``normalize``'s clamp is (no gradient through the norm below ``eps``).
"""

from __future__ import annotations

import math
from typing import Any

from minitorch.autograd import Function, Tensor
from minitorch.autograd.ops.activation import sign_nan_zero
from minitorch.autograd.ops.broadcast import unbroadcast
from minitorch.backend import Array, get_backend


def _axis(name: str, dim: int, ndim: int) -> int:
    if not -max(ndim, 1) <= dim < max(ndim, 1):
        raise IndexError(
            f"{name}: dim {dim} is out of range for a {ndim}-D input "
            f"(expected in [{-max(ndim, 1)}, {max(ndim, 1) - 1}])"
        )
    return dim % ndim if ndim else 0


def p_norm(v: Array, p: float, axis: int) -> Array:
    """``||v||_p`` along ``axis`` (kept as a size-1 dim); p = 0 counts the non-zeros."""
    xp = get_backend(v).xp
    if p == 2:
        return xp.sqrt((v * v).sum(axis=axis, keepdims=True))
    a = xp.abs(v)
    if p == math.inf:
        return a.max(axis=axis, keepdims=True)
    if p == -math.inf:
        return a.min(axis=axis, keepdims=True)
    if p == 0:
        return (v != 0).sum(axis=axis, keepdims=True).astype(v.dtype)
    if p == 1:
        return a.sum(axis=axis, keepdims=True)
    return (a**p).sum(axis=axis, keepdims=True) ** (1 / p)


def p_norm_grad(v: Array, n: Array, p: float, axis: int) -> Array:
    """``d||v||_p / dv`` given ``n = ||v||_p`` (kept dim), PyTorch's ``norm_backward``."""
    xp = get_backend(v).xp
    zero = v.dtype.type(0)
    if p == 0:
        return xp.zeros_like(v)
    if p == 1:
        return sign_nan_zero(v)
    if p == 2:
        return v / xp.where(n == 0, v.dtype.type(math.inf), n)  # 0 for a zero vector
    if math.isinf(p):  # the extremal entries (and NaNs) share the gradient equally
        a = xp.abs(v)
        mask = (a == n) | (a != a)
        return xp.sign(v) * mask / mask.sum(axis=axis, keepdims=True)
    one = v.dtype.type(1)
    a = xp.abs(v)
    if p < 1:  # |v|^(p-1) is infinite at 0, where the gradient is 0
        scaled = xp.where(v == 0, zero, xp.sign(v) * xp.where(v == 0, one, a) ** (p - 1))
        return scaled * n ** (1 - p)
    scaled = xp.sign(v) * a ** (p - 1)
    return scaled * xp.where(n == 0, zero, 1 / xp.where(n == 0, one, n) ** (p - 1))


class NormalizeFunction(Function):
    """``F.normalize``: ``x / max(||x||_p, eps)`` along ``dim``."""

    def __init__(self, p: float, dim: int, eps: float) -> None:
        self.p, self.dim, self.eps = float(p), dim, eps

    def forward(self, x: Array) -> Array:
        axis = _axis("normalize", self.dim, x.ndim)
        xp = get_backend(x).xp
        n = p_norm(x, self.p, axis)
        c = xp.maximum(n, x.dtype.type(self.eps))
        self.save_for_backward(x, n, c, axis)
        return x / c

    def backward(self, dy: Array) -> Array:
        x, n, c, axis = self.saved
        dc = -(dy * x).sum(axis=axis, keepdims=True) / (c * c)
        dc = dc * (n >= self.eps)  # clamp_min passes the gradient only where it did not clamp
        return dy / c + dc * p_norm_grad(x, n, self.p, axis)


class CosineSimilarityFunction(Function):
    """``F.cosine_similarity``: ``sum(x1 x2, dim) / (max(||x1||, eps) max(||x2||, eps))``,
    computed as PyTorch does: each input divided by its clamped norm first, for stability."""

    label = "cosine_similarity"  # the name in error messages (the layer's class name there)

    def __init__(self, dim: int, eps: float) -> None:
        super().__init__()  # cooperative: for ``nn.CosineSimilarity`` this runs Module.__init__
        self.dim, self.eps = dim, eps

    def forward(self, x1: Array, x2: Array) -> Array:
        xp = get_backend(x1).xp
        name = self.label
        try:
            a, b = xp.broadcast_arrays(x1, x2)
        except ValueError:
            raise ValueError(
                f"{name}: the shapes {tuple(x1.shape)} and {tuple(x2.shape)} do not broadcast"
            ) from None
        axis = _axis(name, self.dim, a.ndim)
        n1, n2 = p_norm(a, 2, axis), p_norm(b, 2, axis)
        eps = a.dtype.type(self.eps)
        c1, c2 = xp.maximum(n1, eps), xp.maximum(n2, eps)
        u1, u2 = a / c1, b / c2
        y = (u1 * u2).sum(axis=axis, keepdims=True)
        self.save_for_backward(a, b, n1, n2, c1, c2, y, axis, x1.shape, x2.shape)
        return y.squeeze(axis)

    def backward(self, dy: Array) -> tuple:
        a, b, n1, n2, c1, c2, y, axis, shape1, shape2 = self.saved
        g = get_backend(dy).xp.expand_dims(dy, axis)
        need = self.needs_input_grad
        dx1 = dx2 = None
        if need[0]:  # the path through the norm sees the unclamped norm (PyTorch: no_grad clamp)
            dx1 = unbroadcast(g * (b / (c1 * c2) - (y / c1) * p_norm_grad(a, n1, 2, axis)), shape1)
        if need[1]:
            dx2 = unbroadcast(g * (a / (c1 * c2) - (y / c2) * p_norm_grad(b, n2, 2, axis)), shape2)
        return dx1, dx2


class PairwiseDistanceFunction(Function):
    """``F.pairwise_distance``: ``||x1 - x2 + eps||_p`` along the last dim."""

    label = "pairwise_distance"

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> None:
        super().__init__()  # cooperative: for ``nn.PairwiseDistance`` this runs Module.__init__
        self.norm, self.eps, self.keepdim = p, eps, keepdim

    def forward(self, x1: Array, x2: Array) -> Array:
        name = self.label
        try:
            d = x1 - x2 + self.eps
        except ValueError:
            raise ValueError(
                f"{name}: the shapes {tuple(x1.shape)} and {tuple(x2.shape)} do not broadcast"
            ) from None
        if d.ndim == 0:
            raise ValueError(f"{name}: expected inputs with at least 1 dim, got 0-d inputs")
        n = p_norm(d, float(self.norm), -1)
        self.save_for_backward(d, n, x1.shape, x2.shape)
        return n if self.keepdim else n[..., 0]

    def backward(self, dy: Array) -> tuple:
        d, n, shape1, shape2 = self.saved
        g = dy if self.keepdim else dy[..., None]
        dd = g * p_norm_grad(d, n, float(self.norm), -1)
        need = self.needs_input_grad
        return (unbroadcast(dd, shape1) if need[0] else None,
                unbroadcast(-dd, shape2) if need[1] else None)  # fmt: skip


# --- the functional forms ----------------------------------------------------------------------
def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12,  # noqa: A002
              out: Any = None) -> Tensor:  # fmt: skip
    """``input / max(||input||_p, eps)`` along ``dim``.

    Shape: any -> same.
    """
    if out is not None:
        raise TypeError("normalize: out= is not supported; assign the result instead")
    return NormalizeFunction(p, dim, eps)(input)


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """Cosine of the angle between ``x1`` and ``x2`` along ``dim``.

    Shape: x1, x2 broadcastable (*, D, *) -> (*, *) (``dim`` removed).
    """
    return CosineSimilarityFunction(dim, eps)(x1, x2)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6,
                      keepdim: bool = False) -> Tensor:  # fmt: skip
    """``||x1 - x2 + eps||_p`` along the last dim.

    Shape: x1, x2 broadcastable (*, D) -> (*) (or (*, 1) with ``keepdim``).
    """
    return PairwiseDistanceFunction(p, eps, keepdim)(x1, x2)
