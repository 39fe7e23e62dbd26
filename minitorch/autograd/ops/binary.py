"""Pointwise ops of several tensors: clamp with tensor bounds, lerp, fmax/fmin, remainder,
fmod, rounded division, addcmul/addcdiv.

Shape: the inputs broadcast; each gradient is reduced back to its input's shape. Result dtypes
follow PyTorch's promotion (``promote``); gradients are selected with ``where`` rather than
multiplied by 0/1 masks, so a nan gradient reaches only the input it belongs to.
"""

from __future__ import annotations

from typing import Any

from minitorch.autograd.function import Function
from minitorch.autograd.ops.arithmetic import Add, Div, Mul, promote
from minitorch.autograd.ops.broadcast import shape_of, unbroadcast
from minitorch.autograd.ops.casting import floating_result
from minitorch.autograd.ops.elementwise import Clip
from minitorch.autograd.tensor import Tensor
from minitorch.backend import dtypes, get_backend


def _xp(*values: Any) -> Any:
    return get_backend(next(v for v in values if hasattr(v, "shape"))).xp


def _pick(xp: Any, cond: Any, dy: Any, shape: tuple) -> Any:
    """``dy`` where ``cond``, else 0, summed back to ``shape``."""
    return unbroadcast(xp.where(cond, dy, dy.dtype.type(0)), shape)


class ClampTensor(Function):
    """``clamp(x, min, max)`` with tensor (or mixed) bounds, either of which may be None.

    Gradients as PyTorch: x where min <= x <= max; min where x < min (and min < max); max where
    x > max or max < min (then every output is max).
    """

    def forward(self, x: Any, low: Any, high: Any) -> Any:
        xp = _xp(x, low, high)
        dtype = dtypes.result_type(*(v for v in (x, low, high) if v is not None))
        x, low, high = (v if v is None or not hasattr(v, "dtype") else v.astype(dtype, copy=False)
                        for v in (x, low, high))  # fmt: skip
        self.save_for_backward(x, low, high)
        y = x if low is None else xp.maximum(x, low)
        y = y if high is None else xp.minimum(y, high)
        return xp.asarray(y, dtype=dtype)

    def backward(self, dy: Any) -> tuple:
        x, low, high = self.saved
        xp = get_backend(dy).xp
        need = self.needs_input_grad
        dx = dlow = dhigh = None
        if need[0]:
            inside = True if low is None else x >= low
            inside = inside & (True if high is None else x <= high)
            dx = _pick(xp, inside, dy, shape_of(x))
        if need[1]:
            below = (x < low) & (True if high is None else low < high)
            dlow = _pick(xp, below, dy, shape_of(low))
        if need[2]:
            above = (x > high) | (False if low is None else high < low)
            dhigh = _pick(xp, above, dy, shape_of(high))
        return dx, dlow, dhigh


class Lerp(Function):
    """``start + weight * (end - start)``, in PyTorch's stable form (from ``end`` when
    weight >= 0.5): d start = (1 - w) dy, d end = w dy, d weight = (end - start) dy."""

    def forward(self, start: Any, end: Any, weight: Any) -> Any:
        xp = _xp(start, end, weight)
        dtype = floating_result(start, end)
        start, end = (xp.asarray(v, dtype=dtype) for v in (start, end))
        if hasattr(weight, "dtype"):
            weight = weight.astype(dtype, copy=False)
        self.save_for_backward(start, end, weight)
        diff = end - start
        if not hasattr(weight, "shape"):  # a number: pick the form here (no where over scalars)
            y = start + weight * diff if weight < 0.5 else end - diff * (1 - weight)
        else:
            y = xp.where(weight < 0.5, start + weight * diff, end - diff * (1 - weight))
        return xp.asarray(y, dtype=dtype)

    def backward(self, dy: Any) -> tuple:
        start, end, weight = self.saved
        need = self.needs_input_grad
        ds = unbroadcast(dy * (1 - weight), start.shape) if need[0] else None
        de = unbroadcast(dy * weight, end.shape) if need[1] else None
        dw = unbroadcast(dy * (end - start), shape_of(weight)) if need[2] else None
        return ds, de, dw


class FMax(Function):
    """``fmax(a, b)`` / ``fmin(a, b)``: as maximum/minimum but a nan loses to a number.

    The gradient goes to a where a wins or ties or b is nan, else to b (PyTorch's rule).
    """

    def __init__(self, largest: bool = True):
        self.largest = largest

    def forward(self, a: Any, b: Any) -> Any:
        xp = _xp(a, b)
        a, b = promote(a, b)
        self.save_for_backward(a, b)
        return xp.asarray(xp.fmax(a, b) if self.largest else xp.fmin(a, b))

    def backward(self, dy: Any) -> tuple:
        a, b = self.saved
        xp = get_backend(dy).xp
        to_a = ((a >= b) if self.largest else (a <= b)) | xp.isnan(b)
        need = self.needs_input_grad
        da = _pick(xp, to_a, dy, shape_of(a)) if need[0] else None
        db = _pick(xp, ~to_a, dy, shape_of(b)) if need[1] else None
        return da, db


class Remainder(Function):
    """``remainder(a, b)`` (sign of b, Python's ``%``) or ``fmod(a, b)`` (sign of a, C's):
    da = dy, db = -q dy with q = a / b rounded down (remainder) or toward zero (fmod)."""

    def __init__(self, python_style: bool = True):
        self.python_style = python_style

    def forward(self, a: Any, b: Any) -> Any:
        xp = _xp(a, b)
        a, b = promote(a, b)
        self.save_for_backward(a, b)
        return xp.asarray(xp.mod(a, b) if self.python_style else xp.fmod(a, b))

    def backward(self, dy: Any) -> tuple:
        a, b = self.saved
        xp = get_backend(dy).xp
        need = self.needs_input_grad
        da = unbroadcast(dy, shape_of(a)) if need[0] else None
        db = None
        if need[1]:
            q = xp.floor_divide(a, b) if self.python_style else xp.trunc(a / b)
            db = unbroadcast(-dy * q, shape_of(b))
        return da, db


class DivRounding(Function):
    """``div(a, b, rounding_mode="trunc" | "floor")``; integers stay integers. The result is
    piecewise constant, so both gradients are 0."""

    def __init__(self, mode: str):
        if mode not in ("trunc", "floor"):
            raise ValueError(
                f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
                f"{mode!r}"
            )
        self.mode = mode

    def forward(self, a: Any, b: Any) -> Any:
        xp = _xp(a, b)
        self.save_for_backward(shape_of(a), shape_of(b))
        a, b = promote(a, b)
        q = xp.floor_divide(a, b)
        if self.mode == "trunc":
            if getattr(q, "dtype", None) is not None and q.dtype.kind in "iu":
                q = q + ((q < 0) & (q * b != a))  # floor -> toward zero for negative quotients
            else:
                q = xp.trunc(a / b)
        return xp.asarray(q)

    def backward(self, dy: Any) -> tuple:
        sa, sb = self.saved
        xp = get_backend(dy).xp
        need = self.needs_input_grad
        return (xp.zeros(sa, dy.dtype) if need[0] else None,
                xp.zeros(sb, dy.dtype) if need[1] else None)  # fmt: skip


def clamp(input: Tensor, min: Any = None, max: Any = None) -> Tensor:  # noqa: A001, A002
    """Clip to [min, max]; the bounds may be numbers or tensors that broadcast with ``input``."""
    if min is None and max is None:
        raise ValueError("clamp: at least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        return ClampTensor()(input, min, max)
    return Clip(min, max)(input)


def clamp_min(input: Tensor, min: Any) -> Tensor:  # noqa: A002
    """``clamp(input, min=min)``."""
    return clamp(input, min, None)


def clamp_max(input: Tensor, max: Any) -> Tensor:  # noqa: A002
    """``clamp(input, max=max)``."""
    return clamp(input, None, max)


def lerp(input: Tensor, end: Tensor, weight: Any) -> Tensor:  # noqa: A002
    """``input + weight * (end - input)``; ``weight`` a number or a broadcasting tensor."""
    return Lerp()(input, end, weight)


def fmax(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """Elementwise max that ignores a nan (nan only where both are). Shape: broadcast."""
    return FMax(True)(input, other)


def fmin(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """Elementwise min that ignores a nan (nan only where both are). Shape: broadcast."""
    return FMax(False)(input, other)


def remainder(input: Any, other: Any) -> Tensor:  # noqa: A002
    """Python's ``%``: the result has the sign of ``other``."""
    return Remainder(True)(input, other)


def fmod(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """C's ``fmod``: the result has the sign of ``input``."""
    return Remainder(False)(input, other)


def floor_divide(input: Any, other: Any) -> Tensor:  # noqa: A002
    """``input // other`` rounded down (PyTorch has no gradient for it; here it is 0)."""
    return DivRounding("floor")(input, other)


def addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:  # noqa: A002
    """``input + value * tensor1 * tensor2`` (broadcasting)."""
    product = Mul()(tensor1, tensor2)
    return Add()(input, product if value == 1 else Mul()(product, value))


def addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:  # noqa: A002
    """``input + value * tensor1 / tensor2`` (broadcasting)."""
    quotient = Div()(tensor1, tensor2)
    return Add()(input, quotient if value == 1 else Mul()(quotient, value))
