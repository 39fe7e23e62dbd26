"""Norms and log-sum-exp: ``vector_norm``, ``matrix_norm``, ``norm``, ``svdvals``, ``dist``,
``cdist``, ``logsumexp``.

Gradients follow PyTorch's conventions where the norm is not differentiable: 0 where a 2-norm
(or p-norm) is 0, the max-norm's gradient shared evenly by the tied largest entries.
"""

from __future__ import annotations

import math
from typing import Any

from minitorch.autograd.function import Function
from minitorch.autograd.ops.casting import floating
from minitorch.autograd.ops.reduction import normalize_dims
from minitorch.autograd.tensor import Tensor
from minitorch.backend import get_backend


def _reduced(y: Any, axes: tuple | None, keepdim: bool) -> Any:
    """A keepdims result with the reduced axes dropped unless ``keepdim``."""
    if keepdim:
        return y
    return y.reshape(()) if axes is None else y.squeeze(axes)


def _empty_over(x: Any, axes: tuple | None) -> bool:
    return x.size == 0 and (axes is None or any(x.shape[a] == 0 for a in axes) or not x.ndim)


class LogSumExp(Function):
    """``log(sum(exp(x), dim))`` with the max subtracted first: dx = exp(x - y) dy."""

    def __init__(self, dim: Any, keepdim: bool = False):
        self.dim, self.keepdim = dim, keepdim

    def forward(self, x: Any) -> Any:
        xp = get_backend(x).xp
        x = floating(x)
        axes = normalize_dims(self.dim, x.ndim) if x.ndim else None
        if _empty_over(x, axes):
            y = xp.log(xp.exp(x).sum(axis=axes, keepdims=True))
        else:
            m = x.max(axis=axes, keepdims=True)
            m = xp.where(xp.isfinite(m), m, 0)  # all -inf (or an inf): no shift
            y = xp.log(xp.exp(x - m).sum(axis=axes, keepdims=True)) + m
        self.save_for_backward(x, y)
        return xp.asarray(_reduced(y, axes, self.keepdim))

    def backward(self, dy: Any) -> Any:
        x, y = self.saved
        xp = get_backend(dy).xp
        return dy.reshape(y.shape) * xp.exp(x - y)


class VectorNorm(Function):
    """``(sum |x|^p)^(1/p)`` over ``dim`` (all when None); p = inf/-inf is max/min |x|, p = 0
    counts nonzeros."""

    def __init__(self, ord: float = 2, dim: Any = None, keepdim: bool = False):  # noqa: A002
        self.ord, self.dim, self.keepdim = float(ord), dim, keepdim

    def forward(self, x: Any) -> Any:
        xp = get_backend(x).xp
        axes = normalize_dims(self.dim, x.ndim) if x.ndim else None
        p, a = self.ord, xp.abs(x)
        if math.isinf(p) and _empty_over(x, axes):
            raise RuntimeError(
                f"vector_norm: the {'max' if p > 0 else 'min'} norm of an empty dimension has "
                f"no value (input shape {tuple(x.shape)}); give a dim that is not empty"
            )
        if math.isinf(p):
            y = a.max(axis=axes, keepdims=True) if p > 0 else a.min(axis=axes, keepdims=True)
        elif p == 0:
            y = (x != 0).sum(axis=axes, keepdims=True).astype(x.dtype)
        elif p == 1:
            y = a.sum(axis=axes, keepdims=True)
        elif p == 2:
            y = xp.sqrt((x * x).sum(axis=axes, keepdims=True))
        else:
            y = (a**p).sum(axis=axes, keepdims=True) ** (1 / p)
        self.save_for_backward(x, y, axes)
        return xp.asarray(_reduced(y, axes, self.keepdim))

    def backward(self, dy: Any) -> Any:
        x, y, axes = self.saved
        xp = get_backend(dy).xp
        p, zero = self.ord, dy.dtype.type(0)
        dy = dy.reshape(y.shape)
        if p == 0:
            return xp.zeros_like(x)
        if p == 1:
            return xp.sign(x) * dy
        if math.isinf(p):
            a = xp.abs(x)
            chosen = (a == y) | xp.isnan(a)
            share = dy / chosen.sum(axis=axes, keepdims=True)
            return xp.sign(x) * xp.where(chosen, share, zero)
        scale = xp.where(y == 0, zero, dy / (y if p == 2 else y ** (p - 1)))
        if p == 2:
            return x * scale
        a = xp.abs(x)
        if p < 1:
            return xp.sign(x) * xp.where(x == 0, zero, a ** (p - 1)) * scale
        return xp.sign(x) * a ** (p - 1) * scale


class SvdVals(Function):
    """Singular values of (a batch of) matrices, descending: dA = U diag(dS) V^T.

    Shape: (*, m, n) -> (*, min(m, n)).
    """

    def forward(self, a: Any) -> Any:
        xp = get_backend(a).xp
        if a.ndim < 2:
            raise ValueError(f"svdvals expects (*, m, n) matrices, got shape {tuple(a.shape)}")
        if not self.caching:
            return xp.linalg.svd(a, compute_uv=False)
        u, s, vh = xp.linalg.svd(a, full_matrices=False)
        self.save_for_backward(u, vh)
        return s

    def backward(self, ds: Any) -> Any:
        u, vh = self.saved
        return (u * ds[..., None, :]) @ vh


def _floating_input(name: str, input: Tensor) -> None:  # noqa: A002
    if input.dtype.kind not in "fc":
        raise TypeError(
            f"{name}: expected a floating point tensor as input, got {input.dtype}; "
            "convert with .float()"
        )


def vector_norm(x: Tensor, ord: float = 2, dim: Any = None, keepdim: bool = False, *,  # noqa: A002
                dtype: Any = None) -> Tensor:  # fmt: skip
    """The p-norm of the flattened input, or over ``dim`` (an int or tuple)."""
    x = x if dtype is None else x.to(dtype)
    _floating_input("linalg.vector_norm", x)
    return VectorNorm(ord, dim, keepdim)(x)


def svdvals(A: Tensor) -> Tensor:  # noqa: N803
    """Singular values, descending. Shape: (*, m, n) -> (*, min(m, n))."""
    _floating_input("linalg.svdvals", A)
    return SvdVals()(A)


def matrix_norm(A: Tensor, ord: Any = "fro", dim: tuple = (-2, -1), keepdim: bool = False, *,  # noqa: A002, N803
                dtype: Any = None) -> Tensor:  # fmt: skip
    """'fro', 'nuc', 1/-1 (max/min column sum), inf/-inf (row sum), 2/-2 (singular values)
    norms of the matrices spanned by the two dims of ``dim``."""
    A = A if dtype is None else A.to(dtype)  # noqa: N806
    _floating_input("linalg.matrix_norm", A)
    if A.ndim < 2 or len(dim) != 2 or len(normalize_dims(dim, A.ndim)) != 2:
        raise ValueError(
            f"matrix_norm: expected a (*, m, n) input and two different dims, got shape "
            f"{tuple(A.shape)} and dim={dim}"
        )
    rows, cols = (d % A.ndim for d in dim)  # in the order given: ord=1 sums over rows
    if ord == "fro":
        return VectorNorm(2, (rows, cols), keepdim)(A)
    if ord in ("nuc", 2, -2):
        s = SvdVals()(A.movedim((rows, cols), (-2, -1)))
        out = s.sum(-1) if ord == "nuc" else s.amax(-1) if ord == 2 else s.amin(-1)
        return out.unsqueeze(min(rows, cols)).unsqueeze(max(rows, cols)) if keepdim else out
    if ord in (1, -1, math.inf, -math.inf):
        summed, over = (rows, cols) if abs(ord) == 1 else (cols, rows)
        sums = A.abs().sum(summed, keepdim=True)
        out = sums.amax(over, keepdim=True) if ord > 0 else sums.amin(over, keepdim=True)
        return out if keepdim else out.squeeze((rows, cols))
    raise ValueError(
        f"matrix_norm: ord must be 'fro', 'nuc', 1, -1, 2, -2, inf or -inf, got {ord!r}"
    )


def linalg_norm(A: Tensor, ord: Any = None, dim: Any = None, keepdim: bool = False, *,  # noqa: A002, N803
                dtype: Any = None) -> Tensor:  # fmt: skip
    """``torch.linalg.norm``: a vector norm for one dim (or a 1-D input), a matrix norm for two
    dims (or a 2-D input with ``ord`` given); the 2-norm of everything by default."""
    if dim is None and ord is None:
        return vector_norm(A, 2, None, keepdim, dtype=dtype)
    if dim is None:
        if A.ndim not in (1, 2):
            raise ValueError(
                f"linalg.norm: with ord and no dim the input must be 1-D or 2-D, got {A.ndim}-D"
            )
        dim = (0,) if A.ndim == 1 else (0, 1)
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    if len(dims) == 1:
        return vector_norm(A, 2 if ord is None else ord, dims, keepdim, dtype=dtype)
    return matrix_norm(A, "fro" if ord is None else ord, dims, keepdim, dtype=dtype)


def norm(input: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False,  # noqa: A002
         dtype: Any = None) -> Tensor:  # fmt: skip
    """``torch.norm``: the p-norm of all elements, or over ``dim``; 'fro' is the 2-norm and
    'nuc' the nuclear norm of matrices."""
    if p == "nuc":
        return matrix_norm(input, "nuc", (-2, -1) if dim is None else dim, keepdim, dtype=dtype)
    return vector_norm(input, 2 if p == "fro" else p, dim, keepdim, dtype=dtype)


def dist(input: Tensor, other: Tensor, p: float = 2) -> Tensor:  # noqa: A002
    """The p-norm of ``input - other`` (broadcast)."""
    return vector_norm(input - other, p)


CDIST_MODES = (None, "use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist",
               "donot_use_mm_for_euclid_dist")  # fmt: skip


def cdist(x1: Tensor, x2: Tensor, p: float = 2.0, compute_mode: str | None = None) -> Tensor:
    """Pairwise p-norm distances. Shape: (*, P, M), (*, R, M) -> (*, P, R).

    ``compute_mode`` only picks PyTorch's kernel for the same values (a matmul-based one for
    large p=2 inputs); it is validated and otherwise ignored: this computes the differences.
    """
    if compute_mode not in CDIST_MODES:
        raise ValueError(f"cdist: compute_mode must be one of {CDIST_MODES}, got {compute_mode!r}")
    if x1.ndim < 2 or x2.ndim < 2 or x1.shape[-1] != x2.shape[-1]:
        raise ValueError(
            f"cdist: expected (*, P, M) and (*, R, M) inputs, got {tuple(x1.shape)} and "
            f"{tuple(x2.shape)}"
        )
    diff = x1.unsqueeze(-2) - x2.unsqueeze(-3)
    return vector_norm(diff, p, -1)


def logsumexp(input: Tensor, dim: Any, keepdim: bool = False) -> Tensor:  # noqa: A002
    """``log(sum(exp(input), dim))`` computed stably. Shape: ``dim`` reduced."""
    return LogSumExp(dim, keepdim)(input)
