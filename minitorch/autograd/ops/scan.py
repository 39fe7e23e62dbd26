"""Products and running sums: ``prod``, ``cumsum``, ``cumprod``.

Integer and bool inputs give int64, as in PyTorch. Gradients are exact where inputs are zero
(no division by the input): prod's from exclusive prefix and suffix products, cumprod's with
the first zero of each line handled on its own.
"""

from __future__ import annotations

from typing import Any

from minitorch.autograd.function import Function
from minitorch.autograd.ops.reduction import normalize_dims
from minitorch.autograd.tensor import Tensor
from minitorch.backend import dtypes, get_backend


def _accumulating(x: Any) -> Any:
    """Sums and products of bool/integer tensors run in int64 (PyTorch's rule)."""
    return x.astype("int64") if x.dtype.kind in "biu" and x.dtype != "int64" else x


def _flip_cumsum(xp: Any, a: Any, axis: int) -> Any:
    """``sum_{j >= i} a_j`` along ``axis`` (the adjoint of cumsum)."""
    return xp.flip(xp.flip(a, axis).cumsum(axis), axis)


def _exclusive_cumprod(xp: Any, x: Any, axis: int) -> Any:
    """``prod_{j < i} x_j`` along ``axis`` (1 at the first position)."""
    if x.shape[axis] == 0:
        return xp.ones_like(x)
    shape = list(x.shape)
    shape[axis] = 1
    ones = xp.ones(shape, dtype=x.dtype)
    head = xp.take(x, xp.arange(x.shape[axis] - 1), axis=axis)
    return xp.concatenate([ones, head.cumprod(axis)], axis=axis)


class Cumsum(Function):
    """``cumsum(x, dim)``: dx = the reversed running sum of dy."""

    def __init__(self, dim: int):
        self.dim = dim

    def forward(self, x: Any) -> Any:
        (axis,) = normalize_dims(self.dim, x.ndim)
        self.save_for_backward(axis)
        x = _accumulating(x)
        return x.cumsum(axis).reshape(x.shape) if x.ndim else x.copy()

    def backward(self, dy: Any) -> Any:
        (axis,) = self.saved
        return _flip_cumsum(get_backend(dy).xp, dy, axis) if dy.ndim else dy


class Cumprod(Function):
    """``cumprod(x, dim)``: dx_i = sum_{j >= i} dy_j prod_{k <= j, k != i} x_k."""

    def __init__(self, dim: int):
        self.dim = dim

    def forward(self, x: Any) -> Any:
        (axis,) = normalize_dims(self.dim, x.ndim)
        x = _accumulating(x)
        if not x.ndim:
            self.save_for_backward(x, x, axis)
            return x.copy()
        y = x.cumprod(axis)
        self.save_for_backward(x, y, axis)
        return y

    def backward(self, dy: Any) -> Any:
        x, y, axis = self.saved
        if not x.ndim:
            return dy
        xp = get_backend(dy).xp
        zero = x == 0
        zeros_so_far = zero.cumsum(axis)
        before = zeros_so_far == 0  # before the first zero of the line: divide by x safely
        dx = _flip_cumsum(xp, dy * y, axis) / xp.where(before, x, 1)
        dx = xp.where(before, dx, dy.dtype.type(0))
        if bool(zero.any()):
            # at the first zero: the products with that zero left out, summed from there on
            first = zero & (zeros_so_far == 1)
            rest = _flip_cumsum(xp, dy * xp.where(first, 1, x).cumprod(axis), axis)
            dx = xp.where(first, rest, dx)
        return dx


class Prod(Function):
    """``prod(x, dim, keepdim)`` (all elements when dim is None): dx_i = dy * prod_{j != i} x_j,
    as the exclusive prefix times the exclusive suffix product."""

    def __init__(self, dim: int | None = None, keepdim: bool = False):
        self.dim, self.keepdim = dim, keepdim

    def forward(self, x: Any) -> Any:
        xp = get_backend(x).xp
        x = _accumulating(x)
        axis = None if self.dim is None or not x.ndim else normalize_dims(self.dim, x.ndim)[0]
        self.save_for_backward(x, axis)
        return xp.asarray(x.prod(axis=axis, keepdims=self.keepdim and axis is not None))

    def backward(self, dy: Any) -> Any:
        x, axis = self.saved
        xp = get_backend(dy).xp
        flat = x.reshape(-1) if axis is None else x
        line = 0 if axis is None else axis
        others = _exclusive_cumprod(xp, flat, line)
        others = others * xp.flip(_exclusive_cumprod(xp, xp.flip(flat, line), line), line)
        if axis is not None and not self.keepdim:
            dy = xp.expand_dims(dy, axis)
        return (dy * others).reshape(x.shape)


def _as(x: Tensor, dtype: Any) -> Tensor:
    return x if dtype is None else x.to(dtypes.as_dtype(dtype))


def cumsum(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:  # noqa: A002
    """Running sum along ``dim``. Shape: same as input."""
    return Cumsum(dim)(_as(input, dtype))


def cumprod(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:  # noqa: A002
    """Running product along ``dim``. Shape: same as input."""
    return Cumprod(dim)(_as(input, dtype))


def prod(input: Tensor, dim: int | None = None, keepdim: bool = False, *,  # noqa: A002
         dtype: Any = None) -> Tensor:  # fmt: skip
    """Product of all elements, or along the int ``dim`` (dropped unless ``keepdim``)."""
    if dim is not None and not isinstance(dim, int):
        raise TypeError(f"prod: dim must be an int or None, got {type(dim).__name__}")
    return Prod(dim, keepdim)(_as(input, dtype))
