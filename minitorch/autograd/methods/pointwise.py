"""Pointwise maths as Tensor methods: ``t.sin()``, ``t.clamp(0, 1)``, ``t.lerp(end, w)`` ..."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import minitorch.autograd as autograd

if TYPE_CHECKING:
    from minitorch.autograd.tensor import Tensor


class PointwiseMethods:
    """Trigonometric, exponential, rounding and other elementwise methods (``ops`` pointwise)."""

    __slots__ = ()

    def sin(self) -> Tensor:
        return autograd.ops.sin(self)

    def cos(self) -> Tensor:
        return autograd.ops.cos(self)

    def tan(self) -> Tensor:
        return autograd.ops.tan(self)

    def asin(self) -> Tensor:
        return autograd.ops.asin(self)

    def acos(self) -> Tensor:
        return autograd.ops.acos(self)

    def atan(self) -> Tensor:
        return autograd.ops.atan(self)

    def sinh(self) -> Tensor:
        return autograd.ops.sinh(self)

    def cosh(self) -> Tensor:
        return autograd.ops.cosh(self)

    def asinh(self) -> Tensor:
        return autograd.ops.asinh(self)

    def acosh(self) -> Tensor:
        return autograd.ops.acosh(self)

    def atanh(self) -> Tensor:
        return autograd.ops.atanh(self)

    def arcsin(self) -> Tensor:
        return autograd.ops.arcsin(self)

    def arccos(self) -> Tensor:
        return autograd.ops.arccos(self)

    def arctan(self) -> Tensor:
        return autograd.ops.arctan(self)

    def arcsinh(self) -> Tensor:
        return autograd.ops.arcsinh(self)

    def arccosh(self) -> Tensor:
        return autograd.ops.arccosh(self)

    def arctanh(self) -> Tensor:
        return autograd.ops.arctanh(self)

    def exp2(self) -> Tensor:
        return autograd.ops.exp2(self)

    def expm1(self) -> Tensor:
        return autograd.ops.expm1(self)

    def log2(self) -> Tensor:
        return autograd.ops.log2(self)

    def log10(self) -> Tensor:
        return autograd.ops.log10(self)

    def log1p(self) -> Tensor:
        return autograd.ops.log1p(self)

    def rsqrt(self) -> Tensor:
        return autograd.ops.rsqrt(self)

    def square(self) -> Tensor:
        return autograd.ops.square(self)

    def sign(self) -> Tensor:
        return autograd.ops.sign(self)

    def sgn(self) -> Tensor:
        return autograd.ops.sgn(self)

    def reciprocal(self) -> Tensor:
        return autograd.ops.reciprocal(self)

    def floor(self) -> Tensor:
        return autograd.ops.floor(self)

    def ceil(self) -> Tensor:
        return autograd.ops.ceil(self)

    def trunc(self) -> Tensor:
        return autograd.ops.trunc(self)

    def fix(self) -> Tensor:
        return autograd.ops.fix(self)

    def frac(self) -> Tensor:
        return autograd.ops.frac(self)

    def erf(self) -> Tensor:
        return autograd.ops.erf(self)

    def erfc(self) -> Tensor:
        return autograd.ops.erfc(self)

    def negative(self) -> Tensor:
        return autograd.ops.negative(self)

    def absolute(self) -> Tensor:
        return autograd.ops.abs(self)

    def atan2(self, other: Any) -> Tensor:
        return autograd.ops.atan2(self, other)

    def arctan2(self, other: Any) -> Tensor:
        return autograd.ops.atan2(self, other)

    def round(self, *, decimals: int = 0) -> Tensor:
        return autograd.ops.round(self, decimals=decimals)

    def nan_to_num(self, nan: float = 0.0, posinf: float | None = None,
                   neginf: float | None = None) -> Tensor:  # fmt: skip
        return autograd.ops.nan_to_num(self, nan, posinf, neginf)

    def clamp_min(self, min: Any) -> Tensor:  # noqa: A002
        return autograd.ops.clamp(self, min, None)

    def clamp_max(self, max: Any) -> Tensor:  # noqa: A002
        return autograd.ops.clamp(self, None, max)

    def maximum(self, other: Any) -> Tensor:
        return autograd.ops.maximum(self, other)

    def minimum(self, other: Any) -> Tensor:
        return autograd.ops.minimum(self, other)

    def fmax(self, other: Any) -> Tensor:
        return autograd.ops.fmax(self, other)

    def fmin(self, other: Any) -> Tensor:
        return autograd.ops.fmin(self, other)

    def lerp(self, end: Any, weight: Any) -> Tensor:
        return autograd.ops.lerp(self, end, weight)

    def addcmul(self, tensor1: Any, tensor2: Any, *, value: Any = 1) -> Tensor:
        return autograd.ops.addcmul(self, tensor1, tensor2, value=value)

    def addcdiv(self, tensor1: Any, tensor2: Any, *, value: Any = 1) -> Tensor:
        return autograd.ops.addcdiv(self, tensor1, tensor2, value=value)

    def remainder(self, other: Any) -> Tensor:
        return autograd.ops.remainder(self, other)

    def fmod(self, other: Any) -> Tensor:
        return autograd.ops.fmod(self, other)

    def floor_divide(self, other: Any) -> Tensor:
        return autograd.ops.floor_divide(self, other)

    def true_divide(self, other: Any) -> Tensor:
        return autograd.ops.div(self, other)

    def divide(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        return autograd.ops.div(self, other, rounding_mode=rounding_mode)

    def multiply(self, other: Any) -> Tensor:
        return autograd.ops.mul(self, other)

    def subtract(self, other: Any, *, alpha: Any = 1) -> Tensor:
        return autograd.ops.sub(self, other, alpha=alpha)

    def __mod__(self, other: Any) -> Tensor:
        return autograd.ops.remainder(self, other)

    def __rmod__(self, other: Any) -> Tensor:
        return autograd.ops.remainder(other, self)

    def __floordiv__(self, other: Any) -> Tensor:
        return autograd.ops.floor_divide(self, other)

    def __rfloordiv__(self, other: Any) -> Tensor:
        return autograd.ops.floor_divide(other, self)
