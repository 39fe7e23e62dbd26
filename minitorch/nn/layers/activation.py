"""Elementwise activations. Each caches only what its derivative needs (often its output).

ReLU, Sigmoid and Tanh are the Functions behind ``Tensor.relu()`` etc.
(``autograd/ops/activation.py``) with the Module parts of a ``Layer`` added; the others are
written here. ``inplace=True`` writes into the input array when no graph is recorded (see
``nn/functions/activation.write_back``). Backward passes select rather than multiply where
the derivative is 0 or 1, so NaN/inf gradients and NaN inputs behave as in PyTorch.
"""

from __future__ import annotations

from minitorch.autograd.ops import activation
from minitorch.backend import Array, get_backend
from minitorch.nn.functions.activation import write_back
from minitorch.nn.layer import Layer


class ReLU(Layer, activation.ReLU):
    """``y = max(x, 0)`` as a layer (the math is ``autograd.ops.activation.ReLU``).

    ``inplace=True`` writes the result into the input array when no graph is being recorded
    (see ``write_back`` for why a recorded call returns it out of place).

    Shape: any -> same.
    """

    input_dtypes = "numeric"

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, x: Array) -> Array:
        return write_back(self, x, super().forward(x))

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Sigmoid(Layer, activation.Sigmoid):
    """``y = 1 / (1 + exp(-x))`` as a layer (the math is ``autograd.ops.activation.Sigmoid``).

    Shape: any -> same.
    """


class Tanh(Layer, activation.Tanh):
    """``y = tanh(x)`` as a layer (the math is ``autograd.ops.activation.Tanh``).

    Shape: any -> same.
    """


class LeakyReLU(Layer):
    """``y = x`` where x > 0, else ``negative_slope * x``; caches the mask x > 0.

    Shape: any -> same.
    """

    input_dtypes = "floating"

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, x: Array) -> Array:
        positive = x > 0
        self.save_for_backward(positive)
        return write_back(self, x, get_backend(x).xp.where(positive, x, x * self.negative_slope))

    def backward(self, dy: Array) -> Array:
        (positive,) = self.saved
        return get_backend(dy).xp.where(positive, dy, dy * self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class ELU(Layer):
    """``y = x`` where x > 0, else ``alpha * (exp(x) - 1)``; dy/dx = 1 or y + alpha (cached).

    Shape: any -> same.
    """

    input_dtypes = "floating"

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, x: Array) -> Array:
        xp = get_backend(x).xp
        negative = x <= 0  # NaN takes the linear branch (slope 1), as PyTorch's kernel
        # exp only of the non-positive part, so large inputs never overflow
        y = xp.where(negative, self.alpha * xp.expm1(xp.minimum(x, 0)), x)
        if self.caching:
            slope = xp.where(negative, y + self.alpha, 1).astype(x.dtype, copy=False)
            self.save_for_backward(slope)
        return write_back(self, x, y)

    def backward(self, dy: Array) -> Array:
        (slope,) = self.saved
        return dy * slope

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


_SQRT_2_OVER_PI = 0.7978845608028654  # sqrt(2 / pi)
_INV_SQRT_2PI = 0.3989422804014327  # 1 / sqrt(2 pi)


class GELU(Layer):
    """``y = x * Phi(x)``, Phi the standard normal CDF; ``approximate='tanh'`` uses
    ``0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))``. Caches dy/dx.

    Shape: any -> same.
    """

    input_dtypes = "floating"

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, x: Array) -> Array:
        backend = get_backend(x)
        xp = backend.xp
        if self.approximate == "tanh":
            inner = _SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)
            cdf = 0.5 * (1 + xp.tanh(inner))
            if self.caching:  # d/dx = cdf + 0.5 x (1 - t^2) d(inner)/dx; 1 - t^2 = 4 cdf (1 - cdf)
                d_inner = _SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x)
                self.save_for_backward(cdf + x * (2 * cdf * (1 - cdf)) * d_inner)
        else:
            cdf = 0.5 * (1 + backend.erf(x * 0.7071067811865476))
            if self.caching:  # d/dx = Phi(x) + x phi(x)
                self.save_for_backward(cdf + x * (_INV_SQRT_2PI * xp.exp(-0.5 * x * x)))
        return x * cdf

    def backward(self, dy: Array) -> Array:
        (slope,) = self.saved
        return dy * slope

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class SiLU(Layer):
    """``y = x * sigmoid(x)`` (swish); dy/dx = s (1 + x (1 - s)) is cached.

    Shape: any -> same.
    """

    input_dtypes = "floating"

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, x: Array) -> Array:
        s = get_backend(x).sigmoid(x)
        if self.caching:
            self.save_for_backward(s * (1 + x * (1 - s)))
        return write_back(self, x, x * s)

    def backward(self, dy: Array) -> Array:
        (slope,) = self.saved
        return dy * slope

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Softplus(Layer):
    """``y = log(1 + exp(beta x)) / beta``, and ``y = x`` where ``beta x > threshold``;
    dy/dx = sigmoid(beta x) (1 past the threshold) is cached.

    Shape: any -> same.
    """

    input_dtypes = "floating"

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, x: Array) -> Array:
        xp = get_backend(x).xp
        bx = x * self.beta
        linear = bx > self.threshold
        e = xp.exp(xp.minimum(bx, self.threshold))  # clipped: no overflow in the linear part
        y = xp.where(linear, x, xp.log1p(e) / self.beta)
        if self.caching:
            self.save_for_backward(xp.where(linear, 1, e / (e + 1)).astype(x.dtype, copy=False))
        return y

    def backward(self, dy: Array) -> Array:
        (slope,) = self.saved
        return dy * slope

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"
