"""Convolution: the math behind ``Conv1d``/``Conv2d``/``ConvTranspose2d`` and ``F.conv*``.

``ConvSpec`` is one convolution's geometry with its forward and backward on (N, C, H, W) arrays:
im2col + one GEMM per group, or, for stride-1 convolutions with more input than output work per
kernel column, whole kernel rows with the column shifts applied around the GEMM (``row_windows``
in ``im2col.py``). 1-d convolutions run it on (N, C, 1, L) views. The layers and
``ConvFunction`` (``F.conv*``, which also differentiates weight and bias) both call it.
"""

from __future__ import annotations

from typing import Any

from minitorch.autograd import Function
from minitorch.backend import Array, get_backend
from minitorch.nn.functions.im2col import (
    as_tuple,
    col2im,
    conv_padding,
    im2col,
    output_size,
    pad,
    row_col2im,
    row_windows,
    shift_sum,
    shifted_copies,
    unpad,
)


class ConvSpec:
    """Stride, padding, dilation and groups of one convolution, and its forward/backward math.

    ``forward``/``backward`` take the arrays as the layer sees them (1-d or 2-d, batched or
    not). Inside, everything is (N, C, H, W) and 2-d (``pads`` is (top, bottom, left, right)):
    ``conv``/``conv_grads`` are the convolution; ``conv_t``/``conv_t_grads`` the transposed
    convolution, which swaps the two halves: its forward is the convolution's input gradient and
    its input gradient a convolution.
    """

    def __init__(
        self,
        dims: int,
        stride: tuple,
        pads: tuple,
        dilation: tuple,
        groups: int,
        mode: str = "zeros",
        output_padding: tuple = (0, 0),
        transposed: bool = False,
    ) -> None:
        self.dims, self.transposed = dims, transposed
        self.stride, self.pads, self.dilation, self.groups = stride, pads, dilation, groups
        self.mode, self.output_padding = mode, output_padding

    def forward(self, name: str, x: Array, W: Array, b: Array | None, keep: bool) -> tuple:
        """``(y, saved)``: the output and what ``backward`` needs (``keep``: the weight's operand,
        only needed for the weight gradient)."""
        x4, batched = _to_4d(x, self.dims)
        run = self.conv_t if self.transposed else self.conv
        y, cache = run(name, x4, _weight_4d(W, self.dims), b, keep)
        return _from_4d(y, self.dims, batched), (cache, batched)

    def backward(self, dy: Array, W: Array, saved: tuple, need: tuple) -> tuple:
        """``(dx, dW, db)``, each None unless wanted (``need``: three booleans)."""
        cache, batched = saved
        grads = self.conv_t_grads if self.transposed else self.conv_grads
        dx, dW, db = grads(_to_4d(dy, self.dims)[0], _weight_4d(W, self.dims), cache, need)
        dx = None if dx is None else _from_4d(dx, self.dims, batched)
        return dx, None if dW is None else dW.reshape(W.shape), db

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


def check_conv_input(
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


def conv_spec(name: str, dims: int, kernel: tuple, stride: Any = 1, padding: Any = 0,
              dilation: Any = 1, groups: int = 1, mode: str = "zeros", output_padding: Any = 0,
              transposed: bool = False) -> ConvSpec:  # fmt: skip
    """The ``ConvSpec`` of checked arguments; a 1-d convolution gets a unit leading axis."""
    stride = as_tuple(stride, dims, name, "stride", 1)
    dilation = as_tuple(dilation, dims, name, "dilation", 1)
    out_pad = as_tuple(output_padding, dims, name, "output_padding")
    pads = conv_padding(name, padding, kernel, stride, dilation)
    lift = (lambda t: (1, *t)) if dims == 1 else (lambda t: t)
    return ConvSpec(dims, lift(stride), pads, lift(dilation), groups, mode, lift(out_pad),
                    transposed)  # fmt: skip


class ConvFunction(Function):
    """A convolution as a Function of (input, weight, bias): ``F.conv1d``/``conv2d``/
    ``conv_transpose2d``, with gradients for all three. The layers' ``ConvSpec`` math."""

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

    def forward(self, x: Array, weight: Array, bias: Array | None = None) -> Array:
        stride, padding, dilation, groups, output_padding = self.args
        name, d = self.name, self.dims
        if weight.ndim != d + 2:
            raise ValueError(
                f"{name}: weight must have {d + 2} dims, got shape {tuple(weight.shape)}"
            )
        spec = conv_spec(name, d, tuple(weight.shape[2:]), stride, padding, dilation, groups,
                         "zeros", output_padding, self.transposed)  # fmt: skip
        in_channels = weight.shape[0] if self.transposed else weight.shape[1] * groups
        if (
            groups <= 0
            or in_channels % groups
            or (not self.transposed and weight.shape[0] % groups)
        ):
            raise ValueError(
                f"{name}: groups={groups} must divide the channels of weight {tuple(weight.shape)}"
            )
        check_conv_input(name, x, weight, d, in_channels, f"weight {tuple(weight.shape)}")
        y, saved = spec.forward(name, x, weight, bias, self.caching)
        self.save_for_backward(spec, weight, bias is not None, saved)
        return y

    def backward(self, dy: Array) -> tuple:
        spec, weight, has_bias, saved = self.saved
        need = self.needs_input_grad
        return spec.backward(dy, weight, saved, (need[0], need[1], has_bias and need[2]))
