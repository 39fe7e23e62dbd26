"""Piecewise and smooth activations as Functions (the math once), with their ``F.`` forms.

``nn.Hardtanh``, ``nn.ReLU6``, ``nn.Hardsigmoid``, ``nn.Hardswish``, ``nn.Mish``,
``nn.Softsign``, ``nn.Tanhshrink``, ``nn.LogSigmoid`` and ``nn.Softmin`` are these Functions with
the Module parts of a ``Layer`` added; ``F.hardtanh(x)`` ... run them directly. Each caches
only what its derivative needs. Backward passes *select* the incoming gradient
(``where(mask, dy, 0)``) wherever the derivative is 0 or 1, so a NaN or infinite incoming
gradient stays where PyTorch keeps it and becomes 0 where PyTorch gives 0; comparisons with a
NaN input are false, which sends it down the same branch as PyTorch's kernels.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

from minitorch.autograd import Function, Tensor
from minitorch.autograd.ops.activation import Softmax, select
from minitorch.backend import Array, get_backend


def write_back(fn: Function, x: Array, y: Array) -> Array:
    """``inplace=True``: put the result into the input array, as PyTorch does.

    Only when no graph is being recorded: minitorch has no version counters to notice that an
    array another call saved for its backward was overwritten, so while gradients are recorded
    the result is returned out of place (same values, the input left untouched).
    """
    if not getattr(fn, "inplace", False) or fn.caching:
        return y
    x[...] = y
    return x


def _sigmoid(xp: Any, x: Array) -> Array:
    """``1 / (1 + exp(-x))``, the backend's (accurate in both tails)."""
    return get_backend(x).sigmoid(x)


class Hardtanh(Function):
    """``y = clip(x, min_val, max_val)``; dy/dx = 1 strictly inside, else 0 (NaN: 0).

    ``min_value``/``max_value`` are PyTorch's deprecated spellings (a FutureWarning).

    Shape: any -> same.
    """

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False,
                 min_value: float | None = None,
                 max_value: float | None = None) -> None:  # fmt: skip
        super().__init__()  # cooperative: for ``nn.Hardtanh`` this runs Module.__init__
        for old, new in ((min_value, "min_val"), (max_value, "max_val")):
            if old is not None:
                warnings.warn(
                    f"Hardtanh: keyword argument `{new[:3]}_value` is deprecated and renamed "
                    f"to `{new}`",
                    FutureWarning,
                    stacklevel=3,
                )
        min_val = min_val if min_value is None else min_value
        max_val = max_val if max_value is None else max_value
        if not max_val > min_val:
            raise ValueError(
                f"{type(self).__name__}: max_val ({max_val}) must be greater than min_val "
                f"({min_val})"
            )
        self.min_val, self.max_val, self.inplace = min_val, max_val, inplace

    def forward(self, x: Array) -> Array:
        if self.caching:
            self.save_for_backward((x > self.min_val) & (x < self.max_val))
        lo, hi = self.min_val, self.max_val
        if x.dtype.kind in "iu":  # integers stay integers: the integer bounds inside [lo, hi]
            info = get_backend(x).xp.iinfo(x.dtype)  # (clipped to the dtype's own range)
            lo, hi = max(math.ceil(lo), int(info.min)), min(math.floor(hi), int(info.max))
        return write_back(self, x, get_backend(x).xp.clip(x, lo, hi))

    def backward(self, dy: Array) -> Array:
        (inside,) = self.saved
        return select(inside, dy)


class Hardsigmoid(Function):
    """``y = clip(x / 6 + 1/2, 0, 1)``; dy/dx = 1/6 for -3 < x < 3, else 0.

    Shape: any -> same.
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, x: Array) -> Array:
        if self.caching:
            self.save_for_backward((x > -3) & (x < 3))
        y = get_backend(x).xp.clip(x / 6 + 0.5, 0, 1)
        return write_back(self, x, y.astype(x.dtype, copy=False))

    def backward(self, dy: Array) -> Array:
        (inside,) = self.saved
        return select(inside, dy / 6)


class Hardswish(Function):
    """``y = x * clip(x + 3, 0, 6) / 6``; dy/dx = 0 for x <= -3, ``x/3 + 1/2`` for
    -3 < x < 3, 1 from 3 on (and at NaN, as PyTorch's kernel).

    Shape: any -> same.
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, x: Array) -> Array:
        xp = get_backend(x).xp
        if self.caching:  # (an in-place call does not cache: the input is not overwritten)
            self.save_for_backward(x)
        return write_back(self, x, x * (xp.clip(x + 3, 0, 6) / 6).astype(x.dtype, copy=False))

    def backward(self, dy: Array) -> Array:
        (x,) = self.saved
        xp = get_backend(dy).xp
        slope = xp.where(x < 3, x / 3 + 0.5, x.dtype.type(1))  # NaN: 1, as PyTorch
        return select(~(x <= -3), dy * slope)


class Mish(Function):
    """``y = x * tanh(softplus(x))``; dy/dx = t + x * sigmoid(x) * (1 - t^2), t = tanh(sp(x)).

    Shape: any -> same.
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, x: Array) -> Array:
        xp = get_backend(x).xp
        t = xp.tanh(xp.logaddexp(x, 0))  # softplus without overflow
        if self.caching:
            self.save_for_backward(t + x * _sigmoid(xp, x) * (1 - t * t))
        return write_back(self, x, x * t)

    def backward(self, dy: Array) -> Array:
        (slope,) = self.saved
        return dy * slope


class Softsign(Function):
    """``y = x / (1 + |x|)``; dy/dx = 1 / (1 + |x|)^2 (cached).

    Shape: any -> same.
    """

    def forward(self, x: Array) -> Array:
        d = get_backend(x).xp.abs(x) + 1
        if self.caching:
            self.save_for_backward(d)
        return x / d

    def backward(self, dy: Array) -> Array:
        (d,) = self.saved
        dx = dy / (d * d)
        # at x = +-inf PyTorch's composite derivative is inf/inf = NaN, not the limit 0
        return get_backend(d).xp.where(d == math.inf, math.nan, dx)


class Tanhshrink(Function):
    """``y = x - tanh(x)``; dy/dx = tanh(x)^2 (cached).

    Shape: any -> same.
    """

    def forward(self, x: Array) -> Array:
        t = get_backend(x).xp.tanh(x)
        if self.caching:
            self.save_for_backward(t * t)
        return x - t

    def backward(self, dy: Array) -> Array:
        (slope,) = self.saved
        return dy * slope


class LogSigmoid(Function):
    """``y = log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|))``; dy/dx = sigmoid(-x) (cached).

    Shape: any -> same.
    """

    def forward(self, x: Array) -> Array:
        xp = get_backend(x).xp
        if self.caching:
            self.save_for_backward(_sigmoid(xp, -x))
        return xp.minimum(x, 0) - xp.log1p(xp.exp(-xp.abs(x)))

    def backward(self, dy: Array) -> Array:
        (slope,) = self.saved
        return dy * slope


class Softmin(Softmax):
    """``y = softmax(-x, dim)``; the backward is Softmax's, negated.

    Shape: any -> same; each slice along ``dim`` sums to 1.
    """

    def forward(self, x: Array) -> Array:
        return super().forward(-x)

    def backward(self, dy: Array) -> Array:
        return -super().backward(dy)


# --- the functional forms (F.hardtanh ...) ------------------------------------------------------
def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0,  # noqa: A002
             inplace: bool = False) -> Tensor:  # fmt: skip
    """``clip(input, min_val, max_val)``."""
    return Hardtanh(min_val, max_val, inplace)(input)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """``clip(input, 0, 6)``."""
    return Hardtanh(0.0, 6.0, inplace)(input)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """``clip(input / 6 + 1/2, 0, 1)``."""
    return Hardsigmoid(inplace)(input)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """``input * clip(input + 3, 0, 6) / 6``."""
    return Hardswish(inplace)(input)


def mish(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """``input * tanh(softplus(input))``."""
    return Mish(inplace)(input)


def softsign(input: Tensor) -> Tensor:  # noqa: A002
    """``input / (1 + |input|)``."""
    return Softsign()(input)


def tanhshrink(input: Tensor) -> Tensor:  # noqa: A002
    """``input - tanh(input)``."""
    return Tanhshrink()(input)


def logsigmoid(input: Tensor) -> Tensor:  # noqa: A002
    """``log(sigmoid(input))``, computed stably."""
    return LogSigmoid()(input)


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3,  # noqa: A002
            dtype: Any = None) -> Tensor:  # fmt: skip
    """``softmax(-input, dim)``; ``dtype`` converts the input first."""
    return Softmin(dim)(input if dtype is None else input.to(dtype))
