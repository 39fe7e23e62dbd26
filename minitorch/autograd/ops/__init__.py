"""Elementary differentiable ops as functions on Tensors (each call runs one ``Function``)."""

from __future__ import annotations

import builtins
import math
from collections import namedtuple
from typing import Any, Sequence

from minitorch.autograd.ops.activation import LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from minitorch.autograd.ops.arithmetic import Add, Div, MatMul, Mul, Neg, Pow, Sub
from minitorch.autograd.ops.broadcast import unbroadcast
from minitorch.autograd.ops.convert import ToDeviceDtype
from minitorch.autograd.ops.elementwise import Abs, Clip, Exp, Log, Sqrt, Where
from minitorch.autograd.ops.reduction import (
    Amax,
    MaxDim,
    Maximum,
    Mean,
    Std,
    Sum,
    Var,
    normalize_dims,
)  # fmt: skip
from minitorch.autograd.ops.shape import (
    Cat,
    Expand,
    GetItem,
    Permute,
    Reshape,
    Stack,
    split_index,
    unwrap_index,
)
from minitorch.autograd.tensor import Tensor
from minitorch.backend import dtypes, get_backend

__all__ = [
    "abs", "add", "amax", "amin", "argmax", "argmin", "cat", "clip", "compare", "div", "exp",
    "expand", "flatten", "getitem", "log", "log_softmax", "matmul", "max", "maximum", "mean",
    "min", "minimum", "mul", "neg", "permute", "pow", "relu", "reshape", "sigmoid", "softmax",
    "split_index", "sqrt", "squeeze", "stack", "std", "sub", "sum", "tanh", "to_device_dtype",
    "transpose", "unbroadcast", "unsqueeze", "unwrap_index", "var", "where",
]  # fmt: skip

MaxResult = namedtuple("MaxResult", ["values", "indices"])


def _shape_args(shape: tuple) -> tuple:
    """``reshape(2, 3)`` and ``reshape((2, 3))`` both mean (2, 3)."""
    if len(shape) == 1 and not isinstance(shape[0], int):
        return tuple(shape[0])
    return tuple(shape)


def add(a: Any, b: Any) -> Tensor:
    return Add()(a, b)


def sub(a: Any, b: Any) -> Tensor:
    return Sub()(a, b)


def mul(a: Any, b: Any) -> Tensor:
    return Mul()(a, b)


def div(a: Any, b: Any) -> Tensor:
    return Div()(a, b)


def pow(a: Any, b: Any) -> Tensor:  # noqa: A001
    return Pow()(a, b)


def neg(a: Tensor) -> Tensor:
    return Neg()(a)


def matmul(a: Tensor, b: Tensor) -> Tensor:
    return MatMul()(a, b)


def sum(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A001
    return Sum(dim, keepdim)(x)


def mean(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    if not dtypes.is_floating(x.dtype):
        raise TypeError(
            f"mean needs a floating tensor, got dtype {x.dtype}; convert with .float()"
        )
    return Mean(dim, keepdim)(x)


def var(x: Tensor, dim: Any = None, keepdim: bool = False, unbiased: bool = True) -> Tensor:
    return Var(dim, keepdim, unbiased)(x)


def std(x: Tensor, dim: Any = None, keepdim: bool = False, unbiased: bool = True) -> Tensor:
    return Std(dim, keepdim, unbiased)(x)


def _extreme(x: Tensor, dim: Any, keepdim: bool, largest: bool) -> Any:
    if isinstance(dim, Tensor):  # max(a, b) spelled as a.max(b)
        return Maximum(largest)(x, dim)
    if dim is None:
        return Amax(None, False, largest)(x)
    values, indices = MaxDim(dim, keepdim, largest)(x)
    return MaxResult(values, indices)


def max(x: Tensor, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001
    """``max(x)`` is the largest value; ``max(x, dim)`` gives (values, indices); ``max(a, b)``."""
    return _extreme(x, dim, keepdim, True)


def min(x: Tensor, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001
    return _extreme(x, dim, keepdim, False)


def amax(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    return Amax(dim, keepdim, True)(x)


def amin(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    return Amax(dim, keepdim, False)(x)


def maximum(a: Any, b: Any) -> Tensor:
    return Maximum(True)(a, b)


def minimum(a: Any, b: Any) -> Tensor:
    return Maximum(False)(a, b)


def argmax(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    axis = None if dim is None else normalize_dims(dim, x.ndim)[0]
    out = x.array.argmax(axis=axis, keepdims=keepdim and axis is not None)
    return Tensor(get_backend(x.array).xp.asarray(out))


def argmin(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    axis = None if dim is None else normalize_dims(dim, x.ndim)[0]
    out = x.array.argmin(axis=axis, keepdims=keepdim and axis is not None)
    return Tensor(get_backend(x.array).xp.asarray(out))


def reshape(x: Tensor, *shape: Any) -> Tensor:
    return Reshape(_shape_args(shape))(x)


def flatten(x: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    if x.ndim == 0:
        return Reshape((1,))(x)
    start, end = start_dim % x.ndim, end_dim % x.ndim
    if start > end:
        raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
    # the flattened size spelled out, not -1: -1 is ambiguous when a dimension is empty
    shape = x.shape[:start] + (math.prod(x.shape[start : end + 1]),) + x.shape[end + 1 :]
    return Reshape(shape)(x) if start != end else x


def squeeze(x: Tensor, dim: int | None = None) -> Tensor:
    if dim is None:
        shape = tuple(n for n in x.shape if n != 1)
    else:
        axis = normalize_dims(dim, x.ndim)[0]
        shape = x.shape if x.shape[axis] != 1 else x.shape[:axis] + x.shape[axis + 1 :]
    return Reshape(shape)(x)


def unsqueeze(x: Tensor, dim: int) -> Tensor:
    axis = dim % (x.ndim + 1)
    return Reshape(x.shape[:axis] + (1,) + x.shape[axis:])(x)


def transpose(x: Tensor, dim0: int, dim1: int) -> Tensor:
    dims = list(range(x.ndim))
    dims[dim0], dims[dim1] = dims[dim1], dims[dim0]
    return Permute(tuple(dims))(x)


def permute(x: Tensor, *dims: Any) -> Tensor:
    return Permute(_shape_args(dims))(x)


def expand(x: Tensor, *shape: Any) -> Tensor:
    return Expand(_shape_args(shape))(x)


def getitem(x: Tensor, index: Any) -> Tensor:
    return GetItem(index)(x)


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    if len(tensors) == 0:
        raise ValueError("cat expects a non-empty sequence of tensors")
    return Cat(dim)(*tensors)


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    if len(tensors) == 0:
        raise ValueError("stack expects a non-empty sequence of tensors")
    return Stack(dim)(*tensors)


def exp(x: Tensor) -> Tensor:
    return Exp()(x)


def log(x: Tensor) -> Tensor:
    return Log()(x)


def sqrt(x: Tensor) -> Tensor:
    return Sqrt()(x)


def abs(x: Tensor) -> Tensor:  # noqa: A001
    return Abs()(x)


def clip(x: Tensor, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
    return Clip(min, max)(x)


def relu(x: Tensor) -> Tensor:
    return ReLU()(x)


def sigmoid(x: Tensor) -> Tensor:
    return Sigmoid()(x)


def tanh(x: Tensor) -> Tensor:
    return Tanh()(x)


def softmax(x: Tensor, dim: int | None = None) -> Tensor:
    return Softmax(dim)(x)


def log_softmax(x: Tensor, dim: int | None = None) -> Tensor:
    return LogSoftmax(dim)(x)


def where(cond: Any, a: Any, b: Any) -> Tensor:
    if not isinstance(cond, Tensor):
        cond = Tensor(cond)
    return Where()(cond, a, b)


def to_device_dtype(x: Tensor, device: Any, dtype: Any, copy: bool) -> Tensor:
    return ToDeviceDtype(device, None if dtype is None else dtypes.as_dtype(dtype), copy)(x)


def compare(a: Tensor, b: Any, op: str) -> Tensor:
    """``a == b`` etc.: a bool tensor with no gradient."""
    other = b.array if isinstance(b, Tensor) else b
    result = getattr(a.array, op)(other)
    if result is NotImplemented:
        return builtins.bool(op == "__ne__")  # type: ignore[return-value]
    return Tensor(get_backend(a.array).xp.asarray(result))
