"""Piecewise-linear activations: ``Hardtanh``, ``ReLU6``, ``Hardsigmoid``, ``Hardswish`` and the
learned-slope ``PReLU``.

The parameter-free ones are the Functions of ``nn/functions/activation.py`` with the Module
parts of a ``Layer`` added; PReLU owns its slopes and calls ``nn/functions/prelu.py``.
"""

from __future__ import annotations

from typing import Any

from minitorch.backend import Array
from minitorch.nn.functions import activation
from minitorch.nn.functions.prelu import prelu_backward, prelu_forward
from minitorch.nn.init import constant_
from minitorch.nn.layer import Layer
from minitorch.nn.parameter import Parameter, empty_param


class Hardtanh(Layer, activation.Hardtanh):
    """``y = clip(x, min_val, max_val)``.

    Shape: any -> same.
    """

    input_dtypes = "numeric"

    def extra_repr(self) -> str:
        inplace = ", inplace=True" if self.inplace else ""
        return f"min_val={self.min_val}, max_val={self.max_val}{inplace}"


class ReLU6(Hardtanh):
    """``y = min(max(x, 0), 6)``: ``Hardtanh(0, 6)``.

    Shape: any -> same.
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Hardsigmoid(Layer, activation.Hardsigmoid):
    """``y = clip(x / 6 + 1/2, 0, 1)``; its repr omits ``inplace``, as PyTorch's.

    Shape: any -> same.
    """

    input_dtypes = "floating"


class Hardswish(Layer, activation.Hardswish):
    """``y = x * clip(x + 3, 0, 6) / 6``; its repr omits ``inplace``, as PyTorch's.

    Shape: any -> same.
    """

    input_dtypes = "floating"


class PReLU(Layer):
    """``y = x`` where x > 0, else ``weight * x``: one learned slope, or one per channel (dim 1),
    each starting at ``init``.

    Shape: any -> same (with ``num_parameters > 1``: (N, C, *) with C = num_parameters);
    weight (num_parameters,).
    """

    def __init__(self, num_parameters: int = 1, init: float = 0.25, device: Any = None,
                 dtype: Any = None) -> None:  # fmt: skip
        super().__init__()
        if not isinstance(num_parameters, int) or num_parameters < 1:
            raise ValueError(f"PReLU: num_parameters must be a positive int, got {num_parameters}")
        self.num_parameters, self.init = num_parameters, init
        self.weight = Parameter(empty_param((num_parameters,), device, dtype))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Every slope in ``weight`` to ``init``."""
        constant_(self.weight, self.init)

    def forward(self, x: Array) -> Array:
        y, saved = prelu_forward(f"PReLU({self.num_parameters})", x, self.weight.array)
        self.save_for_backward(*saved)
        return y

    def backward(self, dy: Array) -> Array | None:
        dx, dw = prelu_backward(dy, self.saved, self.needs_input_grad[0],
                                self.weight.requires_grad)  # fmt: skip
        if dw is not None:
            self.add_grad(self.weight, dw)
        return dx

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"
