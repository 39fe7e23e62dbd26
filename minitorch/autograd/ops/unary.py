"""Pointwise maths of one tensor: exp2, expm1, log2/log10/log1p, rsqrt, reciprocal, square, sign,
erf/erfc, rounding (floor, ceil, round, trunc), frac, nan_to_num.

Shape: any -> same. Integer inputs compute in the default float dtype where PyTorch's result is
floating (``floating``); rounding, sign and square keep an integer dtype.
"""

from __future__ import annotations

import math
from typing import Any

from minitorch.autograd.function import Function
from minitorch.autograd.ops.casting import floating
from minitorch.autograd.tensor import Tensor
from minitorch.backend import get_backend

LN2, LN10 = math.log(2.0), math.log(10.0)
TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


class Exp2(Function):
    """``2^x``: dx = ln 2 * y dy."""

    def forward(self, x: Any) -> Any:
        y = get_backend(x).xp.exp2(floating(x))
        self.save_for_backward(y)
        return y

    def backward(self, dy: Any) -> Any:
        (y,) = self.saved
        return dy * y * LN2


class Expm1(Function):
    """``exp(x) - 1``, accurate near 0: dx = (y + 1) dy."""

    def forward(self, x: Any) -> Any:
        y = get_backend(x).xp.expm1(floating(x))
        self.save_for_backward(y)
        return y

    def backward(self, dy: Any) -> Any:
        (y,) = self.saved
        return dy * (y + 1)


class LogBase(Function):
    """``log(x) / log(base)`` for base 2 or 10: dx = dy / (x ln base)."""

    def __init__(self, base: int):
        self.base = base

    def forward(self, x: Any) -> Any:
        x = floating(x)
        self.save_for_backward(x)
        xp = get_backend(x).xp
        return xp.log2(x) if self.base == 2 else xp.log10(x)

    def backward(self, dy: Any) -> Any:
        (x,) = self.saved
        return dy / (x * (LN2 if self.base == 2 else LN10))


class Log1p(Function):
    """``log(1 + x)``, accurate near 0: dx = dy / (1 + x)."""

    def forward(self, x: Any) -> Any:
        x = floating(x)
        self.save_for_backward(x)
        return get_backend(x).xp.log1p(x)

    def backward(self, dy: Any) -> Any:
        (x,) = self.saved
        return dy / (1 + x)


class Rsqrt(Function):
    """``1 / sqrt(x)``: dx = -y^3 dy / 2."""

    def forward(self, x: Any) -> Any:
        y = get_backend(x).xp.sqrt(floating(x))
        y = 1 / y
        self.save_for_backward(y)
        return y

    def backward(self, dy: Any) -> Any:
        (y,) = self.saved
        return dy * (y * y * y) * -0.5


class Reciprocal(Function):
    """``1 / x``: dx = -y^2 dy."""

    def forward(self, x: Any) -> Any:
        y = 1 / floating(x)
        self.save_for_backward(y)
        return y

    def backward(self, dy: Any) -> Any:
        (y,) = self.saved
        return -dy * (y * y)


class Square(Function):
    """``x * x`` (integers stay integers, bool becomes int64): dx = 2 x dy."""

    def forward(self, x: Any) -> Any:
        if x.dtype.kind == "b":
            x = x.astype("int64")
        self.save_for_backward(x)
        return x * x

    def backward(self, dy: Any) -> Any:
        (x,) = self.saved
        return dy * (2 * x)


class Sign(Function):
    """``sign(x)`` in x's dtype (-1, 0 or 1; nan stays nan); its gradient is 0."""

    def forward(self, x: Any) -> Any:
        return x.copy() if x.dtype.kind == "b" else get_backend(x).xp.sign(x)

    def backward(self, dy: Any) -> Any:
        return get_backend(dy).xp.zeros_like(dy)


class Erf(Function):
    """``erf(x)``: dx = 2/sqrt(pi) exp(-x^2) dy."""

    def forward(self, x: Any) -> Any:
        x = floating(x)
        self.save_for_backward(x)
        return get_backend(x).erf(x)

    def backward(self, dy: Any) -> Any:
        (x,) = self.saved
        return dy * (get_backend(x).xp.exp(-x * x) * TWO_OVER_SQRT_PI)


class Erfc(Function):
    """``1 - erf(x)``, accurate where erf(x) is near 1: dx = -2/sqrt(pi) exp(-x^2) dy."""

    def forward(self, x: Any) -> Any:
        x = floating(x)
        self.save_for_backward(x)
        return get_backend(x).erfc(x)

    def backward(self, dy: Any) -> Any:
        (x,) = self.saved
        return dy * (get_backend(x).xp.exp(-x * x) * -TWO_OVER_SQRT_PI)


class Rounding(Function):
    """``floor``, ``ceil``, ``trunc`` or ``round`` (half to even, ``decimals`` places); integer
    inputs come back unchanged. The gradient is 0 (the function is flat almost everywhere)."""

    def __init__(self, mode: str, decimals: int = 0):
        self.mode, self.decimals = mode, decimals

    def forward(self, x: Any) -> Any:
        xp = get_backend(x).xp
        if x.dtype.kind in "biu":
            return x.copy()
        if self.mode == "round":
            return xp.round(x, self.decimals)
        return getattr(xp, self.mode)(x)

    def backward(self, dy: Any) -> Any:
        return get_backend(dy).xp.zeros_like(dy)


class Frac(Function):
    """``x - trunc(x)`` (keeps the sign of x): dx = dy."""

    def forward(self, x: Any) -> Any:
        if x.dtype.kind not in "fc":
            raise TypeError(f"frac expects a floating tensor, got dtype {x.dtype}")
        return x - get_backend(x).xp.trunc(x)

    def backward(self, dy: Any) -> Any:
        return dy


class NanToNum(Function):
    """``nan_to_num(x, nan, posinf, neginf)``: nan and infinities replaced (infinities by the
    dtype's extremes unless given); the gradient passes where x was finite, 0 elsewhere."""

    def __init__(self, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None):
        self.nan, self.posinf, self.neginf = nan, posinf, neginf

    def forward(self, x: Any) -> Any:
        xp = get_backend(x).xp
        if x.dtype.kind not in "fc":
            return x.copy()
        self.save_for_backward(xp.isfinite(x))
        return xp.nan_to_num(x, nan=self.nan, posinf=self.posinf, neginf=self.neginf)

    def backward(self, dy: Any) -> Any:
        (finite,) = self.saved
        return get_backend(dy).xp.where(finite, dy, dy.dtype.type(0))


def exp2(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise ``2 ** input``."""
    return Exp2()(input)


def expm1(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise ``exp(input) - 1``, accurate near 0."""
    return Expm1()(input)


def log2(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise base-2 logarithm."""
    return LogBase(2)(input)


def log10(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise base-10 logarithm."""
    return LogBase(10)(input)


def log1p(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise ``log(1 + input)``, accurate near 0."""
    return Log1p()(input)


def rsqrt(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise ``1 / sqrt(input)``."""
    return Rsqrt()(input)


def reciprocal(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise ``1 / input`` (floating result)."""
    return Reciprocal()(input)


def square(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise ``input * input``."""
    return Square()(input)


def sign(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise sign: -1, 0 or 1 in the input's dtype (zero gradient)."""
    return Sign()(input)


def erf(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise error function."""
    return Erf()(input)


def erfc(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise ``1 - erf(input)``, accurate for large input."""
    return Erfc()(input)


def floor(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise round down (zero gradient)."""
    return Rounding("floor")(input)


def ceil(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise round up (zero gradient)."""
    return Rounding("ceil")(input)


def trunc(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise round toward zero (zero gradient)."""
    return Rounding("trunc")(input)


def round(input: Tensor, *, decimals: int = 0) -> Tensor:  # noqa: A001, A002
    """Round half to even, to ``decimals`` places (negative: to tens, hundreds ...)."""
    if not isinstance(decimals, int):
        raise TypeError(f"round: decimals must be an int, got {type(decimals).__name__}")
    return Rounding("round", decimals)(input)


def frac(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise fractional part ``input - trunc(input)`` (gradient 1)."""
    return Frac()(input)


def nan_to_num(input: Tensor, nan: float = 0.0, posinf: float | None = None,  # noqa: A002
               neginf: float | None = None) -> Tensor:  # fmt: skip
    """nan, +inf and -inf replaced by ``nan``, ``posinf`` and ``neginf`` (the dtype's extremes
    by default)."""
    return NanToNum(nan, posinf, neginf)(input)


sgn, fix = sign, trunc  # PyTorch's aliases (sgn equals sign for real tensors)
