"""Comparisons, logical and bitwise ops, nan/inf tests, ``any``/``all``: no gradients.

Results are bool tensors (bitwise ops keep the integer dtype); comparisons of mixed dtypes
compare in PyTorch's promoted dtype. Shape: the inputs broadcast.
"""

from __future__ import annotations

import builtins
from typing import Any

from minitorch.autograd.ops.arithmetic import promote
from minitorch.autograd.ops.reduction import normalize_dims
from minitorch.autograd.tensor import Tensor
from minitorch.backend import get_backend


def _array(x: Any) -> Any:
    return x.array if isinstance(x, Tensor) else x


def _xp(*values: Any) -> Any:
    return get_backend(next(_array(v) for v in values if isinstance(v, Tensor))).xp


def _out(xp: Any, result: Any) -> Tensor:
    return Tensor(xp.asarray(result))


def compare(a: Any, b: Any, op: str) -> Any:
    """``a == b`` etc.: a bool tensor with no gradient (``op`` a comparison dunder name)."""
    x, y = _array(a), _array(b)
    if hasattr(x, "dtype") and hasattr(y, "dtype") and x.dtype != y.dtype:
        x, y = promote(x, y)
    result = getattr(x, op)(y)
    if result is NotImplemented:
        return builtins.bool(op == "__ne__")
    return Tensor(result)  # a NumPy bool scalar (0-d compare) becomes a 0-d array


def eq(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """``input == other`` elementwise (bool). Shape: broadcast."""
    return compare(input, other, "__eq__")


def ne(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """``input != other`` elementwise (bool). Shape: broadcast."""
    return compare(input, other, "__ne__")


def lt(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """``input < other`` elementwise (bool). Shape: broadcast."""
    return compare(input, other, "__lt__")


def le(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """``input <= other`` elementwise (bool). Shape: broadcast."""
    return compare(input, other, "__le__")


def gt(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """``input > other`` elementwise (bool). Shape: broadcast."""
    return compare(input, other, "__gt__")


def ge(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """``input >= other`` elementwise (bool). Shape: broadcast."""
    return compare(input, other, "__ge__")


greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


def equal(input: Tensor, other: Tensor) -> bool:  # noqa: A002
    """True when both tensors have one shape and equal elements (nan is never equal)."""
    x, y = _array(input), _array(other)
    return x.shape == y.shape and builtins.bool((x == y).all())


def isclose(input: Tensor, other: Any, rtol: float = 1e-05, atol: float = 1e-08,  # noqa: A002
            equal_nan: bool = False) -> Tensor:  # fmt: skip
    """``|input - other| <= atol + rtol * |other|`` elementwise (bool)."""
    xp = _xp(input, other)
    x, y = promote(_array(input), _array(other))
    return _out(xp, xp.isclose(x, y, rtol=rtol, atol=atol, equal_nan=equal_nan))


def allclose(input: Tensor, other: Any, rtol: float = 1e-05, atol: float = 1e-08,  # noqa: A002
             equal_nan: bool = False) -> bool:  # fmt: skip
    """True when every element satisfies ``isclose``."""
    return builtins.bool(isclose(input, other, rtol, atol, equal_nan).array.all())


def isnan(input: Tensor) -> Tensor:  # noqa: A002
    """True where the element is nan (bool, same shape)."""
    return _out(_xp(input), _xp(input).isnan(input.array))


def isinf(input: Tensor) -> Tensor:  # noqa: A002
    """True where the element is +inf or -inf (bool, same shape)."""
    return _out(_xp(input), _xp(input).isinf(input.array))


def isposinf(input: Tensor) -> Tensor:  # noqa: A002
    """True where the element is +inf (bool, same shape)."""
    return _out(_xp(input), _xp(input).isposinf(input.array))


def isneginf(input: Tensor) -> Tensor:  # noqa: A002
    """True where the element is -inf (bool, same shape)."""
    return _out(_xp(input), _xp(input).isneginf(input.array))


def isfinite(input: Tensor) -> Tensor:  # noqa: A002
    """True where the element is neither nan nor infinite (bool, same shape)."""
    return _out(_xp(input), _xp(input).isfinite(input.array))


def isreal(input: Tensor) -> Tensor:  # noqa: A002
    """True where the element is real (every element of a real tensor)."""
    return _out(_xp(input), _xp(input).isreal(input.array))


def is_floating_point(input: Tensor) -> bool:  # noqa: A002
    """True for a floating dtype."""
    return input.dtype.kind == "f"


def is_nonzero(input: Tensor) -> bool:  # noqa: A002
    """The truth of a one-element tensor (an error for any other size)."""
    if input.numel() != 1:
        raise RuntimeError(
            f"is_nonzero: a tensor with {input.numel()} elements cannot be converted to a bool"
        )
    return builtins.bool(input.array.reshape(()) != 0)


def logical_not(input: Tensor) -> Tensor:  # noqa: A002
    """``not input`` elementwise, nonzero counting as True (bool)."""
    return _out(_xp(input), _xp(input).logical_not(input.array))


def logical_and(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """``input and other`` elementwise, nonzero counting as True (bool; broadcast)."""
    return _out(_xp(input, other), _xp(input, other).logical_and(input.array, _array(other)))


def logical_or(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """``input or other`` elementwise, nonzero counting as True (bool; broadcast)."""
    return _out(_xp(input, other), _xp(input, other).logical_or(input.array, _array(other)))


def logical_xor(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """``input xor other`` elementwise, nonzero counting as True (bool; broadcast)."""
    return _out(_xp(input, other), _xp(input, other).logical_xor(input.array, _array(other)))


def _bitwise(name: str, a: Any, b: Any = None) -> Tensor:
    """``a & b`` etc. on bool or integer tensors, in PyTorch's promoted dtype."""
    operands = (a,) if b is None else (a, b)
    for v in operands:
        kind = v.dtype.kind if hasattr(v, "dtype") else "b" if isinstance(v, bool) else "i"
        if kind not in "biu" or isinstance(v, float):
            dtype = getattr(v, "dtype", type(v).__name__)
            raise TypeError(f"{name}: expected bool or integer tensors, got {dtype}")
    xp = _xp(*operands)
    if b is None:
        return _out(xp, xp.invert(a.array))
    x, y = promote(_array(a), _array(b))
    return _out(xp, getattr(xp, name)(x, y))


def bitwise_and(input: Any, other: Any) -> Tensor:  # noqa: A002
    """``input & other`` on bool/integer tensors. Shape: broadcast."""
    return _bitwise("bitwise_and", input, other)


def bitwise_or(input: Any, other: Any) -> Tensor:  # noqa: A002
    """``input | other`` on bool/integer tensors. Shape: broadcast."""
    return _bitwise("bitwise_or", input, other)


def bitwise_xor(input: Any, other: Any) -> Tensor:  # noqa: A002
    """``input ^ other`` on bool/integer tensors. Shape: broadcast."""
    return _bitwise("bitwise_xor", input, other)


def bitwise_not(input: Tensor) -> Tensor:  # noqa: A002
    """``~input`` on a bool/integer tensor."""
    return _bitwise("bitwise_not", input)


def _truth(name: str, t: Tensor, dim: Any, keepdim: bool) -> Tensor:
    x = t.array
    axes = normalize_dims(dim, x.ndim) if x.ndim else None
    xp = get_backend(x).xp
    out = getattr(xp, name)(x, axis=axes, keepdims=keepdim)
    # PyTorch returns uint8 for uint8 input, bool otherwise
    return _out(xp, xp.asarray(out).astype(x.dtype if x.dtype == "uint8" else bool, copy=False))


def any(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A001, A002
    """True where some element (along ``dim``, an int or tuple; all when None) is nonzero."""
    return _truth("any", input, dim, keepdim)


def all(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A001, A002
    """True where every element (along ``dim``; all when None) is nonzero."""
    return _truth("all", input, dim, keepdim)


def count_nonzero(input: Tensor, dim: Any = None) -> Tensor:  # noqa: A002
    """Number of nonzero elements (along ``dim``), int64."""
    x = input.array
    axes = normalize_dims(dim, x.ndim) if x.ndim else None
    xp = get_backend(x).xp
    return _out(xp, xp.asarray((x != 0).sum(axis=axes), dtype="int64"))
