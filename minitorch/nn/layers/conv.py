"""Convolutions: ``Conv1d``, ``Conv2d``, ``ConvTranspose2d``, each im2col + one GEMM.

The layers own the parameters and check the arguments; the math is ``ConvSpec`` in
``nn/functions/conv.py``, which ``F.conv*`` runs too.
"""

from __future__ import annotations

import math
from typing import Any

from minitorch.backend import Array
from minitorch.nn import init
from minitorch.nn.functions.conv import check_conv_input, conv_spec
from minitorch.nn.functions.im2col import as_tuple
from minitorch.nn.layer import Layer
from minitorch.nn.parameter import Parameter, empty_param

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


class _ConvNd(Layer):
    """What Conv1d, Conv2d and ConvTranspose2d share: arguments, parameters, init and repr."""

    _dims = 2
    _transposed = False

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        dilation: Any = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
        *,
        output_padding: Any = 0,
    ) -> None:
        super().__init__()
        name, d = type(self).__name__, self._dims
        if output_padding != 0 and not self._transposed:
            raise TypeError(f"{name} got an unexpected keyword argument 'output_padding'")
        if in_channels <= 0 or out_channels <= 0 or groups <= 0:
            raise ValueError(
                f"{name}: in_channels, out_channels and groups must be positive, got "
                f"({in_channels}, {out_channels}, groups={groups})"
            )
        if in_channels % groups or out_channels % groups:
            raise ValueError(
                f"{name}: groups={groups} must divide in_channels={in_channels} and "
                f"out_channels={out_channels}"
            )
        if padding_mode not in _PADDING_MODES or (self._transposed and padding_mode != "zeros"):
            allowed = ("zeros",) if self._transposed else _PADDING_MODES
            raise ValueError(
                f"{name}: padding_mode must be one of {allowed}, got {padding_mode!r}"
            )
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size = as_tuple(kernel_size, d, name, "kernel_size", 1)
        self.stride = as_tuple(stride, d, name, "stride", 1)
        self.dilation = as_tuple(dilation, d, name, "dilation", 1)
        self.padding = (
            padding if isinstance(padding, str) else as_tuple(padding, d, name, "padding")
        )
        self.output_padding = as_tuple(output_padding, d, name, "output_padding")
        if self._transposed and isinstance(padding, str):
            raise ValueError(f"{name}: padding must be an int or a tuple, got {padding!r}")
        if any(
            p >= max(s, dl) for p, s, dl in zip(self.output_padding, self.stride, self.dilation)
        ):
            raise ValueError(
                f"{name}: output_padding {self.output_padding} must be smaller than either stride "
                f"{self.stride} or dilation {self.dilation}"
            )
        self.padding_mode = padding_mode
        self._spec = conv_spec(name, d, self.kernel_size, self.stride, padding, self.dilation,
                               groups, padding_mode, self.output_padding,
                               self._transposed)  # fmt: skip
        shape = (
            (in_channels, out_channels // groups)
            if self._transposed
            else (out_channels, in_channels // groups)
        )
        self.weight = Parameter(empty_param((*shape, *self.kernel_size), device, dtype))
        self.bias = Parameter(empty_param((out_channels,), device, dtype)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """PyTorch's init: ``weight`` and ``bias`` from U(-k, k), ``k = 1 / sqrt(fan_in)``."""
        # PyTorch: kaiming_uniform(a=sqrt(5)) = U(-1/sqrt(fan_in), +); bias U(-1/sqrt(fan_in), +)
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in = self.weight.shape[1] * math.prod(self.kernel_size)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x: Array) -> Array:
        name, W = type(self).__name__, self.weight.array
        check_conv_input(name, x, W, self._dims, self.in_channels, f"weight {tuple(W.shape)}")
        b = None if self.bias is None else self.bias.array
        keep = self.caching and self.weight.requires_grad  # the operand of dW only
        y, saved = self._spec.forward(name, x, W, b, keep)
        self.save_for_backward(*saved)
        return y

    def backward(self, dy: Array) -> Array | None:
        has_b = self.bias is not None and self.bias.requires_grad
        need = (self.needs_input_grad[0], self.weight.requires_grad, has_b)
        dx, dW, db = self._spec.backward(dy, self.weight.array, self.saved, need)
        if dW is not None:
            self.add_grad(self.weight, dW)
        if db is not None:
            self.add_grad(self.bias, db)
        return dx

    def extra_repr(self) -> str:
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}"
        s += f", stride={self.stride}"
        # strings unquoted, and 'valid' shown, as PyTorch: padding=same, padding_mode=reflect
        if self.padding != (0,) * self._dims:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * self._dims:
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * self._dims:
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


class Conv1d(_ConvNd):
    """1-d cross-correlation ``y[n, o, l] = b[o] + sum_{c, k} W[o, c, k] x[n, c, s*l + d*k - p]``.

    Shape: input (N, C_in, L) or (C_in, L) -> (N, C_out, L_out); weight (C_out, C_in/groups, k).
    """

    _dims = 1


class Conv2d(_ConvNd):
    """2-d cross-correlation ``y[n, o] = b[o] + sum W[o, c, i, j] x[n, c, s*h + d*i - p, ..]``.

    Shape: input (N, C_in, H, W) or (C_in, H, W) -> (N, C_out, H_out, W_out) with
    ``H_out = (H + 2p - d (k - 1) - 1) // s + 1``; weight (C_out, C_in/groups, kh, kw).
    """


class ConvTranspose2d(_ConvNd):
    """Transposed 2-d convolution: the input gradient of ``Conv2d``, used to upsample.

    Shape: input (N, C_in, H, W) or (C_in, H, W) -> (N, C_out, H_out, W_out) with
    ``H_out = (H - 1) s - 2p + d (k - 1) + output_padding + 1``;
    weight (C_in, C_out/groups, kh, kw).
    """

    _transposed = True

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        output_padding: Any = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: Any = 1,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            groups,
            bias,
            padding_mode,
            device,
            dtype,
            output_padding=output_padding,
        )
