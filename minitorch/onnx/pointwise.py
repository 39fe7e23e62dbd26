"""ONNX converters of the torch.* op surface beyond the core ops: trigonometric and other
pointwise maths, ``masked_fill``, ``split``/``unbind``/``index_select``, ``cumsum``/``prod``,
``tril``/``triu``, ``flip`` and the roundings.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np  # constants of the exported graph (host only)

from minitorch.autograd.ops import indexing, masking, rearrange, scan, trig, unary
from minitorch.autograd.ops.diagonal import Triangle
from minitorch.autograd.ops.reduction import normalize_dims
from minitorch.autograd.ops.split import Split, Unbind
from minitorch.onnx.graph import GraphBuilder, UnsupportedOperatorError, Value, constant, converts
from minitorch.onnx.ops import INT64_MAX

_DIRECT = {
    trig.Sin: "Sin", trig.Cos: "Cos", trig.Tan: "Tan", trig.Asin: "Asin", trig.Acos: "Acos",
    trig.Atan: "Atan", trig.Sinh: "Sinh", trig.Cosh: "Cosh", trig.Asinh: "Asinh",
    trig.Acosh: "Acosh", trig.Atanh: "Atanh", unary.Reciprocal: "Reciprocal", unary.Erf: "Erf",
    unary.Sign: "Sign",
}  # fmt: skip


def _direct(op_type: str) -> Any:
    def convert_direct(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
        return g.op(op_type, [g.cast(xs[0], meta[0][1])])  # integer inputs: the float result

    return convert_direct


for _cls, _op in _DIRECT.items():
    converts(_cls)(_direct(_op))


@converts(unary.Square, unary.Rsqrt, unary.Expm1, unary.Log1p, unary.Exp2, unary.Erfc,
          unary.LogBase)  # fmt: skip
def composed(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    """The pointwise functions ONNX spells with two ops."""
    dtype = meta[0][1]
    x = g.cast(xs[0], dtype)
    one = g.scalar(1.0, dtype)
    if isinstance(fn, unary.Square):
        return g.op("Mul", [x, x])
    if isinstance(fn, unary.Rsqrt):
        return g.op("Reciprocal", [g.op("Sqrt", [x])])
    if isinstance(fn, unary.Expm1):
        return g.op("Sub", [g.op("Exp", [x]), one])
    if isinstance(fn, unary.Log1p):
        return g.op("Log", [g.op("Add", [x, one])])
    if isinstance(fn, unary.Exp2):
        return g.op("Pow", [g.scalar(2.0, dtype), x])
    if isinstance(fn, unary.Erfc):
        return g.op("Sub", [one, g.op("Erf", [x])])
    return g.op("Div", [g.op("Log", [x]), g.scalar(math.log(fn.base), dtype)])  # LogBase


@converts(unary.Rounding)
def rounding(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    (x,) = xs
    if x.dtype is not None and np.dtype(x.dtype).kind in "biu":
        return x
    if fn.mode == "round" and fn.decimals:
        scale = g.scalar(10.0**fn.decimals, x.dtype)
        return g.op("Div", [g.op("Round", [g.op("Mul", [x, scale])]), scale])
    if fn.mode == "trunc":  # toward zero: ceil below 0, floor above
        negative = g.op("Less", [x, g.scalar(0.0, x.dtype)])
        return g.op("Where", [negative, g.op("Ceil", [x]), g.op("Floor", [x])])
    return g.op({"floor": "Floor", "ceil": "Ceil", "round": "Round"}[fn.mode], [x])


@converts(masking.MaskedFill)
def masked_fill(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    x, mask, value = xs
    dtype = meta[0][1]
    return g.op("Where", [g.cast(mask, bool), g.cast(value, dtype), x])


@converts(Split)
def split_pieces(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> tuple:
    (x,) = xs
    (axis,) = normalize_dims(fn.dim, len(x.shape))
    return tuple(
        g.op("Slice", [x, g.ints([a]), g.ints([b]), g.ints([axis])]) for a, b in fn.bounds
    )


@converts(Unbind)
def unbind(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> tuple:
    (x,) = xs
    (axis,) = normalize_dims(fn.dim, len(x.shape))
    return tuple(
        g.op("Gather", [x, constant(np.asarray(i, dtype=np.int64))], axis=axis)
        for i in range(x.shape[axis])
    )


@converts(indexing.IndexSelect)
def index_select(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    x, index = xs
    if not x.shape:
        raise UnsupportedOperatorError("minitorch.onnx.export: index_select of a 0-d tensor")
    (axis,) = normalize_dims(fn.dim, len(x.shape))
    flat = g.op("Reshape", [index, g.ints([-1])])
    return g.op("Gather", [x, g.cast(flat, np.int64)], axis=axis)


@converts(scan.Cumsum)
def cumsum(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    (x,) = xs
    if not x.shape:
        return g.cast(x, meta[0][1])
    (axis,) = normalize_dims(fn.dim, len(x.shape))
    return g.op("CumSum", [g.cast(x, meta[0][1]), constant(np.asarray(axis, dtype=np.int64))])


@converts(scan.Prod)
def prod(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    x = g.cast(xs[0], meta[0][1])
    axes = normalize_dims(fn.dim, len(xs[0].shape)) if xs[0].shape else None
    return g.axes_op("ReduceProd", x, axes, 18, keepdims=int(fn.keepdim))


@converts(Triangle)
def triangle(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    """Trilu from opset 14; before, a constant mask over the (static) last two dims."""
    (x,) = xs
    if g.opset >= 14:
        k = constant(np.asarray(fn.diagonal, dtype=np.int64))
        return g.op("Trilu", [x, k], upper=int(fn.upper))
    m, n = x.shape[-2:]
    offset = np.arange(n)[None, :] - np.arange(m)[:, None]
    keep = offset >= fn.diagonal if fn.upper else offset <= fn.diagonal
    return g.op("Where", [constant(keep), x, g.scalar(0, x.dtype)])


@converts(rearrange.Flip)
def flip(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    (x,) = xs
    axes = normalize_dims(fn.dims, len(x.shape)) if x.shape else ()
    if not axes:
        return x
    k = len(axes)
    return g.op("Slice", [x, g.ints([-1] * k), g.ints([-INT64_MAX] * k), g.ints(axes),
                          g.ints([-1] * k)])  # fmt: skip
