"""Tensor methods that update a tensor in place by arithmetic or an elementwise function:
``add_``, ``sub_``, ``mul_``, ``div_``, ``pow_``, ``+=`` ..., ``clamp_``, ``lerp_``,
``addcmul_``, ``exp_``, ``relu_`` ...; each takes one of the two paths of ``tensor_inplace.py``
(written in place outside the graph, recorded out of place inside it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import minitorch.autograd as autograd
from minitorch.autograd import grad_mode, versions
from minitorch.autograd.tensor_inplace import cast_message
from minitorch.backend import dtypes, get_backend

if TYPE_CHECKING:
    from minitorch.autograd.tensor import Tensor


def _ops() -> Any:
    return autograd.ops


class InplaceMathMethods:
    """Mixin of ``Tensor``: arithmetic and elementwise in-place updates."""

    __slots__ = ()

    # --- arithmetic -----------------------------------------------------------------------------
    def __iadd__(self, other: Any) -> Tensor:
        return self._binary("__iadd__", other, autograd.Tensor.__add__)

    def __isub__(self, other: Any) -> Tensor:
        return self._binary("__isub__", other, autograd.Tensor.__sub__)

    def __imul__(self, other: Any) -> Tensor:
        return self._binary("__imul__", other, autograd.Tensor.__mul__)

    def __itruediv__(self, other: Any) -> Tensor:
        return self.div_(other)

    def add_(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """``self += alpha * other``."""
        return self.__iadd__(_scaled(other, alpha))

    def sub_(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """``self -= alpha * other``."""
        return self.__isub__(_scaled(other, alpha))

    def mul_(self, other: Any) -> Tensor:
        """``self *= other``."""
        return self.__imul__(other)

    def div_(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        """``self /= other``; ``rounding_mode`` ``"trunc"`` or ``"floor"`` rounds the quotient
        (which then carries no gradient, as in PyTorch)."""
        if rounding_mode is None:
            if not dtypes.is_floating(self.array.dtype):
                raise RuntimeError(cast_message(dtypes.get_default_dtype(), self.array.dtype))
            return self._binary("__itruediv__", other, autograd.Tensor.__truediv__)
        if rounding_mode not in ("trunc", "floor"):
            raise RuntimeError(
                "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
                f"{rounding_mode!r}"
            )
        self._check_inplace("div_")
        b = other.array if isinstance(other, autograd.Tensor) else other
        quotient = _rounded_quotient(self.array, b, rounding_mode)
        if self._recorded(other):
            return self._overwrite(autograd.Tensor(quotient))
        return self._store(quotient, "div_")

    def pow_(self, exponent: Any) -> Tensor:
        """``self **= exponent``."""
        return self._binary("__ipow__", exponent, autograd.Tensor.__pow__)

    def __ipow__(self, exponent: Any) -> Tensor:
        return self.pow_(exponent)

    def clamp_(self, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
        """Clip every element into ``[min, max]`` (either may be None)."""
        if min is None and max is None:
            raise RuntimeError("clamp_: At least one of 'min' or 'max' must not be None")
        self._check_inplace("clamp_")
        if self._recorded():
            return self._become(_ops().clip(self, min, max))
        lo = min.array if isinstance(min, autograd.Tensor) else min
        hi = max.array if isinstance(max, autograd.Tensor) else max
        a = self.array
        if not dtypes.is_floating(a.dtype):
            result = dtypes.result_type(a, *(v for v in (lo, hi) if v is not None))
            if not dtypes.can_cast(result, a.dtype):
                raise RuntimeError(cast_message(result, a.dtype))
        get_backend(a).xp.clip(a, lo, hi, out=a)
        versions.bump(a)
        return self

    clip_ = clamp_

    def lerp_(self, end: Any, weight: Any) -> Tensor:
        """``self += weight * (end - self)`` (an exponential moving average's step)."""
        return self._binary("__iadd__", _scaled(end - self, weight), autograd.Tensor.__add__)

    def addcmul_(self, tensor1: Any, tensor2: Any, *, value: Any = 1) -> Tensor:
        """``self += value * tensor1 * tensor2``."""
        return self.__iadd__(_scaled(tensor1 * tensor2, value))

    def addcdiv_(self, tensor1: Any, tensor2: Any, *, value: Any = 1) -> Tensor:
        """``self += value * tensor1 / tensor2``."""
        return self.__iadd__(_scaled(tensor1 / tensor2, value))

    # --- elementwise functions -----------------------------------------------------------------
    def neg_(self) -> Tensor:
        """``self = -self``, in place."""
        return self._unary("neg_", _ops().neg)

    def abs_(self) -> Tensor:
        """``abs`` in place."""
        return self._unary("abs_", _ops().abs)

    def exp_(self) -> Tensor:
        """``exp`` in place."""
        return self._unary("exp_", _ops().exp)

    def log_(self) -> Tensor:
        """``log`` in place."""
        return self._unary("log_", _ops().log)

    def sqrt_(self) -> Tensor:
        """``sqrt`` in place."""
        return self._unary("sqrt_", _ops().sqrt)

    def sigmoid_(self) -> Tensor:
        """``sigmoid`` in place."""
        return self._unary("sigmoid_", _ops().sigmoid)

    def tanh_(self) -> Tensor:
        """``tanh`` in place."""
        return self._unary("tanh_", _ops().tanh)

    def relu_(self) -> Tensor:
        """``relu`` in place."""
        return self._unary("relu_", _ops().relu)


def _scaled(other: Any, alpha: Any) -> Any:
    """``alpha * other``: recorded when ``other`` requires grad, else computed on the array."""
    if isinstance(alpha, autograd.Tensor) or alpha != 1:
        if not isinstance(other, autograd.Tensor):
            return other * alpha
        if grad_mode._enabled and (other.requires_grad or getattr(alpha, "requires_grad", 0)):
            return other * alpha
        return autograd.Tensor(other.array * getattr(alpha, "array", alpha))
    return other


def _rounded_quotient(a: Any, b: Any, mode: str) -> Any:
    """``a / b`` rounded toward zero (``"trunc"``) or down (``"floor"``), in ``a``'s dtype
    family (integer division stays exact)."""
    xp = get_backend(a).xp
    q = xp.floor_divide(a, b)
    if mode == "trunc":
        if dtypes.is_floating(a.dtype):
            return xp.trunc(a / b).astype(q.dtype, copy=False)
        q = q + ((q < 0) & (a != q * b))  # floor went one below zero's side: step back up
    return q
