"""Convolutions: ``Conv1d``, ``Conv2d``, ``ConvTranspose2d``, each im2col + one GEMM.

The math lives in ``_ConvSpec`` on (N, C, H, W) arrays; the layers and the Functions behind
``nn.functional.conv*`` (which also differentiate weight and bias) share it. 1-d convolutions run
it on (N, C, 1, L) views. Groups become a batch of GEMMs, one per group. Stride-1 convolutions
with more input than output work per kernel column (``_ConvSpec.by_rows``) copy only kernel rows
and apply the column shifts around the GEMM instead (``row_windows`` in ``_im2col``).
"""

from __future__ import annotations

import math
from typing import Any

from minitorch.autograd import Function
from minitorch.backend import Array, get_backend
from minitorch.nn import init
from minitorch.nn.layer import Layer
from minitorch.nn.layers._factory import empty_param
from minitorch.nn.layers._im2col import (
    as_tuple,
    col2im,
    im2col,
    output_size,
    pad,
    row_col2im,
    row_windows,
    shift_sum,
    shifted_copies,
    unpad,
)
from minitorch.nn.parameter import Parameter

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


class _ConvSpec:
    """Stride, padding, dilation and groups of one convolution, and its forward/backward math.

    ``pads`` is (top, bottom, left, right). ``conv``/``conv_grads`` are the convolution;
    ``conv_t``/``conv_t_grads`` the transposed convolution, which swaps the two halves: its
    forward is the convolution's input gradient and its input gradient a convolution.
    """

    def __init__(
        self,
        stride: tuple,
        pads: tuple,
        dilation: tuple,
        groups: int,
        mode: str = "zeros",
        output_padding: tuple = (0, 0),
    ) -> None:
        self.stride, self.pads, self.dilation, self.groups = stride, pads, dilation, groups
        self.mode, self.output_padding = mode, output_padding

    def out_hw(self, name: str, hw: tuple, kernel: tuple) -> tuple[int, int]:
        top, bottom, left, right = self.pads
        sizes = [
            output_size(n, k, s, a, b, d)
            for n, k, s, a, b, d in zip(
                hw, kernel, self.stride, (top, left), (bottom, right), self.dilation
            )
        ]
        if min(sizes) <= 0:
            raise ValueError(
                f"{name}: the kernel {tuple(kernel)} (dilation {self.dilation}) is larger than "
                f"the "
                f"padded input {hw[0] + top + bottom, hw[1] + left + right}; use a larger input "
                "or more padding"
            )
        return sizes[0], sizes[1]

    # --- convolution ---------------------------------------------------------------------------
    def by_rows(self, c: int, o: int, kernel: tuple) -> bool:
        """Whether ``conv`` folds the kernel's columns into its GEMM (see ``row_windows``).

        Only for stride 1, dilation 1, one group, and when it moves less data: C * kh copied
        rows plus an O * kw row output against im2col's C * kh * kw rows. LeNet's second conv
        (16 -> 32, 5x5 on 14x14, batch 64) takes it: forward 4.7 -> 3.6 ms, backward 9.3 -> 6.4 ms
        on 2 cores; the first (1 -> 16) does not.
        """
        kh, kw = kernel
        return (
            self.stride == (1, 1)
            and self.dilation == (1, 1)
            and self.groups == 1
            and c * kh + o * kw < c * kh * kw
        )

    def conv(self, name: str, x: Array, W: Array, b: Array | None, keep_col: bool) -> tuple:
        """``y[n, o] = sum_{c, i, j} W[o, c, i, j] * xpad[n, c, s*h + d*i, s*w + d*j] + b[o]``."""
        n, c, o, g = x.shape[0], x.shape[1], W.shape[0], self.groups
        (kh, kw), xp = W.shape[2:], get_backend(x).xp
        ho, wo = self.out_hw(name, x.shape[2:], W.shape[2:])
        xpad = pad(x, self.pads, mode=self.mode)
        if self.by_rows(c, o, (kh, kw)):
            col = row_windows(xpad, kh, ho)  # (C * kh, N * Ho * Wp)
            w_rows = W.transpose(0, 3, 1, 2).reshape(o * kw, c * kh)  # [(o, j), (c, i)]
            wide = shift_sum((w_rows @ col).reshape(o, kw, -1))
            y = wide.reshape(o, n, ho, xpad.shape[3])[:, :, :, :wo]
        else:
            col = im2col(xpad, W.shape[2:], self.stride, self.dilation, (ho, wo), g)
            y = (W.reshape(g, o // g, -1) @ col).reshape(o, n, ho, wo)
        out = xp.empty((n, o, ho, wo), dtype=x.dtype)
        if b is None:
            out.transpose(1, 0, 2, 3)[...] = y
        else:  # the bias add doubles as the (O, N) -> (N, O) transpose
            xp.add(y, b[:, None, None, None], out=out.transpose(1, 0, 2, 3))
        return out, (col if keep_col else None, x.shape, xpad.shape)

    def conv_grads(self, dy: Array, W: Array, cache: tuple, need: tuple) -> tuple:
        """(dx, dW, db) of ``conv`` for the wanted ones (``need`` = three booleans)."""
        col, x_shape, xpad_shape = cache
        n, o, ho, wo = dy.shape
        c, (kh, kw), g = x_shape[1], W.shape[2:], self.groups
        dx = dW = db = None
        if need[2]:
            db = dy.sum(axis=(0, 2, 3))
        if self.by_rows(c, o, (kh, kw)):
            if not (need[0] or need[1]):
                return dx, dW, db
            shifted = shifted_copies(dy, xpad_shape[3], kw)  # [(o, j), m], m over (n, ho, Wp)
            if need[1]:  # dW[o, c, i, j] = sum_m dy_wide[o, m - j] * col[(c, i), m]
                dW = (shifted @ col.T).reshape(o, kw, c, kh).transpose(0, 2, 3, 1)
            if need[0]:
                w_rows = W.transpose(1, 2, 0, 3).reshape(c * kh, o * kw)  # [(c, i), (o, j)]
                dxpad = row_col2im(w_rows @ shifted, xpad_shape, ho)
                dx = unpad(dxpad, self.pads, x_shape[2:], self.mode)
            return dx, dW, db
        dy2 = dy.transpose(1, 0, 2, 3).reshape(g, o // g, n * ho * wo)  # a copy, rows contiguous
        if need[1]:  # col @ dy2.T, then a transpose of the small result: 1.5x faster in BLAS
            dW = (col @ dy2.transpose(0, 2, 1)).transpose(0, 2, 1).reshape(W.shape)
        if need[0]:
            dcol = W.reshape(g, o // g, -1).transpose(0, 2, 1) @ dy2
            dxpad = col2im(dcol, xpad_shape, W.shape[2:], self.stride, self.dilation, (ho, wo))
            dx = unpad(dxpad, self.pads, x_shape[2:], self.mode)
        return dx, dW, db

    # --- transposed convolution ----------------------------------------------------------------
    def conv_t_hw(self, name: str, hw: tuple, kernel: tuple) -> tuple[int, int]:
        """Output size (H - 1) * s - 2p + d * (k - 1) + output_padding + 1 per axis."""
        top, _, left, _ = self.pads
        sizes = [
            (n - 1) * s - 2 * p + d * (k - 1) + op + 1
            for n, s, p, d, k, op in zip(
                hw, self.stride, (top, left), self.dilation, kernel, self.output_padding
            )
        ]
        if min(sizes) <= 0:
            raise ValueError(
                f"{name}: input {tuple(hw)} gives an empty output {tuple(sizes)}; use less padding"
            )
        return sizes[0], sizes[1]

    def conv_t(self, name: str, x: Array, W: Array, b: Array | None, keep_x: bool) -> tuple:
        """The adjoint of ``conv`` in x: scatter each input pixel through the kernel, then crop."""
        n, c_in, h, w = x.shape
        g, (kh, kw) = self.groups, W.shape[2:]
        c_out = W.shape[1] * g
        ho, wo = self.conv_t_hw(name, (h, w), (kh, kw))
        top, _, left, _ = self.pads
        full = (n, c_out, ho + 2 * top, wo + 2 * left)
        xg = x.transpose(1, 0, 2, 3).reshape(g, c_in // g, n * h * w)
        dcol = W.reshape(g, c_in // g, -1).transpose(0, 2, 1) @ xg
        yfull = col2im(dcol, full, (kh, kw), self.stride, self.dilation, (h, w))
        out = get_backend(x).xp.empty((n, c_out, ho, wo), dtype=x.dtype)
        out[...] = yfull[:, :, top : top + ho, left : left + wo]
        if b is not None:
            out += b[:, None, None]
        return out, (xg if keep_x else None, x.shape)

    def conv_t_grads(self, dy: Array, W: Array, cache: tuple, need: tuple) -> tuple:
        xg, (n, c_in, h, w) = cache
        g = self.groups
        dypad = pad(dy, self.pads)
        col = im2col(dypad, W.shape[2:], self.stride, self.dilation, (h, w), g)
        dx = dW = db = None
        if need[0]:
            dx2 = (W.reshape(g, c_in // g, -1) @ col).reshape(c_in, n, h, w)
            dx = get_backend(dy).xp.empty((n, c_in, h, w), dtype=dy.dtype)
            dx.transpose(1, 0, 2, 3)[...] = dx2
        if need[1]:
            dW = (xg @ col.transpose(0, 2, 1)).reshape(W.shape)
        if need[2]:
            db = dy.sum(axis=(0, 2, 3))
        return dx, dW, db


def _padding(owner: str, padding: Any, kernel: tuple, stride: tuple, dilation: tuple) -> tuple:
    """(top, bottom, left, right) from an int, a tuple, ``'valid'`` or ``'same'``."""
    dims = len(kernel)
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0, 0, 0)
        if padding != "same":
            raise ValueError(
                f"{owner}: padding must be an int, a tuple, 'valid' or 'same', got {padding!r}"
            )
        if any(s != 1 for s in stride):
            raise ValueError(
                f"{owner}: padding='same' is not supported for strided convolutions "
                f"(stride={stride})"
            )
        # PyTorch: total d*(k-1), the extra one (even kernels) on the bottom/right
        totals = [d * (k - 1) for d, k in zip(dilation, kernel)]
        pairs = [(t // 2, t - t // 2) for t in totals]
    else:
        pairs = [(p, p) for p in as_tuple(padding, dims, owner, "padding")]
    if dims == 1:
        pairs = [(0, 0), *pairs]
    return (*pairs[0], *pairs[1])


def _check_input(
    name: str, x: Array, W: Array, dims: int, in_channels: int, W_shape_hint: str
) -> None:
    if x.ndim not in (dims + 1, dims + 2):
        axes = "(N, C, L) or (C, L)" if dims == 1 else "(N, C, H, W) or (C, H, W)"
        raise ValueError(f"{name} expects input {axes}, got shape {tuple(x.shape)}")
    channels = x.shape[-dims - 1]
    if channels != in_channels:
        raise ValueError(
            f"{name} expects {in_channels} input channels ({W_shape_hint}), got input of shape "
            f"{tuple(x.shape)} with {channels}"
        )
    if x.dtype != W.dtype:
        raise TypeError(
            f"{name}: input dtype {x.dtype} differs from weight dtype {W.dtype}; convert "
            "the input "
            f"or the model with .to(dtype)"
        )


def _to_4d(x: Array, dims: int) -> tuple[Array, bool]:
    """(N, C, H, W) view of a (batched or not) 1-d or 2-d input, and whether it was batched."""
    batched = x.ndim == dims + 2
    if not batched:
        x = x[None]
    return (x[:, :, None] if dims == 1 else x), batched


def _from_4d(y: Array, dims: int, batched: bool) -> Array:
    if dims == 1:
        y = y[:, :, 0]
    return y if batched else y[0]


def _weight_4d(W: Array, dims: int) -> Array:
    return W[:, :, None] if dims == 1 else W


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
        name, W = type(self).__name__, self.weight.data
        hint = f"weight {tuple(W.shape)}"
        _check_input(name, x, W, self._dims, self.in_channels, hint)
        x4, batched = _to_4d(x, self._dims)
        W4, b = _weight_4d(W, self._dims), None if self.bias is None else self.bias.data
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
        dx, dW, db = grads(dy4, _weight_4d(self.weight.data, self._dims), cache, need)
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
