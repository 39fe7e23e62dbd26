"""ONNX converters of the layer catalogue (and the ``nn.functional`` Functions behind it):
Linear, convolutions, pooling, normalisation, activations, dropout, embedding, flatten.

A Layer's parameters are no inputs of its node: they are read from the layer (``fn.weight``)
and matched to the model's initializers by identity (``g.tensor``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np  # constants of the exported graph (host only)

from minitorch.nn import functions, layers
from minitorch.nn.functions.im2col import as_tuple, conv_padding
from minitorch.nn.hooks import GradientTap
from minitorch.onnx.graph import GraphBuilder, UnsupportedOperatorError, Value, constant, converts
from minitorch.onnx.ops import reshape_to


def unsupported(fn: Any, what: str) -> UnsupportedOperatorError:
    return UnsupportedOperatorError(f"minitorch.onnx.export: {type(fn).__name__} {what}")


def transposed(g: GraphBuilder, w: Value) -> Value:
    """``w.T`` of a 2-D weight: computed now when folding constants, else a Transpose node."""
    if g.fold and w.is_const:
        return constant(np.ascontiguousarray(w.const.T))
    return g.op("Transpose", [w], perm=[1, 0])


def linear(g: GraphBuilder, x: Value, w: Value, b: Value | None) -> Value:
    """``x @ w.T + b``: one Gemm for 2-D input, MatMul (+ Add) otherwise."""
    if len(x.shape) == 2:
        return g.op("Gemm", [x, w, b], transB=1)
    y = g.op("MatMul", [x, transposed(g, w)])
    return y if b is None else g.op("Add", [y, b])


@converts(layers.Linear)
def convert_linear(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    return linear(g, xs[0], g.tensor(fn.weight), g.tensor(fn.bias))


@converts(layers.Identity, GradientTap)
def identity(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Any:
    return tuple(xs) if len(xs) > 1 else xs[0]


@converts(layers.Dropout, layers.Dropout2d)
def dropout(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    return xs[0]  # export traces in eval mode, where dropout is the identity


# --- convolution and pooling ------------------------------------------------------------------
def batched(g: GraphBuilder, x: Value, spatial: int, run: Any) -> Value:
    """``run(x)`` on (N, C, *spatial) input; an unbatched (C, *spatial) one gets N = 1 around."""
    if len(x.shape) == spatial + 2:
        return run(x)
    return g.squeeze(run(g.unsqueeze(x, [0])), [0])


def onnx_pads(pads: tuple, dims: int) -> list[int]:
    """minitorch's (top, bottom, left, right) as ONNX's [begins..., ends...]."""
    top, bottom, left, right = pads
    return [left, right] if dims == 1 else [top, left, bottom, right]


_PAD_MODES = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def conv(g: GraphBuilder, fn: Any, x: Value, w: Value, b: Value | None, dims: int,
         args: tuple, transposed_conv: bool, mode: str = "zeros") -> Value:  # fmt: skip
    stride, padding, dilation, groups, output_padding = args
    name = type(fn).__name__
    stride, dilation = (
        as_tuple(stride, dims, name, "stride"),
        as_tuple(dilation, dims, name, "dilation"),
    )
    kernel = tuple(w.shape[2:])
    pads = onnx_pads(conv_padding(name, padding, kernel, stride, dilation), dims)
    attrs = {"strides": list(stride), "dilations": list(dilation), "group": groups}
    if transposed_conv:
        out_pad = as_tuple(output_padding, dims, name, "output_padding")
        return batched(
            g,
            x,
            dims,
            lambda x4: g.op(
                "ConvTranspose", [x4, w, b], pads=pads, output_padding=list(out_pad), **attrs
            ),
        )
    if mode == "circular" and g.opset < 19:
        raise unsupported(fn, "with padding_mode='circular' needs opset_version >= 19")
    pad_input = [0, 0, *pads[:dims], 0, 0, *pads[dims:]]

    def run(x4: Value) -> Value:
        if mode == "zeros":
            return g.op("Conv", [x4, w, b], pads=pads, **attrs)
        # reflect / replicate / circular: a Pad node first, then a convolution without padding
        x4 = g.op("Pad", [x4, g.ints(pad_input)], mode=_PAD_MODES[mode])
        return g.op("Conv", [x4, w, b], pads=[0] * (2 * dims), **attrs)

    return batched(g, x, dims, run)


@converts(layers.Conv1d, layers.Conv2d, layers.ConvTranspose2d)
def convert_conv_layer(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    dims = 1 if isinstance(fn, layers.Conv1d) else 2
    args = (fn.stride, fn.padding, fn.dilation, fn.groups, fn.output_padding)
    w, b = g.tensor(fn.weight), g.tensor(fn.bias)
    return conv(g, fn, xs[0], w, b, dims, args, isinstance(fn, layers.ConvTranspose2d),
                fn.padding_mode)  # fmt: skip


@converts(functions.ConvFunction)
def convert_conv_function(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    x, w, b = (xs + [None])[:3]
    return conv(g, fn, x, w, b, fn.dims, fn.args, fn.transposed)


def _window(fn: Any, dims: int) -> tuple:
    name = type(fn).__name__
    kernel = as_tuple(fn.kernel_size, dims, name, "kernel_size")
    empty = fn.stride is None or (isinstance(fn.stride, (tuple, list)) and not fn.stride)
    stride = kernel if empty else as_tuple(fn.stride, dims, name, "stride")
    padding = as_tuple(fn.padding, dims, name, "padding")
    return list(kernel), list(stride), list(padding) * 2


@converts(layers.MaxPool1d, layers.MaxPool2d)
def max_pool(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    if fn.return_indices:
        raise unsupported(fn, "with return_indices=True has no ONNX mapping here")
    dims = 1 if isinstance(fn, layers.MaxPool1d) else 2
    kernel, stride, pads = _window(fn, dims)
    dilation = list(as_tuple(fn.dilation, dims, type(fn).__name__, "dilation"))
    return batched(g, xs[0], dims, lambda x: g.op(
        "MaxPool", [x], kernel_shape=kernel, strides=stride, pads=pads, dilations=dilation,
        ceil_mode=int(fn.ceil_mode)))  # fmt: skip


@converts(layers.AvgPool1d, layers.AvgPool2d)
def avg_pool(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    if fn.divisor_override is not None:
        raise unsupported(fn, "with divisor_override has no ONNX mapping")
    dims = 1 if isinstance(fn, layers.AvgPool1d) else 2
    kernel, stride, pads = _window(fn, dims)
    return batched(g, xs[0], dims, lambda x: g.op(
        "AveragePool", [x], kernel_shape=kernel, strides=stride, pads=pads,
        ceil_mode=int(fn.ceil_mode), count_include_pad=int(fn.count_include_pad)))  # fmt: skip


def _averaging(n_in: int, n_out: int, dtype: Any) -> np.ndarray:
    """(n_out, n_in): row i averages PyTorch's window [floor(i n / out), ceil((i+1) n / out))."""
    i, j = np.arange(n_out)[:, None], np.arange(n_in)[None, :]
    inside = (j >= (i * n_in) // n_out) & (j < -((-(i + 1) * n_in) // n_out))
    return (inside / inside.sum(axis=1, keepdims=True)).astype(dtype)


@converts(layers.AdaptiveAvgPool2d)
def adaptive_avg_pool(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    (x,) = xs
    h, w = x.shape[-2:]
    size = fn.output_size if isinstance(fn.output_size, (tuple, list)) else (fn.output_size,) * 2
    oh, ow = (h if size[0] is None else size[0]), (w if size[1] is None else size[1])
    if (oh, ow) == (1, 1):
        return batched(g, x, 2, lambda x4: g.op("GlobalAveragePool", [x4]))
    if h % oh == 0 and w % ow == 0:
        k = [h // oh, w // ow]
        return batched(g, x, 2, lambda x4: g.op("AveragePool", [x4], kernel_shape=k, strides=k))
    rows = g.op("MatMul", [constant(_averaging(h, oh, x.dtype)), x])  # A_h @ x @ A_w.T
    return g.op("MatMul", [rows, constant(_averaging(w, ow, x.dtype).T.copy())])


# --- activations, embedding, flatten --------------------------------------------------------
@converts(layers.ReLU)
def relu(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    """nn.ReLU has a forward of its own (``inplace=``), so it needs its own entry."""
    return g.op("Relu", xs)


@converts(layers.LeakyReLU)
def leaky_relu(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    return g.op("LeakyRelu", xs, alpha=float(fn.negative_slope))


@converts(layers.ELU)
def elu(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    return g.op("Elu", xs, alpha=float(fn.alpha))


@converts(layers.GELU)
def gelu(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    """Gelu from opset 20; before, ``x * Phi(x)`` through Erf (or the tanh approximation)."""
    (x,), dt = xs, xs[0].dtype
    if g.opset >= 20:
        return g.op("Gelu", [x], approximate=fn.approximate)
    if fn.approximate == "tanh":  # 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
        cube = g.op("Mul", [g.op("Mul", [x, x]), x])
        inner = g.op("Add", [x, g.op("Mul", [cube, g.scalar(0.044715, dt)])])
        t = g.op("Tanh", [g.op("Mul", [inner, g.scalar(math.sqrt(2 / math.pi), dt)])])
    else:  # 0.5 x (1 + erf(x / sqrt(2)))
        t = g.op("Erf", [g.op("Mul", [x, g.scalar(1 / math.sqrt(2), dt)])])
    half = g.op("Mul", [x, g.scalar(0.5, dt)])
    return g.op("Mul", [half, g.op("Add", [t, g.scalar(1.0, dt)])])


@converts(layers.SiLU)
def silu(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    return g.op("Mul", [xs[0], g.op("Sigmoid", xs)])


@converts(layers.Softplus)
def softplus(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    """``log(1 + exp(beta x)) / beta``, and ``x`` where ``beta x > threshold`` (as PyTorch)."""
    (x,), dt = xs, xs[0].dtype
    bx = x if fn.beta == 1 else g.op("Mul", [x, g.scalar(fn.beta, dt)])
    y = g.op("Softplus", [bx])
    y = y if fn.beta == 1 else g.op("Div", [y, g.scalar(fn.beta, dt)])
    return g.op("Where", [g.op("Greater", [bx, g.scalar(fn.threshold, dt)]), x, y])


@converts(layers.Embedding)
def embedding(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    return g.op("Gather", [g.tensor(fn.weight), xs[0]], axis=0)


@converts(functions.EmbeddingFunction)
def embedding_function(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    indices, weight = xs
    return g.op("Gather", [weight, indices], axis=0)


@converts(layers.Flatten, layers.Unflatten)
def flatten(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    (x,), out = xs, meta[0][0]
    ndim = len(x.shape)
    if isinstance(fn, layers.Flatten) and ndim >= 2 and fn.start_dim % ndim == 1 \
            and fn.end_dim % ndim == ndim - 1:  # fmt: skip
        return g.op("Flatten", [x], axis=1)  # (N, *) -> (N, prod(*)): ONNX's own
    return reshape_to(g, x, out)
