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
        """Elementwise sine (radians)."""
        return autograd.ops.sin(self)

    def cos(self) -> Tensor:
        """Elementwise cosine."""
        return autograd.ops.cos(self)

    def tan(self) -> Tensor:
        """Elementwise tangent."""
        return autograd.ops.tan(self)

    def asin(self) -> Tensor:
        """Elementwise arcsine, in [-pi/2, pi/2] (nan outside [-1, 1])."""
        return autograd.ops.asin(self)

    def acos(self) -> Tensor:
        """Elementwise arccosine, in [0, pi] (nan outside [-1, 1])."""
        return autograd.ops.acos(self)

    def atan(self) -> Tensor:
        """Elementwise arctangent, in (-pi/2, pi/2)."""
        return autograd.ops.atan(self)

    def sinh(self) -> Tensor:
        """Elementwise hyperbolic sine."""
        return autograd.ops.sinh(self)

    def cosh(self) -> Tensor:
        """Elementwise hyperbolic cosine."""
        return autograd.ops.cosh(self)

    def asinh(self) -> Tensor:
        """Elementwise inverse hyperbolic sine."""
        return autograd.ops.asinh(self)

    def acosh(self) -> Tensor:
        """Elementwise inverse hyperbolic cosine (nan below 1)."""
        return autograd.ops.acosh(self)

    def atanh(self) -> Tensor:
        """Elementwise inverse hyperbolic tangent (nan outside [-1, 1])."""
        return autograd.ops.atanh(self)

    def arcsin(self) -> Tensor:
        """Elementwise arcsine, in [-pi/2, pi/2] (nan outside [-1, 1])."""
        return autograd.ops.arcsin(self)

    def arccos(self) -> Tensor:
        """Elementwise arccosine, in [0, pi] (nan outside [-1, 1])."""
        return autograd.ops.arccos(self)

    def arctan(self) -> Tensor:
        """Elementwise arctangent, in (-pi/2, pi/2)."""
        return autograd.ops.arctan(self)

    def arcsinh(self) -> Tensor:
        """Elementwise inverse hyperbolic sine."""
        return autograd.ops.arcsinh(self)

    def arccosh(self) -> Tensor:
        """Elementwise inverse hyperbolic cosine (nan below 1)."""
        return autograd.ops.arccosh(self)

    def arctanh(self) -> Tensor:
        """Elementwise inverse hyperbolic tangent (nan outside [-1, 1])."""
        return autograd.ops.arctanh(self)

    def exp2(self) -> Tensor:
        """Elementwise ``2 ** self``."""
        return autograd.ops.exp2(self)

    def expm1(self) -> Tensor:
        """Elementwise ``exp(self) - 1``, accurate near 0."""
        return autograd.ops.expm1(self)

    def log2(self) -> Tensor:
        """Elementwise base-2 logarithm."""
        return autograd.ops.log2(self)

    def log10(self) -> Tensor:
        """Elementwise base-10 logarithm."""
        return autograd.ops.log10(self)

    def log1p(self) -> Tensor:
        """Elementwise ``log(1 + self)``, accurate near 0."""
        return autograd.ops.log1p(self)

    def rsqrt(self) -> Tensor:
        """Elementwise ``1 / sqrt(self)``."""
        return autograd.ops.rsqrt(self)

    def square(self) -> Tensor:
        """Elementwise ``self * self``."""
        return autograd.ops.square(self)

    def sign(self) -> Tensor:
        """Elementwise sign: -1, 0 or 1 in the input's dtype (zero gradient)."""
        return autograd.ops.sign(self)

    def sgn(self) -> Tensor:
        """Elementwise sign: -1, 0 or 1 in the input's dtype (zero gradient)."""
        return autograd.ops.sgn(self)

    def reciprocal(self) -> Tensor:
        """Elementwise ``1 / self`` (floating result)."""
        return autograd.ops.reciprocal(self)

    def floor(self) -> Tensor:
        """Elementwise round down (zero gradient)."""
        return autograd.ops.floor(self)

    def ceil(self) -> Tensor:
        """Elementwise round up (zero gradient)."""
        return autograd.ops.ceil(self)

    def trunc(self) -> Tensor:
        """Elementwise round toward zero (zero gradient)."""
        return autograd.ops.trunc(self)

    def fix(self) -> Tensor:
        """Elementwise round toward zero (zero gradient)."""
        return autograd.ops.fix(self)

    def frac(self) -> Tensor:
        """Elementwise fractional part ``self - trunc(self)`` (gradient 1)."""
        return autograd.ops.frac(self)

    def erf(self) -> Tensor:
        """Elementwise error function."""
        return autograd.ops.erf(self)

    def erfc(self) -> Tensor:
        """Elementwise ``1 - erf(self)``, accurate for large input."""
        return autograd.ops.erfc(self)

    def negative(self) -> Tensor:
        """``-self``."""
        return autograd.ops.negative(self)

    def absolute(self) -> Tensor:
        """Elementwise absolute value (``abs``)."""
        return autograd.ops.abs(self)

    def atan2(self, other: Any) -> Tensor:
        """Elementwise angle of (other, self) in (-pi, pi]; broadcasts."""
        return autograd.ops.atan2(self, other)

    def arctan2(self, other: Any) -> Tensor:
        """Elementwise angle of (other, self) in (-pi, pi] (``atan2``)."""
        return autograd.ops.atan2(self, other)

    def round(self, *, decimals: int = 0) -> Tensor:
        """Round half to even, to ``decimals`` places (negative: to tens, hundreds ...)."""
        return autograd.ops.round(self, decimals=decimals)

    def nan_to_num(self, nan: float = 0.0, posinf: float | None = None,
                   neginf: float | None = None) -> Tensor:  # fmt: skip
        """nan, +inf and -inf replaced by ``nan``, ``posinf`` and ``neginf``."""
        return autograd.ops.nan_to_num(self, nan, posinf, neginf)

    def clamp_min(self, min: Any) -> Tensor:  # noqa: A002
        """``self`` clipped below at ``min`` (a number or a broadcasting tensor)."""
        return autograd.ops.clamp(self, min, None)

    def clamp_max(self, max: Any) -> Tensor:  # noqa: A002
        """``self`` clipped above at ``max`` (a number or a broadcasting tensor)."""
        return autograd.ops.clamp(self, None, max)

    def maximum(self, other: Any) -> Tensor:
        """Elementwise larger of two broadcasting tensors (nan wins, as in PyTorch)."""
        return autograd.ops.maximum(self, other)

    def minimum(self, other: Any) -> Tensor:
        """Elementwise smaller of two broadcasting tensors (nan wins, as in PyTorch)."""
        return autograd.ops.minimum(self, other)

    def fmax(self, other: Any) -> Tensor:
        """Elementwise max that ignores a nan (nan only where both are)."""
        return autograd.ops.fmax(self, other)

    def fmin(self, other: Any) -> Tensor:
        """Elementwise min that ignores a nan (nan only where both are)."""
        return autograd.ops.fmin(self, other)

    def lerp(self, end: Any, weight: Any) -> Tensor:
        """``self + weight * (end - self)``; ``weight`` a number or a broadcasting tensor."""
        return autograd.ops.lerp(self, end, weight)

    def addcmul(self, tensor1: Any, tensor2: Any, *, value: Any = 1) -> Tensor:
        """``self + value * tensor1 * tensor2`` (broadcasting)."""
        return autograd.ops.addcmul(self, tensor1, tensor2, value=value)

    def addcdiv(self, tensor1: Any, tensor2: Any, *, value: Any = 1) -> Tensor:
        """``self + value * tensor1 / tensor2`` (broadcasting)."""
        return autograd.ops.addcdiv(self, tensor1, tensor2, value=value)

    def remainder(self, other: Any) -> Tensor:
        """Python's ``%``: the result has the sign of ``other``."""
        return autograd.ops.remainder(self, other)

    def fmod(self, other: Any) -> Tensor:
        """C's ``fmod``: the result has the sign of ``self``."""
        return autograd.ops.fmod(self, other)

    def floor_divide(self, other: Any) -> Tensor:
        """``self // other`` rounded down (PyTorch has no gradient for it; here it is 0)."""
        return autograd.ops.floor_divide(self, other)

    def true_divide(self, other: Any) -> Tensor:
        """``self / other``, true division (``div``)."""
        return autograd.ops.div(self, other)

    def divide(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        """``self / other``: true, or rounded toward zero ("trunc") or down ("floor") (``div``)."""
        return autograd.ops.div(self, other, rounding_mode=rounding_mode)

    def multiply(self, other: Any) -> Tensor:
        """``self * other`` (broadcasting; ``mul``)."""
        return autograd.ops.mul(self, other)

    def subtract(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """``self - alpha * other`` (broadcasting; ``sub``)."""
        return autograd.ops.sub(self, other, alpha=alpha)

    def __mod__(self, other: Any) -> Tensor:
        return autograd.ops.remainder(self, other)

    def __rmod__(self, other: Any) -> Tensor:
        return autograd.ops.remainder(other, self)

    def __floordiv__(self, other: Any) -> Tensor:
        return autograd.ops.floor_divide(self, other)

    def __rfloordiv__(self, other: Any) -> Tensor:
        return autograd.ops.floor_divide(other, self)
