"""Elementwise maths: ``exp``, ``log``, ``sqrt``, ``abs``, ``clip``, ``where``.

Integer inputs of exp, log and sqrt compute in the default float dtype, as in PyTorch.
"""

from __future__ import annotations

from typing import Any

from minitorch.autograd.function import Function
from minitorch.autograd.ops.arithmetic import promote
from minitorch.autograd.ops.broadcast import shape_of, unbroadcast
from minitorch.autograd.ops.casting import floating
from minitorch.backend import dtypes, get_backend


class Exp(Function):
    """``exp(x)``; backward reuses the output: dx = y * dy."""

    def forward(self, x: Any) -> Any:
        y = get_backend(x).xp.exp(floating(x))
        self.save_for_backward(y)
        return y

    def backward(self, dy: Any) -> Any:
        (y,) = self.saved
        return dy * y


class Log(Function):
    """``log(x)``: dx = dy / x."""

    def forward(self, x: Any) -> Any:
        x = floating(x)
        self.save_for_backward(x)
        return get_backend(x).xp.log(x)

    def backward(self, dy: Any) -> Any:
        (x,) = self.saved
        return dy / x


class Sqrt(Function):
    """``sqrt(x)``: dx = dy / (2 y)."""

    def forward(self, x: Any) -> Any:
        y = get_backend(x).xp.sqrt(floating(x))
        self.save_for_backward(y)
        return y

    def backward(self, dy: Any) -> Any:
        (y,) = self.saved
        return dy / (2 * y)


class Abs(Function):
    """``|x|``: dx = sign(x) dy (0 at x = 0, as PyTorch)."""

    def forward(self, x: Any) -> Any:
        xp = get_backend(x).xp
        self.save_for_backward(xp.sign(x))
        return xp.abs(x)

    def backward(self, dy: Any) -> Any:
        (sign,) = self.saved
        return dy * sign


class Clip(Function):
    """``clip(x, min, max)`` with number bounds: the gradient passes where min <= x <= max
    (selected, so a nan gradient stays where it was); the dtype is PyTorch's promotion (an
    int tensor clipped at 0.5 is float)."""

    def __init__(self, low: Any = None, high: Any = None):
        if low is None and high is None:
            raise ValueError("clip: give at least one of min and max")
        self.low, self.high = low, high

    def forward(self, x: Any) -> Any:
        xp = get_backend(x).xp
        if x.dtype.kind not in "fc":
            dtype = dtypes.result_type(x, *(v for v in (self.low, self.high) if v is not None))
            x = x.astype(dtype, copy=False)
        if self.caching:
            inside = True if self.low is None else x >= self.low
            if self.high is not None:
                inside = inside & (x <= self.high)
            self.save_for_backward(inside)
        return xp.clip(x, self.low, self.high)

    def backward(self, dy: Any) -> Any:
        (inside,) = self.saved
        return get_backend(dy).xp.where(inside, dy, dy.dtype.type(0))


class Where(Function):
    """``where(cond, a, b)``: ``cond`` is a constant; each branch gets dy where it was chosen."""

    def forward(self, cond: Any, a: Any, b: Any) -> Any:
        xp = get_backend(cond).xp
        self.save_for_backward(cond, shape_of(a), shape_of(b))
        if hasattr(a, "dtype") and hasattr(b, "dtype"):  # two arrays: promote sets the dtype
            a, b = promote(a, b)
            return xp.where(cond, a, b)
        dtype = dtypes.result_type(a, b)  # a number branch: NumPy would make it float64
        y = xp.where(cond, *promote(a, b))
        return y if y.dtype == dtype else y.astype(dtype)

    def backward(self, dy: Any) -> tuple:
        cond, shape_a, shape_b = self.saved
        need = self.needs_input_grad
        zero = dy.dtype.type(0)
        xp = get_backend(dy).xp
        da = unbroadcast(xp.where(cond, dy, zero), shape_a) if need[1] else None
        db = unbroadcast(xp.where(cond, zero, dy), shape_b) if need[2] else None
        return None, da, db
