"""Smooth activations: ``Mish``, ``Softsign``, ``Tanhshrink`` and ``LogSigmoid``, the Functions
of ``nn/functions/activation.py`` with the Module parts of a ``Layer`` added."""

from __future__ import annotations

from minitorch.nn.functions import activation
from minitorch.nn.layer import Layer


class Mish(Layer, activation.Mish):
    """``y = x * tanh(softplus(x))``.

    Shape: any -> same.
    """

    input_dtypes = "floating"

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Softsign(Layer, activation.Softsign):
    """``y = x / (1 + |x|)``.

    Shape: any -> same.
    """

    input_dtypes = "numeric"


class Tanhshrink(Layer, activation.Tanhshrink):
    """``y = x - tanh(x)``.

    Shape: any -> same.
    """

    input_dtypes = "numeric"


class LogSigmoid(Layer, activation.LogSigmoid):
    """``y = log(1 / (1 + exp(-x)))``, computed without overflow.

    Shape: any -> same.
    """

    input_dtypes = "floating"
