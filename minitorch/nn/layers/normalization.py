"""``LayerNorm`` and ``GroupNorm``: parameters and checks; the kernels are in
``nn/functions/norm.py`` (shared with ``F.layer_norm``/``F.group_norm``).
"""

from __future__ import annotations

from typing import Any, Sequence

from minitorch.backend import Array
from minitorch.nn import init
from minitorch.nn.functions.norm import (
    group_norm_backward,
    group_norm_forward,
    layer_norm_backward,
    layer_norm_forward,
)
from minitorch.nn.layer import Layer
from minitorch.nn.parameter import Parameter, empty_param


class LayerNorm(Layer):
    """Normalises over the last ``len(normalized_shape)`` dims: ``y = xhat * weight + bias``.

    Shape: input (*, *normalized_shape) -> same; weight and bias normalized_shape.
    """

    input_dtypes = "floating"

    def __init__(self, normalized_shape: int | Sequence[int], eps: float = 1e-5,
                 elementwise_affine: bool = True, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:  # fmt: skip
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else normalized_shape
        self.normalized_shape = tuple(int(n) for n in shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        self.weight = self.bias = None
        if elementwise_affine:
            self.weight = Parameter(empty_param(self.normalized_shape, device, dtype))
            if bias:
                self.bias = Parameter(empty_param(self.normalized_shape, device, dtype))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """``weight`` to 1 and ``bias`` to 0."""
        if self.weight is not None:
            init.ones_(self.weight)
        if self.bias is not None:
            init.zeros_(self.bias)

    def forward(self, x: Array) -> Array:
        w, b = _data(self.weight), _data(self.bias)
        y, saved = layer_norm_forward(
            f"LayerNorm({self.normalized_shape})", x, self.normalized_shape, w, b, self.eps
        )
        self.save_for_backward(*saved)
        return y

    def backward(self, dy: Array) -> Array | None:
        need_dw = self.weight is not None and self.weight.requires_grad
        dx, dw, db = layer_norm_backward(dy, self.saved, self.needs_input_grad[0], need_dw)
        if dw is not None:
            self.add_grad(self.weight, dw)
        if db is not None:
            self.add_grad(self.bias, db)
        return dx

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}, "
                f"bias={self.bias is not None}")  # fmt: skip


class GroupNorm(Layer):
    """Normalises each sample over groups of ``num_channels // num_groups`` channels (and all
    positions); per-channel ``weight`` and ``bias`` (with ``affine``; ``bias=False`` drops it).

    Shape: input (N, num_channels, *) -> same; weight and bias (num_channels,).
    """

    input_dtypes = "floating"

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5, affine: bool = True,
                 device: Any = None, dtype: Any = None, *, bias: bool = True) -> None:  # fmt: skip
        super().__init__()
        if num_groups <= 0 or num_channels % num_groups:
            raise ValueError(
                f"GroupNorm: num_channels ({num_channels}) must be divisible by num_groups "
                f"({num_groups}), and num_groups must be positive"
            )
        self.num_groups, self.num_channels = num_groups, num_channels
        self.eps, self.affine = eps, affine
        self.weight = self.bias = None
        if affine:
            self.weight = Parameter(empty_param((num_channels,), device, dtype))
            if bias:
                self.bias = Parameter(empty_param((num_channels,), device, dtype))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """``weight`` to 1 and ``bias`` to 0."""
        if self.weight is not None:
            init.ones_(self.weight)
        if self.bias is not None:
            init.zeros_(self.bias)

    def forward(self, x: Array) -> Array:
        name = f"GroupNorm({self.num_groups}, {self.num_channels})"
        y, saved = group_norm_forward(name, x, self.num_groups, self.num_channels,
                                      _data(self.weight), _data(self.bias), self.eps)  # fmt: skip
        self.save_for_backward(*saved)
        return y

    def backward(self, dy: Array) -> Array | None:
        need_dw = self.weight is not None and self.weight.requires_grad
        dx, dw, db = group_norm_backward(dy, self.saved, self.needs_input_grad[0], need_dw)
        if dw is not None:
            self.add_grad(self.weight, dw)
        if db is not None:
            self.add_grad(self.bias, db)
        return dx

    def extra_repr(self) -> str:
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
                f"bias={self.bias is not None}")  # fmt: skip


def _data(param: Parameter | None) -> Array | None:
    return None if param is None else param.array
