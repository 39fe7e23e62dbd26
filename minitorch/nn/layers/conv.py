"""Convolutions: ``Conv1d``, ``Conv2d``, ``ConvTranspose2d``, each im2col + one GEMM.

The math lives in ``_ConvSpec`` (``_conv_math.py``); the layers and the Functions behind
``nn.functional.conv*`` (which also differentiate weight and bias) share it.
"""

from __future__ import annotations

import math
from typing import Any

from minitorch.autograd import Function
from minitorch.backend import Array
from minitorch.nn import init
from minitorch.nn.layer import Layer
from minitorch.nn.layers._conv_math import (
    _check_input,
    _ConvSpec,
    _from_4d,
    _padding,
    _to_4d,
    _weight_4d,
)
from minitorch.nn.layers._im2col import as_tuple
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
        pads = _padding(name, padding, self.kernel_size, self.stride, self.dilation)
        lift = (lambda t: (1, *t)) if d == 1 else (lambda t: t)
        self._spec = _ConvSpec(
            lift(self.stride),
            pads,
            lift(self.dilation),
            groups,
            padding_mode,
            lift(self.output_padding),
        )
        shape = (
            (in_channels, out_channels // groups)
            if self._transposed
            else (out_channels, in_channels // groups)
        )
        self.weight = Parameter(empty_param((*shape, *self.kernel_size), device, dtype))
        self.bias = Parameter(empty_param((out_channels,), device, dtype)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        # PyTorch: kaiming_uniform(a=sqrt(5)) = U(-1/sqrt(fan_in), +); bias U(-1/sqrt(fan_in), +)
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in = self.weight.shape[1] * math.prod(self.kernel_size)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x: Array) -> Array:
        name, W = type(self).__name__, self.weight.array
        hint = f"weight {tuple(W.shape)}"
        _check_input(name, x, W, self._dims, self.in_channels, hint)
        x4, batched = _to_4d(x, self._dims)
        W4, b = _weight_4d(W, self._dims), None if self.bias is None else self.bias.array
        keep = self.caching and self.weight.requires_grad
        run = self._spec.conv_t if self._transposed else self._spec.conv
        y, cache = run(name, x4, W4, b, keep)
        self.save_for_backward(cache, batched)
        return _from_4d(y, self._dims, batched)

    def backward(self, dy: Array) -> Array | None:
        cache, batched = self.saved
        dy4, _ = _to_4d(dy, self._dims)
        has_b = self.bias is not None and self.bias.requires_grad
        need = (self.needs_input_grad[0], self.weight.requires_grad, has_b)
        grads = self._spec.conv_t_grads if self._transposed else self._spec.conv_grads
        dx, dW, db = grads(dy4, _weight_4d(self.weight.array, self._dims), cache, need)
        if dW is not None:
            self.add_grad(self.weight, dW.reshape(self.weight.shape))
        if db is not None:
            self.add_grad(self.bias, db)
        return None if dx is None else _from_4d(dx, self._dims, batched)

    def extra_repr(self) -> str:
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}"
        s += f", stride={self.stride}"
        if self.padding != "valid" and self.padding != (0,) * self._dims:
            s += f", padding={self.padding!r}"
        if self.dilation != (1,) * self._dims:
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * self._dims:
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode!r}"
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


class ConvFunction(Function):
    """A convolution as a Function of (input, weight, bias): ``F.conv1d``/``conv2d``/
    ``conv_transpose2d``, with gradients for all three. Same math as the layers."""

    def __init__(
        self,
        dims: int,
        stride: Any = 1,
        padding: Any = 0,
        dilation: Any = 1,
        groups: int = 1,
        transposed: bool = False,
        output_padding: Any = 0,
    ) -> None:
        self.dims, self.transposed = dims, transposed
        self.name = ("conv_transpose" if transposed else "conv") + f"{dims}d"
        self.args = (stride, padding, dilation, groups, output_padding)

    def _spec(self, W: Array) -> _ConvSpec:
        stride, padding, dilation, groups, output_padding = self.args
        d, name, kernel = self.dims, self.name, tuple(W.shape[2:])
        if W.ndim != d + 2:
            raise ValueError(f"{name}: weight must have {d + 2} dims, got shape {tuple(W.shape)}")
        stride, dilation = (
            as_tuple(stride, d, name, "stride", 1),
            as_tuple(dilation, d, name, "dilation", 1),
        )
        out_pad = as_tuple(output_padding, d, name, "output_padding")
        pads = _padding(name, padding, kernel, stride, dilation)
        lift = (lambda t: (1, *t)) if d == 1 else (lambda t: t)
        return _ConvSpec(lift(stride), pads, lift(dilation), groups, "zeros", lift(out_pad))

    def forward(self, x: Array, weight: Array, bias: Array | None = None) -> Array:
        spec, groups = self._spec(weight), self.args[3]
        in_channels = weight.shape[0] if self.transposed else weight.shape[1] * groups
        if (
            groups <= 0
            or in_channels % groups
            or (not self.transposed and weight.shape[0] % groups)
        ):
            raise ValueError(
                f"{self.name}: groups={groups} must divide the channels of weight "
                f"{tuple(weight.shape)}"
            )
        _check_input(self.name, x, weight, self.dims, in_channels, f"weight {tuple(weight.shape)}")
        x4, batched = _to_4d(x, self.dims)
        run = spec.conv_t if self.transposed else spec.conv
        y, cache = run(self.name, x4, _weight_4d(weight, self.dims), bias, self.caching)
        self.save_for_backward(spec, cache, weight, batched, bias is not None)
        return _from_4d(y, self.dims, batched)

    def backward(self, dy: Array) -> tuple:
        spec, cache, weight, batched, has_bias = self.saved
        need = (
            self.needs_input_grad[0],
            self.needs_input_grad[1],
            has_bias and self.needs_input_grad[2],
        )
        grads = spec.conv_t_grads if self.transposed else spec.conv_grads
        dx, dW, db = grads(_to_4d(dy, self.dims)[0], _weight_4d(weight, self.dims), cache, need)
        dx = None if dx is None else _from_4d(dx, self.dims, batched)
        return dx, None if dW is None else dW.reshape(weight.shape), db
