"""Comparisons, logical and bitwise ops as Tensor methods (bool results, no gradient)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import minitorch.autograd as autograd

if TYPE_CHECKING:
    from minitorch.autograd.tensor import Tensor


class LogicalMethods:
    """``t.isnan()``, ``t.logical_and(u)``, ``t & u``, ``t.allclose(u)`` ..."""

    __slots__ = ()

    def isnan(self) -> Tensor:
        """True where the element is nan (bool, same shape)."""
        return autograd.ops.isnan(self)

    def isinf(self) -> Tensor:
        """True where the element is +inf or -inf (bool, same shape)."""
        return autograd.ops.isinf(self)

    def isposinf(self) -> Tensor:
        """True where the element is +inf (bool, same shape)."""
        return autograd.ops.isposinf(self)

    def isneginf(self) -> Tensor:
        """True where the element is -inf (bool, same shape)."""
        return autograd.ops.isneginf(self)

    def isfinite(self) -> Tensor:
        """True where the element is neither nan nor infinite (bool, same shape)."""
        return autograd.ops.isfinite(self)

    def isreal(self) -> Tensor:
        """True where the element is real (every element of a real tensor)."""
        return autograd.ops.isreal(self)

    def logical_not(self) -> Tensor:
        """``not self`` elementwise, nonzero counting as True (bool)."""
        return autograd.ops.logical_not(self)

    def bitwise_not(self) -> Tensor:
        """``~self`` on a bool/integer tensor."""
        return autograd.ops.bitwise_not(self)

    def is_floating_point(self) -> Tensor:
        """True for a floating dtype."""
        return autograd.ops.is_floating_point(self)

    def is_nonzero(self) -> Tensor:
        """The truth of a one-element tensor (an error for any other size)."""
        return autograd.ops.is_nonzero(self)

    def greater(self, other: Any) -> Tensor:
        """``self > other`` elementwise (bool)."""
        return autograd.ops.greater(self, other)

    def greater_equal(self, other: Any) -> Tensor:
        """``self >= other`` elementwise (bool)."""
        return autograd.ops.greater_equal(self, other)

    def less(self, other: Any) -> Tensor:
        """``self < other`` elementwise (bool)."""
        return autograd.ops.less(self, other)

    def less_equal(self, other: Any) -> Tensor:
        """``self <= other`` elementwise (bool)."""
        return autograd.ops.less_equal(self, other)

    def not_equal(self, other: Any) -> Tensor:
        """``self != other`` elementwise (bool)."""
        return autograd.ops.not_equal(self, other)

    def logical_and(self, other: Any) -> Tensor:
        """``self and other`` elementwise, nonzero counting as True (bool; broadcast)."""
        return autograd.ops.logical_and(self, other)

    def logical_or(self, other: Any) -> Tensor:
        """``self or other`` elementwise, nonzero counting as True (bool; broadcast)."""
        return autograd.ops.logical_or(self, other)

    def logical_xor(self, other: Any) -> Tensor:
        """``self xor other`` elementwise, nonzero counting as True (bool; broadcast)."""
        return autograd.ops.logical_xor(self, other)

    def bitwise_and(self, other: Any) -> Tensor:
        """``self & other`` on bool/integer tensors."""
        return autograd.ops.bitwise_and(self, other)

    def bitwise_or(self, other: Any) -> Tensor:
        """``self | other`` on bool/integer tensors."""
        return autograd.ops.bitwise_or(self, other)

    def bitwise_xor(self, other: Any) -> Tensor:
        """``self ^ other`` on bool/integer tensors."""
        return autograd.ops.bitwise_xor(self, other)

    def equal(self, other: Any) -> bool:
        """True when both tensors have one shape and equal elements (nan is never equal)."""
        return autograd.ops.equal(self, other)

    def isclose(self, other: Any, rtol: float = 1e-05, atol: float = 1e-08,
                equal_nan: bool = False) -> Tensor:  # fmt: skip
        """``|self - other| <= atol + rtol * |other|`` elementwise (bool)."""
        return autograd.ops.isclose(self, other, rtol, atol, equal_nan)

    def allclose(self, other: Any, rtol: float = 1e-05, atol: float = 1e-08,
                 equal_nan: bool = False) -> bool:  # fmt: skip
        """True when every element satisfies ``isclose``."""
        return autograd.ops.allclose(self, other, rtol, atol, equal_nan)

    def __invert__(self) -> Tensor:
        return autograd.ops.bitwise_not(self)

    def __and__(self, other: Any) -> Tensor:
        return autograd.ops.bitwise_and(self, other)

    def __rand__(self, other: Any) -> Tensor:
        return autograd.ops.bitwise_and(other, self)

    def __or__(self, other: Any) -> Tensor:
        return autograd.ops.bitwise_or(self, other)

    def __ror__(self, other: Any) -> Tensor:
        return autograd.ops.bitwise_or(other, self)

    def __xor__(self, other: Any) -> Tensor:
        return autograd.ops.bitwise_xor(self, other)

    def __rxor__(self, other: Any) -> Tensor:
        return autograd.ops.bitwise_xor(other, self)
