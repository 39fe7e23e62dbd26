"""Sorting and order statistics: sort, argsort, msort, topk, kthvalue, median.

The order is computed on the arrays (no gradient); the values are then a ``Gather`` of the input
at those indices, so the gradient goes back to the element each value came from. NaN sorts as
the largest value (last ascending, first descending), as in PyTorch.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

from minitorch.autograd.function import Function
from minitorch.autograd.ops.indexing import Gather
from minitorch.autograd.ops.reduction import normalize_dims
from minitorch.autograd.tensor import Tensor
from minitorch.backend import get_backend

# PyTorch's torch.return_types: a named (values, indices) pair per function
SortResult = namedtuple("sort", ["values", "indices"])
TopKResult = namedtuple("topk", ["values", "indices"])
KthValueResult = namedtuple("kthvalue", ["values", "indices"])
MedianResult = namedtuple("median", ["values", "indices"])


def order(x: Any, axis: int, descending: bool = False) -> Any:
    """Indices that sort ``x`` along ``axis``, stably (equal values keep their order) and with
    nan last (first when descending). Descending sorts the reversed line ascending and reverses
    the result back, which keeps equal values in their original order."""
    xp = get_backend(x).xp
    if not descending:
        return xp.argsort(x, axis=axis, kind="stable")
    n = x.shape[axis]
    reversed_order = xp.argsort(xp.flip(x, axis), axis=axis, kind="stable")
    return (n - 1) - xp.flip(reversed_order, axis)


def _axis(dim: int, x: Any) -> int:
    return normalize_dims(dim, x.ndim)[0] if x.ndim else 0


def _line(x: Any) -> Any:
    return x.reshape(1) if x.ndim == 0 else x


def _pick(input: Tensor, index: Any, axis: int, keep_shape: tuple | None = None) -> tuple:  # noqa: A002
    """(values, indices) Tensors: ``input`` gathered at ``index`` along ``axis``."""
    x = input if input.ndim else input.reshape(1)
    values = Gather(axis, unique=True)(x, index)
    if keep_shape is not None:
        values, index = values.reshape(keep_shape), index.reshape(keep_shape)
    return values, Tensor(index)


def sort(input: Tensor, dim: int = -1, descending: bool = False, *,  # noqa: A002
         stable: bool = False) -> SortResult:  # fmt: skip
    """(values, indices) sorted along ``dim``. The sort is always stable (``stable=False``
    permits any order of equal values; this order is one of them)."""
    x = input.array
    axis = _axis(dim, x)
    index = order(_line(x), axis, descending)
    return SortResult(*_pick(input, index, axis, x.shape))


def argsort(input: Tensor, dim: int = -1, descending: bool = False, *,  # noqa: A002
            stable: bool = False) -> Tensor:  # fmt: skip
    """The int64 indices that sort ``input`` along ``dim`` (stable, see ``sort``)."""
    x = input.array
    return Tensor(order(_line(x), _axis(dim, x), descending).reshape(x.shape))


def msort(input: Tensor) -> Tensor:  # noqa: A002
    """``sort(input, dim=0).values``."""
    return sort(input, 0).values


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True,  # noqa: A002
         sorted: bool = True) -> TopKResult:  # noqa: A002  # fmt: skip
    """The ``k`` largest (or smallest) entries along ``dim`` and their indices, largest first
    (smallest first for ``largest=False``). ``sorted=False`` permits any order; this sorted one
    is one of them. Ties keep their original order."""
    x = input.array
    axis = _axis(dim, x)
    n = _line(x).shape[axis]
    if not 0 <= k <= n:
        raise IndexError(f"topk: k={k} is out of range for dim {dim} of size {n}")
    xp = get_backend(x).xp
    index = xp.take(order(_line(x), axis, largest), xp.arange(k), axis=axis)
    return TopKResult(*_pick(input, index, axis, x.shape if x.ndim == 0 and k == 1 else None))


def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False) -> KthValueResult:  # noqa: A002
    """The k-th smallest entry (1-based) along ``dim`` and its index."""
    x = input.array
    axis = _axis(dim, x)
    n = _line(x).shape[axis]
    if not 1 <= k <= n:
        raise IndexError(f"kthvalue: k={k} is out of range for dim {dim} of size {n}")
    return KthValueResult(*_select(input, axis, keepdim, lambda nan_count: k - 1))


def _select(input: Tensor, axis: int, keepdim: bool, position: Any) -> tuple:  # noqa: A002
    """(values, indices) of the element at ``position(nan_count)`` of each sorted line."""
    x = _line(input.array)
    xp = get_backend(x).xp
    index = order(x, axis)
    nan_count = xp.isnan(x).sum(axis=axis, keepdims=True) if x.dtype.kind == "f" else None
    line_shape = x.shape[:axis] + (1,) + x.shape[axis + 1 :]
    at = xp.broadcast_to(xp.asarray(position(nan_count), dtype=index.dtype), line_shape)
    chosen = xp.take_along_axis(index, at, axis=axis)
    shape = () if not input.ndim else line_shape if keepdim else chosen.squeeze(axis).shape
    return _pick(input, chosen, axis, shape)


def median(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:  # noqa: A002
    """The lower median (the ((n-1)//2)-th smallest): of all elements as a 0-d tensor, or
    (values, indices) along ``dim``. A line with a nan has median nan (its first nan's index).

    Without ``dim`` ties share the gradient evenly, as in PyTorch; with ``dim`` it goes to the
    returned index.
    """
    x = input.array
    if dim is None:
        if x.size == 0:
            return Tensor(get_backend(x).xp.asarray(float("nan"), dtype=x.dtype))
        values, _ = median(input.detach().reshape(-1), 0)
        return TiesShare(values.array)(input)
    axis = _axis(dim, x)
    n = _line(x).shape[axis]
    if n == 0:
        raise IndexError(f"median: dim {dim} is empty (input shape {tuple(x.shape)})")

    def position(nan_count: Any) -> Any:
        if nan_count is None:  # an integer tensor has no nan
            return (n - 1) // 2
        return get_backend(x).xp.where(nan_count > 0, n - nan_count, (n - 1) // 2)

    return MedianResult(*_select(input, axis, keepdim, position))


class TiesShare(Function):
    """Returns the precomputed ``value`` (a selected element of x); the gradient is shared
    evenly by the entries of x equal to it (all nans when it is nan), PyTorch's rule for
    ``median()`` and ``max()`` without a dim."""

    def __init__(self, value: Any):
        self.value = value

    def forward(self, x: Any) -> Any:
        self.save_for_backward(x)
        return self.value.copy()

    def backward(self, dy: Any) -> Any:
        (x,) = self.saved
        xp = get_backend(dy).xp
        tied = x == self.value
        if x.dtype.kind == "f" and bool(xp.isnan(self.value)):
            tied = xp.isnan(x)
        return xp.where(tied, dy / tied.sum(), dy.dtype.type(0))
