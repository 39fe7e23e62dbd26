"""Elementwise maths: ``exp``, ``log``, ``sqrt``, ``abs``, ``clip``, ``where``."""

from __future__ import annotations

from typing import Any

from minitorch.autograd.function import Function
from minitorch.autograd.ops.arithmetic import promote
from minitorch.autograd.ops.broadcast import shape_of, unbroadcast
from minitorch.backend import get_backend


class Exp(Function):
    """``exp(x)``; backward reuses the output: dx = y * dy."""

    def forward(self, x: Any) -> Any:
        y = get_backend(x).xp.exp(x)
        self.save_for_backward(y)
        return y

    def backward(self, dy: Any) -> Any:
        (y,) = self.saved
        return dy * y


class Log(Function):
    """``log(x)``: dx = dy / x."""

    def forward(self, x: Any) -> Any:
        self.save_for_backward(x)
        return get_backend(x).xp.log(x)

    def backward(self, dy: Any) -> Any:
        (x,) = self.saved
        return dy / x


class Sqrt(Function):
    """``sqrt(x)``: dx = dy / (2 y)."""

    def forward(self, x: Any) -> Any:
        y = get_backend(x).xp.sqrt(x)
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
    """``clip(x, min, max)``: the gradient passes where min <= x <= max."""

    def __init__(self, low: Any = None, high: Any = None):
        if low is None and high is None:
            raise ValueError("clip: give at least one of min and max")
        self.low, self.high = low, high

    def forward(self, x: Any) -> Any:
        xp = get_backend(x).xp
        inside = xp.ones(x.shape, dtype=bool)
        if self.low is not None:
            inside &= x >= self.low
        if self.high is not None:
            inside &= x <= self.high
        self.save_for_backward(inside)
        return xp.clip(x, self.low, self.high)

    def backward(self, dy: Any) -> Any:
        (inside,) = self.saved
        return dy * inside


class Where(Function):
    """``where(cond, a, b)``: ``cond`` is a constant; each branch gets dy where it was chosen."""

    def forward(self, cond: Any, a: Any, b: Any) -> Any:
        xp = get_backend(cond).xp
        self.save_for_backward(cond, shape_of(a), shape_of(b))
        a, b = promote(a, b)
        return xp.where(cond, a, b)

    def backward(self, dy: Any) -> tuple:
        cond, shape_a, shape_b = self.saved
        need = self.needs_input_grad
        zero = dy.dtype.type(0)
        xp = get_backend(dy).xp
        da = unbroadcast(xp.where(cond, dy, zero), shape_a) if need[1] else None
        db = unbroadcast(xp.where(cond, zero, dy), shape_b) if need[2] else None
        return None, da, db
