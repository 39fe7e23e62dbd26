"""Trigonometric and hyperbolic functions (``torch.sin`` ... ``torch.atanh``, ``atan2``).

Each caches what its derivative needs: the input, or the output where that is cheaper.
Integer inputs compute in the default float dtype (``floating``), as in PyTorch.
Shape: any -> same (``atan2`` broadcasts its two inputs).
"""

from __future__ import annotations

from typing import Any

from minitorch.autograd.function import Function
from minitorch.autograd.ops.arithmetic import promote
from minitorch.autograd.ops.broadcast import shape_of, unbroadcast
from minitorch.autograd.ops.casting import floating, floating_result
from minitorch.autograd.tensor import Tensor
from minitorch.backend import get_backend


class Sin(Function):
    """``sin(x)``: dx = cos(x) dy."""

    def forward(self, x: Any) -> Any:
        x = floating(x)
        self.save_for_backward(x)
        return get_backend(x).xp.sin(x)

    def backward(self, dy: Any) -> Any:
        (x,) = self.saved
        return dy * get_backend(x).xp.cos(x)


class Cos(Function):
    """``cos(x)``: dx = -sin(x) dy."""

    def forward(self, x: Any) -> Any:
        x = floating(x)
        self.save_for_backward(x)
        return get_backend(x).xp.cos(x)

    def backward(self, dy: Any) -> Any:
        (x,) = self.saved
        return -dy * get_backend(x).xp.sin(x)


class Tan(Function):
    """``tan(x)``: dx = (1 + y^2) dy."""

    def forward(self, x: Any) -> Any:
        y = get_backend(x).xp.tan(floating(x))
        self.save_for_backward(y)
        return y

    def backward(self, dy: Any) -> Any:
        (y,) = self.saved
        return dy * (1 + y * y)


class Asin(Function):
    """``asin(x)``: dx = dy / sqrt(1 - x^2)."""

    def forward(self, x: Any) -> Any:
        x = floating(x)
        self.save_for_backward(x)
        return get_backend(x).xp.arcsin(x)

    def backward(self, dy: Any) -> Any:
        (x,) = self.saved
        return dy / get_backend(x).xp.sqrt(1 - x * x)


class Acos(Function):
    """``acos(x)``: dx = -dy / sqrt(1 - x^2)."""

    def forward(self, x: Any) -> Any:
        x = floating(x)
        self.save_for_backward(x)
        return get_backend(x).xp.arccos(x)

    def backward(self, dy: Any) -> Any:
        (x,) = self.saved
        return -dy / get_backend(x).xp.sqrt(1 - x * x)


class Atan(Function):
    """``atan(x)``: dx = dy / (1 + x^2)."""

    def forward(self, x: Any) -> Any:
        x = floating(x)
        self.save_for_backward(x)
        return get_backend(x).xp.arctan(x)

    def backward(self, dy: Any) -> Any:
        (x,) = self.saved
        return dy / (1 + x * x)


class Sinh(Function):
    """``sinh(x)``: dx = cosh(x) dy."""

    def forward(self, x: Any) -> Any:
        x = floating(x)
        self.save_for_backward(x)
        return get_backend(x).xp.sinh(x)

    def backward(self, dy: Any) -> Any:
        (x,) = self.saved
        return dy * get_backend(x).xp.cosh(x)


class Cosh(Function):
    """``cosh(x)``: dx = sinh(x) dy."""

    def forward(self, x: Any) -> Any:
        x = floating(x)
        self.save_for_backward(x)
        return get_backend(x).xp.cosh(x)

    def backward(self, dy: Any) -> Any:
        (x,) = self.saved
        return dy * get_backend(x).xp.sinh(x)


class Asinh(Function):
    """``asinh(x)``: dx = dy / sqrt(x^2 + 1)."""

    def forward(self, x: Any) -> Any:
        x = floating(x)
        self.save_for_backward(x)
        return get_backend(x).xp.arcsinh(x)

    def backward(self, dy: Any) -> Any:
        (x,) = self.saved
        return dy / get_backend(x).xp.sqrt(x * x + 1)


class Acosh(Function):
    """``acosh(x)``: dx = dy / sqrt(x^2 - 1)."""

    def forward(self, x: Any) -> Any:
        x = floating(x)
        self.save_for_backward(x)
        return get_backend(x).xp.arccosh(x)

    def backward(self, dy: Any) -> Any:
        (x,) = self.saved
        return dy / get_backend(x).xp.sqrt(x * x - 1)


class Atanh(Function):
    """``atanh(x)``: dx = dy / (1 - x^2)."""

    def forward(self, x: Any) -> Any:
        x = floating(x)
        self.save_for_backward(x)
        return get_backend(x).xp.arctanh(x)

    def backward(self, dy: Any) -> Any:
        (x,) = self.saved
        return dy / (1 - x * x)


class Atan2(Function):
    """``atan2(a, b)``, the angle of the point (b, a): da = b dy / r^2, db = -a dy / r^2 with
    r^2 = a^2 + b^2."""

    def forward(self, a: Any, b: Any) -> Any:
        xp = get_backend(a if hasattr(a, "shape") else b).xp
        dtype = floating_result(a, b)
        a, b = promote(a, b)
        a, b = (v.astype(dtype, copy=False) if hasattr(v, "dtype") else v for v in (a, b))
        self.save_for_backward(a, b)
        return xp.asarray(xp.arctan2(a, b), dtype=dtype)

    def backward(self, dy: Any) -> tuple:
        a, b = self.saved
        scale = dy / (a * a + b * b)
        need = self.needs_input_grad
        da = unbroadcast(scale * b, shape_of(a)) if need[0] else None
        db = unbroadcast(-scale * a, shape_of(b)) if need[1] else None
        return da, db


def sin(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise sine (radians)."""
    return Sin()(input)


def cos(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise cosine."""
    return Cos()(input)


def tan(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise tangent."""
    return Tan()(input)


def asin(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise arcsine, in [-pi/2, pi/2] (nan outside [-1, 1])."""
    return Asin()(input)


def acos(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise arccosine, in [0, pi] (nan outside [-1, 1])."""
    return Acos()(input)


def atan(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise arctangent, in (-pi/2, pi/2)."""
    return Atan()(input)


def sinh(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise hyperbolic sine."""
    return Sinh()(input)


def cosh(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise hyperbolic cosine."""
    return Cosh()(input)


def asinh(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise inverse hyperbolic sine."""
    return Asinh()(input)


def acosh(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise inverse hyperbolic cosine (nan below 1)."""
    return Acosh()(input)


def atanh(input: Tensor) -> Tensor:  # noqa: A002
    """Elementwise inverse hyperbolic tangent (nan outside [-1, 1])."""
    return Atanh()(input)


def atan2(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """Elementwise angle of (other, input) in (-pi, pi]; broadcasts."""
    return Atan2()(input, other)


# NumPy-style spellings that PyTorch also exports
arcsin, arccos, arctan, arctan2 = asin, acos, atan, atan2
arcsinh, arccosh, arctanh = asinh, acosh, atanh
