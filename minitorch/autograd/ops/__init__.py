"""Elementary differentiable ops as functions on Tensors (each call runs one ``Function``).

The core ops (arithmetic, reshapes, exp/log, activations) are defined here; the families live
in their own modules and are re-exported: aggregate (sum, mean, var, max ...), trig, unary and
binary pointwise maths, logical, scan, norm, sorting, indexing, masking, split, rearrange, join,
diagonal, linalg, einsum.
"""

from __future__ import annotations

import math
from typing import Any

from minitorch.autograd.ops.activation import LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from minitorch.autograd.ops.aggregate import (
    MaxResult, amax, amin, argmax, argmin, max, maximum, mean, min, minimum, nanmean, nansum,
    std, std_mean, sum, var, var_mean,
)  # fmt: skip
from minitorch.autograd.ops.arithmetic import Add, Div, MatMul, Mul, Neg, Pow, Sub
from minitorch.autograd.ops.binary import (
    DivRounding, addcdiv, addcmul, clamp, clamp_max, clamp_min, floor_divide, fmax, fmin, fmod,
    lerp, remainder,
)  # fmt: skip
from minitorch.autograd.ops.broadcast import unbroadcast
from minitorch.autograd.ops.convert import ToDeviceDtype
from minitorch.autograd.ops.diagonal import diag, diag_embed, diagonal, trace, tril, triu
from minitorch.autograd.ops.einsum import einsum
from minitorch.autograd.ops.elementwise import Abs, Exp, Log, Sqrt
from minitorch.autograd.ops.indexing import (
    gather, index_select, one_hot, scatter, scatter_add, take, take_along_dim,
)  # fmt: skip
from minitorch.autograd.ops.linalg import (
    addbmm, addmm, addmv, addr, baddbmm, bmm, chain_matmul, dot, ger, inner, mm, multi_dot, mv,
    outer, tensordot, vdot,
)  # fmt: skip
from minitorch.autograd.ops.logical import (
    all, allclose, any, bitwise_and, bitwise_not, bitwise_or, bitwise_xor, compare,
    count_nonzero, eq, equal, ge, greater, greater_equal, gt, is_floating_point, is_nonzero,
    isclose, isfinite, isinf, isnan, isneginf, isposinf, isreal, le, less, less_equal,
    logical_and, logical_not, logical_or, logical_xor, lt, ne, not_equal,
)  # fmt: skip
from minitorch.autograd.ops.masking import (
    argwhere, masked_fill, masked_select, nonzero, where,
)  # fmt: skip
from minitorch.autograd.ops.norm import (
    cdist, dist, linalg_norm, logsumexp, matrix_norm, norm, svdvals, vector_norm,
)  # fmt: skip
from minitorch.autograd.ops.join import (
    atleast_1d, atleast_2d, atleast_3d, cat, column_stack, dstack, hstack, meshgrid, row_stack,
    stack, vstack,
)  # fmt: skip
from minitorch.autograd.ops.rearrange import (
    broadcast_to, flip, fliplr, flipud, moveaxis, movedim, repeat, repeat_interleave, roll,
    squeeze, swapaxes, swapdims, t, tile, unflatten,
)  # fmt: skip
from minitorch.autograd.ops.scan import cumprod, cumsum, prod
from minitorch.autograd.ops.shape import (
    Expand,
    GetItem,
    Permute,
    Reshape,
    split_index,
    unwrap_index,
)
from minitorch.autograd.ops.sorting import argsort, kthvalue, median, msort, sort, topk
from minitorch.autograd.ops.split import chunk, narrow, split, tensor_split, unbind
from minitorch.autograd.ops.trig import (
    acos, acosh, arccos, arccosh, arcsin, arcsinh, arctan, arctan2, arctanh, asin, asinh, atan,
    atan2, atanh, cos, cosh, sin, sinh, tan,
)  # fmt: skip
from minitorch.autograd.ops.unary import (
    ceil, erf, erfc, exp2, expm1, fix, floor, frac, log1p, log2, log10, nan_to_num, reciprocal,
    round, rsqrt, sgn, sign, square, trunc,
)  # fmt: skip
from minitorch.autograd.tensor import Tensor
from minitorch.backend import dtypes


def _shape_args(shape: tuple) -> tuple:
    """``reshape(2, 3)`` and ``reshape((2, 3))`` both mean (2, 3)."""
    if len(shape) == 1 and not isinstance(shape[0], int):
        return tuple(shape[0])
    return tuple(shape)


def add(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:  # noqa: A002
    """``input + alpha * other`` (broadcasting)."""
    return Add()(input, other if alpha == 1 else Mul()(other, alpha))


def sub(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:  # noqa: A002
    """``input - alpha * other`` (broadcasting)."""
    return Sub()(input, other if alpha == 1 else Mul()(other, alpha))


def mul(input: Any, other: Any) -> Tensor:  # noqa: A002
    """``input * other`` (broadcasting)."""
    return Mul()(input, other)


def div(input: Any, other: Any, *, rounding_mode: str | None = None) -> Tensor:  # noqa: A002
    """True division, or rounded toward zero ("trunc") or down ("floor")."""
    if rounding_mode is None:
        return Div()(input, other)
    return DivRounding(rounding_mode)(input, other)


def pow(input: Any, exponent: Any) -> Tensor:  # noqa: A001, A002
    """``input ** exponent``; either may be a number."""
    return Pow()(input, exponent)


def neg(input: Tensor) -> Tensor:  # noqa: A002
    """``-input``."""
    return Neg()(input)


true_divide, divide, multiply, subtract, negative = div, div, mul, sub, neg


def matmul(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """Matrix product with NumPy/PyTorch's rules for 1-D and batched operands."""
    return MatMul()(input, other)


def reshape(input: Tensor, *shape: Any) -> Tensor:  # noqa: A002
    """The same elements in ``shape`` (one entry may be -1)."""
    return Reshape(_shape_args(shape))(input)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:  # noqa: A002
    """Dims ``start_dim`` .. ``end_dim`` merged into one (a 0-d tensor becomes (1,))."""
    if input.ndim == 0:
        return Reshape((1,))(input)
    start, end = start_dim % input.ndim, end_dim % input.ndim
    if start > end:
        raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
    # the flattened size spelled out, not -1: -1 is ambiguous when a dimension is empty
    shape = (
        input.shape[:start] + (math.prod(input.shape[start : end + 1]),) + input.shape[end + 1 :]
    )
    return Reshape(shape)(input) if start != end else input


def unsqueeze(input: Tensor, dim: int) -> Tensor:  # noqa: A002
    """A size-1 dim inserted at ``dim``."""
    axis = dim % (input.ndim + 1)
    return Reshape(input.shape[:axis] + (1,) + input.shape[axis:])(input)


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:  # noqa: A002
    """Dims ``dim0`` and ``dim1`` exchanged."""
    dims = list(range(input.ndim))
    dims[dim0], dims[dim1] = dims[dim1], dims[dim0]
    return Permute(tuple(dims))(input)


def permute(input: Tensor, *dims: Any) -> Tensor:  # noqa: A002
    """Dims reordered as ``dims``."""
    return Permute(_shape_args(dims))(input)


def expand(x: Tensor, *shape: Any) -> Tensor:
    """A broadcast view of ``shape`` (-1 keeps a dim)."""
    return Expand(_shape_args(shape))(x)


def expand_as(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """``input`` expanded to ``other``'s shape."""
    return Expand(tuple(other.shape))(input)


def ravel(input: Tensor) -> Tensor:  # noqa: A002
    """The elements as a 1-D tensor."""
    return Reshape((input.numel(),))(input)


def getitem(x: Tensor, index: Any) -> Tensor:
    """``x[index]``: slices, ints, index tensors and bool masks, placed as PyTorch does."""
    return GetItem(index)(x)


def exp(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise ``e ** input``."""
    return Exp()(input)


def log(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise natural logarithm."""
    return Log()(input)


def sqrt(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise square root."""
    return Sqrt()(input)


def abs(input: Tensor) -> Tensor:  # noqa: A001, A002
    """Elementwise absolute value."""
    return Abs()(input)


absolute = abs


clip = clamp


def relu(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise ``max(input, 0)``."""
    return ReLU()(input)


def sigmoid(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise ``1 / (1 + exp(-input))``."""
    return Sigmoid()(input)


def tanh(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise hyperbolic tangent."""
    return Tanh()(input)


def softmax(input: Tensor, dim: int | None = None, dtype: Any = None) -> Tensor:  # noqa: A002
    """``exp(input) / sum(exp(input), dim)``; ``dtype`` converts the input first."""
    return Softmax(dim)(input if dtype is None else input.to(dtype))


def log_softmax(input: Tensor, dim: int | None = None, dtype: Any = None) -> Tensor:  # noqa: A002
    """``log(softmax(input, dim))`` computed stably; ``dtype`` converts the input first."""
    return LogSoftmax(dim)(input if dtype is None else input.to(dtype))


def to_device_dtype(x: Tensor, device: Any, dtype: Any, copy: bool) -> Tensor:
    """``x.to(device, dtype)``, differentiable."""
    return ToDeviceDtype(device, None if dtype is None else dtypes.as_dtype(dtype), copy)(x)


def clone(input: Tensor) -> Tensor:  # noqa: A002
    """A copy that is still connected to the graph (the gradient passes through)."""
    return input.clone()


def numel(input: Tensor) -> int:  # noqa: A002
    """The number of elements."""
    return input.numel()
