"""The public reductions: sum, nansum, mean, nanmean, var, std (with PyTorch's overloads),
var_mean, std_mean, max/min (with and without dim), amax/amin, maximum/minimum, argmax/argmin.

The Functions they run are in ``reduction.py``. Shape: the reduced dims are dropped unless
``keepdim``; ``dim`` may be an int or a tuple (max/min/argmax take one int).
"""

from __future__ import annotations

import builtins
from collections import namedtuple
from typing import Any

from minitorch.autograd.ops.logical import isnan, logical_not
from minitorch.autograd.ops.masking import where
from minitorch.autograd.ops.reduction import (
    Amax, MaxDim, Maximum, Mean, Std, Sum, Var, normalize_dims,
)  # fmt: skip
from minitorch.autograd.tensor import Tensor
from minitorch.backend import dtypes, get_backend

MaxResult = namedtuple("MaxResult", ["values", "indices"])


def sum(input: Tensor, dim: Any = None, keepdim: bool = False, *,  # noqa: A001, A002
        dtype: Any = None) -> Tensor:  # fmt: skip
    """Sum of all elements, or over ``dim`` (an int or tuple); bool/int sums are int64."""
    return Sum(dim, keepdim)(input if dtype is None else input.to(dtype))


def nansum(input: Tensor, dim: Any = None, keepdim: bool = False, *,  # noqa: A002
           dtype: Any = None) -> Tensor:  # fmt: skip
    """``sum`` with nan counted as 0 (and getting no gradient)."""
    x = input if dtype is None else input.to(dtype)
    if x.dtype.kind == "f":
        x = where(isnan(x), 0.0, x)
    return Sum(dim, keepdim)(x)


def mean(input: Tensor, dim: Any = None, keepdim: bool = False, *,  # noqa: A002
         dtype: Any = None) -> Tensor:  # fmt: skip
    """Mean of all elements, or over ``dim``; floating input (or ``dtype=``)."""
    x = input if dtype is None else input.to(dtype)
    if not dtypes.is_floating(x.dtype):
        raise TypeError(
            f"mean needs a floating tensor, got dtype {x.dtype}; convert with .float() or "
            "pass dtype="
        )
    return Mean(dim, keepdim)(x)


def nanmean(input: Tensor, dim: Any = None, keepdim: bool = False, *,  # noqa: A002
            dtype: Any = None) -> Tensor:  # fmt: skip
    """Mean of the non-nan elements (nan where there are none)."""
    x = input if dtype is None else input.to(dtype)
    if not dtypes.is_floating(x.dtype):
        raise TypeError(f"nanmean needs a floating tensor, got dtype {x.dtype}")
    present = logical_not(isnan(x))
    return nansum(x, dim, keepdim) / sum(present, dim, keepdim)


def _correction(name: str, x: Tensor, dim: Any, unbiased: Any, correction: Any) -> tuple:
    """PyTorch's var/std overloads: ``(dim, unbiased, keepdim)``, ``(unbiased)`` and
    ``(dim, *, correction)``, as (dim, correction)."""
    if not dtypes.is_floating(x.dtype):
        raise TypeError(f"{name}: expected a floating tensor, got dtype {x.dtype}")
    if isinstance(dim, builtins.bool):  # var(x, False): the one-argument unbiased overload
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise ValueError(f"{name}: give unbiased or correction, not both")
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    return dim, correction


def var(input: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,  # noqa: A002
        correction: Any = None) -> Tensor:  # fmt: skip
    """Variance over ``dim`` (all when None), dividing by n - correction (default 1)."""
    dim, c = _correction("var", input, dim, unbiased, correction)
    return Var(dim, keepdim, c)(input)


def std(input: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,  # noqa: A002
        correction: Any = None) -> Tensor:  # fmt: skip
    """Standard deviation over ``dim`` (all when None), with ``var``'s correction."""
    dim, c = _correction("std", input, dim, unbiased, correction)
    return Std(dim, keepdim, c)(input)


def var_mean(input: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,  # noqa: A002
             correction: Any = None) -> tuple:  # fmt: skip
    """(var, mean) over ``dim``."""
    dim, c = _correction("var_mean", input, dim, unbiased, correction)
    return Var(dim, keepdim, c)(input), Mean(dim, keepdim)(input)


def std_mean(input: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,  # noqa: A002
             correction: Any = None) -> tuple:  # fmt: skip
    """(std, mean) over ``dim``."""
    dim, c = _correction("std_mean", input, dim, unbiased, correction)
    return Std(dim, keepdim, c)(input), Mean(dim, keepdim)(input)


def _extreme(x: Tensor, dim: Any, keepdim: bool, largest: bool) -> Any:
    if isinstance(dim, Tensor):  # max(a, b) spelled as a.max(b)
        return Maximum(largest)(x, dim)
    if dim is None:
        return Amax(None, False, largest)(x)
    values, indices = MaxDim(dim, keepdim, largest)(x)
    return MaxResult(values, indices)


def max(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001, A002
    """``max(input)``: the largest value; ``max(input, dim)``: (values, indices);
    ``max(input, other)``: ``maximum``."""
    return _extreme(input, dim, keepdim, True)


def min(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001, A002
    """``min(input)``: the smallest value; ``min(input, dim)``: (values, indices);
    ``min(input, other)``: ``minimum``."""
    return _extreme(input, dim, keepdim, False)


def amax(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    """Largest value over ``dim`` (an int or tuple; all when None); ties share the gradient."""
    return Amax(dim, keepdim, True)(input)


def amin(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    """Smallest value over ``dim`` (an int or tuple; all when None); ties share the gradient."""
    return Amax(dim, keepdim, False)(input)


def maximum(input: Any, other: Any) -> Tensor:  # noqa: A002
    """Elementwise larger of two broadcasting tensors (nan wins, as in PyTorch)."""
    return Maximum(True)(input, other)


def minimum(input: Any, other: Any) -> Tensor:  # noqa: A002
    """Elementwise smaller of two broadcasting tensors (nan wins, as in PyTorch)."""
    return Maximum(False)(input, other)


def _arg_extreme(name: str, x: Tensor, dim: Any, keepdim: bool) -> Tensor:
    a = x.array
    xp = get_backend(a).xp
    if a.ndim == 0:
        if dim is not None:
            normalize_dims(dim, 0)  # only 0 and -1 are valid dims of a 0-d tensor
        return Tensor(xp.zeros((), dtype="int64"))
    axis = None if dim is None else normalize_dims(dim, a.ndim)[0]
    if a.size == 0 and (axis is None or a.shape[axis] == 0):
        raise IndexError(f"{name}: cannot take it over an empty dimension (shape {a.shape})")
    out = getattr(a, name)(axis=axis, keepdims=keepdim and axis is not None)
    return Tensor(xp.asarray(out, dtype="int64"))


def argmax(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    """int64 index of the largest element (the first; nan counts as largest) of the flattened
    input, or along ``dim``."""
    return _arg_extreme("argmax", input, dim, keepdim)


def argmin(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    """int64 index of the smallest element (the first) of the flattened input, or along ``dim``."""
    return _arg_extreme("argmin", input, dim, keepdim)
