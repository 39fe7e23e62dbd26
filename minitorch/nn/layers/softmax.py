"""``Softmax``, ``LogSoftmax`` and ``Softmin`` along one dimension, computed stably (the max
is subtracted).

The math is in ``autograd/ops/activation.py`` (behind ``Tensor.softmax``/``log_softmax``); these
layers add the Module parts of a ``Layer`` (Softmin's math is in ``nn/functions/activation.py``).
"""

from __future__ import annotations

from minitorch.autograd.ops import activation
from minitorch.nn.functions.activation import Softmin as SoftminFunction
from minitorch.nn.layer import Layer


class Softmax(Layer, activation.Softmax):
    """``y = exp(x) / sum(exp(x), dim)``; caches y, since dx = y * (dy - sum(dy * y, dim)).

    Shape: any -> same; each slice along ``dim`` sums to 1.
    """

    input_dtypes = "floating"

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Layer, activation.LogSoftmax):
    """``y = x - log(sum(exp(x), dim))``; caches y, since dx = dy - exp(y) * sum(dy, dim).

    Shape: any -> same.
    """

    input_dtypes = "floating"

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softmin(Layer, SoftminFunction):
    """``y = softmax(-x, dim)``; the math is ``nn/functions/activation.Softmin``.

    Shape: any -> same; each slice along ``dim`` sums to 1.
    """

    input_dtypes = "floating"

    def extra_repr(self) -> str:
        return f"dim={self.dim}"
