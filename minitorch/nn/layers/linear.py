"""``Linear`` and ``Identity``."""

from __future__ import annotations

import math
from typing import Any

from minitorch.backend import Array, get_backend
from minitorch.nn import init
from minitorch.nn.layer import Layer
from minitorch.nn.parameter import Parameter, empty_param


class Linear(Layer):
    """Affine map ``y = x @ weight.T + bias``.

    Shape: input (*, in_features) -> output (*, out_features); weight (out_features, in_features).
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:  # fmt: skip
        super().__init__()
        if in_features < 0 or out_features < 0:
            raise ValueError(
                f"Linear: feature counts must be >= 0, got ({in_features}, {out_features})"
            )
        self.in_features, self.out_features = in_features, out_features
        self.weight = Parameter(empty_param((out_features, in_features), device, dtype))
        self.bias = Parameter(empty_param((out_features,), device, dtype)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """PyTorch's init: ``weight`` and ``bias`` from U(-k, k), ``k = 1 / sqrt(in_features)``."""
        # PyTorch's choice: kaiming_uniform(a=sqrt(5)) = U(-1/sqrt(fan_in), 1/sqrt(fan_in))
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_features) if self.in_features > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x: Array) -> Array:
        if x.ndim == 0 or x.shape[-1] != self.in_features:
            raise ValueError(
                f"Linear({self.in_features}, {self.out_features}) expects input of shape "
                f"(*, {self.in_features}), got {tuple(x.shape)}"
            )
        if x.dtype != self.weight.dtype:
            raise TypeError(
                f"Linear: input dtype {x.dtype} differs from weight dtype {self.weight.dtype}; "
                f"convert the input with .to({self.weight.dtype}) or the model with .to(dtype)"
            )
        self.save_for_backward(x)
        backend, W = get_backend(x), self.weight.array
        y = backend.matmul(x, W.T) if x.ndim == 2 else backend.rows_matmul(x, W.T)
        if self.bias is not None:
            y += self.bias.array
        return y

    def backward(self, dy: Array) -> Array | None:
        (x,) = self.saved
        backend = get_backend(dy)
        rows = math.prod(dy.shape[:-1])  # explicit: -1 is ambiguous when a feature size is 0
        dy2 = dy.reshape(rows, self.out_features)
        if self.weight.requires_grad:  # row-major, like the weight (the optimizer's fast path)
            self.add_grad(self.weight, dy2.T @ x.reshape(rows, self.in_features))
        if self.bias is not None and self.bias.requires_grad:
            self.add_grad(self.bias, dy2.sum(axis=0))
        if not self.needs_input_grad[0]:
            return None
        W = self.weight.array
        return backend.matmul(dy, W) if dy.ndim == 2 else backend.rows_matmul(dy, W)

    def extra_repr(self) -> str:
        bias = self.bias is not None
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={bias}"


class Identity(Layer):
    """``y = x`` (a placeholder that accepts and ignores constructor arguments, as PyTorch).

    Shape: any -> same.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, x: Array) -> Array:
        return x

    def backward(self, dy: Array) -> Array:
        return dy
