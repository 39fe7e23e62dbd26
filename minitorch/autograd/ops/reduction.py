"""Reductions: ``sum``, ``mean``, ``var``, ``max``/``min`` (with/without dim), maximum."""

from __future__ import annotations

from typing import Any

from minitorch.autograd.function import Function
from minitorch.autograd.ops.arithmetic import promote
from minitorch.autograd.ops.broadcast import shape_of, unbroadcast
from minitorch.backend import get_backend


def normalize_dims(dim: Any, ndim: int) -> tuple | None:
    """``dim`` (None, int or sequence, negatives allowed) as a sorted tuple of axes, or None."""
    if dim is None:
        return None
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    out = []
    for d in dims:
        if not -max(ndim, 1) <= d < max(ndim, 1):
            raise IndexError(f"dim {d} is out of range for a tensor with {ndim} dimension(s)")
        out.append(d % max(ndim, 1))
    return tuple(sorted(set(out)))


def _expand_back(dy: Any, shape: tuple, axes: tuple | None, keepdim: bool) -> Any:
    """Broadcast a reduced gradient back over ``shape`` (a read-only view, no copy)."""
    xp = get_backend(dy).xp
    if axes is None:
        return xp.broadcast_to(dy.reshape((1,) * len(shape)) if len(shape) else dy, shape)
    if not keepdim:
        dy = xp.expand_dims(dy, axes)
    return xp.broadcast_to(dy, shape)


class Sum(Function):
    """``x.sum(dim, keepdim)``; the gradient is ``dy`` copied over the summed axes."""

    def __init__(self, dim: Any = None, keepdim: bool = False):
        self.dim, self.keepdim = dim, keepdim

    def forward(self, x: Any) -> Any:
        axes = normalize_dims(self.dim, x.ndim) if x.ndim else None
        self.save_for_backward(x.shape, axes)
        return get_backend(x).xp.asarray(x.sum(axis=axes, keepdims=self.keepdim))

    def backward(self, dy: Any) -> Any:
        shape, axes = self.saved
        return _expand_back(dy, shape, axes, self.keepdim)


class Mean(Function):
    """``x.mean(dim, keepdim)``; the gradient is ``dy / n`` over the averaged axes."""

    def __init__(self, dim: Any = None, keepdim: bool = False):
        self.dim, self.keepdim = dim, keepdim

    def forward(self, x: Any) -> Any:
        axes = normalize_dims(self.dim, x.ndim) if x.ndim else None
        self.save_for_backward(x.shape, axes)
        return get_backend(x).xp.asarray(x.mean(axis=axes, keepdims=self.keepdim))

    def backward(self, dy: Any) -> Any:
        shape, axes = self.saved
        count = _count(shape, range(len(shape)) if axes is None else axes)
        return _expand_back(dy / count, shape, axes, self.keepdim)


class Var(Function):
    """``x.var(dim, correction=c, keepdim)``: dx = 2 (x - mean) dy / (n - c)."""

    def __init__(self, dim: Any = None, keepdim: bool = False, correction: float = 1):
        self.dim, self.keepdim, self.ddof = dim, keepdim, correction

    def forward(self, x: Any) -> Any:
        axes = normalize_dims(self.dim, x.ndim)
        n = x.size if axes is None else _count(x.shape, axes)
        centered = x - x.mean(axis=axes, keepdims=True)
        scale = 2.0 / (n - self.ddof) if n != self.ddof else float("inf")
        self.save_for_backward(centered, axes, scale)
        xp = get_backend(x).xp
        return xp.asarray(x.var(axis=axes, ddof=self.ddof, keepdims=self.keepdim))

    def backward(self, dy: Any) -> Any:
        centered, axes, scale = self.saved
        return _expand_back(dy, centered.shape, axes, self.keepdim) * (centered * scale)


class Std(Function):
    """``x.std(dim, correction=c, keepdim)``: dx = (x - mean) dy / ((n - c) std), and 0 where
    std is 0 (PyTorch's choice: the derivative of sqrt is infinite there)."""

    def __init__(self, dim: Any = None, keepdim: bool = False, correction: float = 1):
        self.dim, self.keepdim, self.ddof = dim, keepdim, correction

    def forward(self, x: Any) -> Any:
        axes = normalize_dims(self.dim, x.ndim)
        n = x.size if axes is None else _count(x.shape, axes)
        centered = x - x.mean(axis=axes, keepdims=True)
        # a second centring pass: the rounded mean of a constant slice leaves a tiny constant
        # residue, which this removes exactly, so std is exactly 0 there (as PyTorch's is)
        centered -= centered.mean(axis=axes, keepdims=True)
        xp = get_backend(x).xp
        with_dof = max(n - self.ddof, 0)
        y = xp.sqrt((centered * centered).sum(axis=axes, keepdims=True) / with_dof) if with_dof \
            else xp.full_like(centered.sum(axis=axes, keepdims=True), xp.nan)
        self.save_for_backward(centered, y, axes, n - self.ddof)
        return xp.asarray(
            y if self.keepdim else y.reshape(()) if axes is None else y.squeeze(axes)
        )

    def backward(self, dy: Any) -> Any:
        centered, y, axes, dof = self.saved
        xp = get_backend(dy).xp
        dy = _expand_back(dy, centered.shape, axes, self.keepdim)
        zero = y == 0
        scale = xp.where(zero, 0, 1 / xp.where(zero, 1, y * dof)).astype(dy.dtype, copy=False)
        return dy * centered * scale


def _count(shape: tuple, axes: tuple) -> int:
    n = 1
    for a in axes:
        n *= shape[a]
    return n


class Amax(Function):
    """``x.amax(dim)`` (and ``x.max()`` with no dim): ties share the gradient evenly."""

    def __init__(self, dim: Any = None, keepdim: bool = False, largest: bool = True):
        self.dim, self.keepdim, self.largest = dim, keepdim, largest

    def forward(self, x: Any) -> Any:
        axes = normalize_dims(self.dim, x.ndim)
        if x.size == 0 and (axes is None or any(x.shape[a] == 0 for a in axes) or not x.ndim):
            raise RuntimeError(
                f"max()/min() over an empty dimension has no value (input shape {x.shape})"
            )
        y = x.max(axis=axes, keepdims=True) if self.largest else x.min(axis=axes, keepdims=True)
        self.save_for_backward(x, y, axes)
        xp = get_backend(x).xp
        return xp.asarray(
            y if self.keepdim else y.reshape(()) if axes is None else y.squeeze(axes)
        )

    def backward(self, dy: Any) -> Any:
        x, y, axes = self.saved
        mask = (x == y).astype(x.dtype)
        mask /= mask.sum(axis=axes, keepdims=True)
        return _expand_back(dy, x.shape, axes, self.keepdim) * mask


class MaxDim(Function):
    """``x.max(dim)``: (values, indices); the gradient goes to the first index of the maximum."""

    def __init__(self, dim: int, keepdim: bool = False, largest: bool = True):
        self.dim, self.keepdim, self.largest = dim, keepdim, largest

    def forward(self, x: Any) -> Any:
        (axis,) = normalize_dims(self.dim, x.ndim)
        if x.ndim and x.shape[axis] == 0:
            raise IndexError(f"max()/min() over dim {self.dim}, which has size 0")
        xp = get_backend(x).xp
        idx = (x.argmax if self.largest else x.argmin)(axis=axis, keepdims=True)
        self.save_for_backward(x.shape, axis, idx)
        values = xp.take_along_axis(x, idx, axis=axis)
        if self.keepdim:
            return values, idx
        return values.squeeze(axis), idx.squeeze(axis)

    def backward(self, dy: Any, d_indices: Any = None) -> Any:
        shape, axis, idx = self.saved
        xp = get_backend(dy).xp
        n = shape[axis]
        positions = xp.arange(n).reshape((n,) + (1,) * (len(shape) - axis - 1))
        chosen = positions == idx  # one True per reduced line, where the max was taken
        return xp.where(chosen, dy if self.keepdim else xp.expand_dims(dy, axis), 0).astype(
            dy.dtype, copy=False
        )


class Maximum(Function):
    """``maximum(a, b)``: the gradient flows to the larger input only (half each on a tie)."""

    def __init__(self, largest: bool = True):
        self.largest = largest

    def forward(self, a: Any, b: Any) -> Any:
        xp = get_backend(a if hasattr(a, "shape") else b).xp
        a, b = promote(a, b)
        self.save_for_backward(a, b)
        return xp.maximum(a, b) if self.largest else xp.minimum(a, b)

    def backward(self, dy: Any) -> tuple:
        a, b = self.saved
        xp = get_backend(dy).xp
        tie = a == b
        half = dy * 0.5
        zero = dy.dtype.type(0)
        need = self.needs_input_grad
        # PyTorch's rule: half each on a tie, nothing to the loser, and the full gradient to
        # both where a nan makes neither win; selected, not multiplied by a 0/1 mask, so a nan
        # gradient stays with the input it belongs to
        da = db = None
        if need[0]:
            loses_a = (a < b) if self.largest else (a > b)
            da = unbroadcast(xp.where(loses_a, zero, xp.where(tie, half, dy)), shape_of(a))
        if need[1]:
            loses_b = (b < a) if self.largest else (b > a)
            db = unbroadcast(xp.where(loses_b, zero, xp.where(tie, half, dy)), shape_of(b))
        return da, db
