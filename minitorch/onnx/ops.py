"""ONNX converters of the elementary tensor ops (``minitorch.autograd.ops``): arithmetic,
elementwise maths, activations, reductions and shape ops.

Each converter is ``(g, fn, xs, meta) -> Value(s)``: the builder, the recorded Function with its
configuration, its inputs as Values, and the traced ``(shape, dtype)`` of each output.
Shapes that an op bakes in (a reshape's target) are written so that a dynamic axis carries
through: leading dims the reshape keeps become 0 (copy), and one merged or split dim -1.
"""

from __future__ import annotations

from typing import Any

import numpy as np  # index arithmetic on constants (host only)

from minitorch.autograd.ops import activation, arithmetic, convert, elementwise, reduction, shape
from minitorch.autograd.ops.reduction import normalize_dims
from minitorch.onnx.graph import (
    GraphBuilder,
    UnsupportedOperatorError,
    Value,
    constant,
    converts,
    host,
)

INT64_MAX = np.iinfo(np.int64).max


def _binary(op_type: str) -> Any:
    def convert_binary(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
        dtype = meta[0][1]  # PyTorch's promotion, as traced: both operands in the result dtype
        return g.op(op_type, [g.cast(x, dtype) for x in xs])

    return convert_binary


for _cls, _op in ((arithmetic.Add, "Add"), (arithmetic.Sub, "Sub"), (arithmetic.Mul, "Mul"),
                  (arithmetic.Div, "Div"), (arithmetic.Pow, "Pow")):  # fmt: skip
    converts(_cls)(_binary(_op))


def _unary(op_type: str) -> Any:
    def convert_unary(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
        return g.op(op_type, [xs[0]])

    return convert_unary


for _cls, _op in ((arithmetic.Neg, "Neg"), (elementwise.Exp, "Exp"), (elementwise.Log, "Log"),
                  (elementwise.Sqrt, "Sqrt"), (elementwise.Abs, "Abs"), (activation.ReLU, "Relu"),
                  (activation.Sigmoid, "Sigmoid"), (activation.Tanh, "Tanh")):  # fmt: skip
    converts(_cls)(_unary(_op))


@converts(arithmetic.MatMul)
def matmul(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    return g.op("MatMul", xs)


@converts(reduction.Maximum)
def maximum(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    return g.op("Max" if fn.largest else "Min", [g.cast(x, meta[0][1]) for x in xs])


@converts(elementwise.Clip)
def clip(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    dtype = meta[0][1]
    bounds = [None if b is None else g.scalar(b, dtype) for b in (fn.low, fn.high)]
    return g.op("Clip", [xs[0], *bounds])


@converts(elementwise.Where)
def where(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    cond, a, b = xs
    return g.op("Where", [g.cast(cond, bool), g.cast(a, meta[0][1]), g.cast(b, meta[0][1])])


@converts(convert.ToDeviceDtype)
def to_device_dtype(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    (x,) = xs
    return g.cast(x, meta[0][1]) if fn.dtype is not None else x  # a device move is no graph op


@converts(activation.Softmax, activation.LogSoftmax)
def softmax(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    (x,) = xs
    log = isinstance(fn, activation.LogSoftmax)
    ndim = len(x.shape)
    if ndim == 0:  # the softmax of one number is 1
        return g.op("Sub" if log else "Div", [x, x])
    dim = fn.dim if fn.dim is not None else (0 if ndim in (1, 3) else 1)  # PyTorch's old rule
    return g.op("LogSoftmax" if log else "Softmax", [x], axis=dim % ndim)


# --- reductions -----------------------------------------------------------------------------
def _axes(fn: Any, x: Value) -> tuple | None:
    return normalize_dims(fn.dim, len(x.shape)) if x.shape else None


@converts(reduction.Sum, reduction.Mean)
def sum_mean(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    (x,) = xs
    op_type = "ReduceSum" if isinstance(fn, reduction.Sum) else "ReduceMean"
    return g.reduce(op_type, x, _axes(fn, x), fn.keepdim)


@converts(reduction.Amax)
def amax(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    (x,) = xs
    return g.reduce("ReduceMax" if fn.largest else "ReduceMin", x, _axes(fn, x), fn.keepdim)


@converts(reduction.MaxDim)
def max_dim(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> tuple:
    (x,) = xs
    (axis,) = normalize_dims(fn.dim, len(x.shape))
    values = g.reduce("ReduceMax" if fn.largest else "ReduceMin", x, [axis], fn.keepdim)
    arg = g.op("ArgMax" if fn.largest else "ArgMin", [x], axis=axis, keepdims=int(fn.keepdim))
    return values, arg


@converts(reduction.Var, reduction.Std)
def var_std(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    """``sum((x - mean)^2) / (n - ddof)``, n from the traced shape (a reduced axis is static)."""
    (x,) = xs
    axes = normalize_dims(fn.dim, len(x.shape))
    every = range(len(x.shape)) if axes is None else axes
    n = int(np.prod([x.shape[a] for a in every]))
    centered = g.op("Sub", [x, g.reduce("ReduceMean", x, axes, True)])
    total = g.reduce("ReduceSum", g.op("Mul", [centered, centered]), axes, fn.keepdim)
    var = g.op("Div", [total, g.scalar(max(n - fn.ddof, 0), meta[0][1])])
    return g.op("Sqrt", [var]) if isinstance(fn, reduction.Std) else var


# --- shapes ---------------------------------------------------------------------------------
def reshape_target(in_shape: tuple, out_shape: tuple) -> list[int]:
    """The ONNX ``Reshape`` target for ``in_shape -> out_shape`` that also holds when a dim
    varies: the leading dims both share are copied (0), the trailing ones both share stay, and
    the first of the dims in between is inferred (-1)."""
    target = [int(n) for n in out_shape]
    lead = 0
    while lead < min(len(in_shape), len(out_shape)) and in_shape[lead] == out_shape[lead]:
        target[lead] = 0
        lead += 1
    tail = 0
    while (tail < len(out_shape) - lead and tail < len(in_shape) - lead
           and in_shape[-1 - tail] == out_shape[-1 - tail]):  # fmt: skip
        tail += 1
    if lead < len(out_shape) - tail and 0 not in out_shape:
        target[lead] = -1
    return target


def reshape_to(g: GraphBuilder, x: Value, out_shape: tuple) -> Value:
    return g.op("Reshape", [x, g.ints(reshape_target(tuple(x.shape), tuple(out_shape)))])


@converts(shape.Reshape)
def reshape(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    return reshape_to(g, xs[0], meta[0][0])


@converts(shape.Permute)
def permute(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    ndim = max(len(xs[0].shape), 1)
    return g.op("Transpose", [xs[0]], perm=[d % ndim for d in fn.dims])


@converts(shape.Expand)
def expand(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    """Expand to the traced shape, with 1 (keep the input's size) where the input already has
    it, so an expanded tensor follows a dynamic axis of its input."""
    (x,), out = xs, meta[0][0]
    lead = len(out) - len(x.shape)
    target = [1 if i >= lead and x.shape[i - lead] == n else n for i, n in enumerate(out)]
    return g.op("Expand", [x, g.ints(target)])


@converts(shape.Cat)
def cat(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    parts = [g.cast(x, meta[0][1]) for x in xs]
    return g.op("Concat", parts, axis=fn.dim % len(meta[0][0]))


@converts(shape.Stack)
def stack(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    axis = fn.dim % len(meta[0][0])
    parts = [g.unsqueeze(g.cast(x, meta[0][1]), [axis]) for x in xs]
    return g.op("Concat", parts, axis=axis)


def _is_mask(item: Any) -> bool:
    return hasattr(item, "dtype") and item.dtype == bool


def _is_array(item: Any) -> bool:
    return isinstance(item, list) or (hasattr(item, "ndim") and item.ndim > 0)


def _index_items(index: Any, ndim: int) -> list:
    """The index as a list, its Ellipsis (or the missing trailing axes) as full slices."""
    items = list(index) if isinstance(index, tuple) else [index]
    used = sum(1 for i in items if i is not None and i is not Ellipsis)
    fill = [slice(None)] * (ndim - used)
    dots = [k for k, i in enumerate(items) if i is Ellipsis]
    if dots:
        return items[: dots[0]] + fill + items[dots[0] + 1 :]
    return items + fill


@converts(shape.GetItem)
def getitem(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> Value:
    """Slices in one ``Slice``; ints and one integer array as ``Gather`` (last axis first, so
    the axes before stay numbered); new axes (None) by ``Unsqueeze``."""
    (x,) = xs
    raw = list(fn.index) if isinstance(fn.index, tuple) else [fn.index]
    if any(_is_mask(i) for i in raw) or sum(map(_is_array, raw)) > 1:
        raise UnsupportedOperatorError(
            "minitorch.onnx.export: indexing with a boolean mask or with more than one index "
            f"array has no ONNX mapping here (index {fn.index!r})"
        )
    items = _index_items(fn.index, len(x.shape))
    starts, ends, axes, steps, gathers, new_axes = [], [], [], [], [], []
    axis = out_axis = 0
    for item in items:
        if item is None:
            new_axes.append(out_axis)
            out_axis += 1
        elif isinstance(item, slice):
            if item != slice(None):
                step = 1 if item.step is None else int(item.step)
                starts.append((0 if step > 0 else -1) if item.start is None else int(item.start))
                ends.append((INT64_MAX if step > 0 else -INT64_MAX) if item.stop is None
                            else int(item.stop))  # fmt: skip
                axes.append(axis)
                steps.append(step)
            axis += 1
            out_axis += 1
        else:  # an int or an integer array
            indices = np.asarray(host(item), dtype=np.int64)
            gathers.append((axis, indices))
            axis += 1
            out_axis += indices.ndim
    if axes:
        x = g.op("Slice", [x, g.ints(starts), g.ints(ends), g.ints(axes), g.ints(steps)])
    for gather_axis, indices in reversed(gathers):
        x = g.op("Gather", [x, constant(indices)], axis=gather_axis)
    if new_axes:
        x = g.unsqueeze(x, new_axes)
    return x


# --- the tensor ops that record no node (kept by the trace, see trace.UNRECORDED) -------------
_COMPARISONS = {"__eq__": "Equal", "__lt__": "Less", "__le__": "LessOrEqual",
                "__gt__": "Greater", "__ge__": "GreaterOrEqual", "__ne__": "Equal"}  # fmt: skip


def compare(g: GraphBuilder, xs: list, out: Any) -> Value:
    """``a == b`` etc., both operands in their common dtype (NumPy's, as traced)."""
    a, b, op = xs
    b = b if isinstance(b, Value) else constant(b)
    common = np.result_type(np.asarray(a.const) if a.is_const else np.empty(0, a.dtype),
                            b.const if b.is_const else np.empty(0, b.dtype))  # fmt: skip
    y = g.op(_COMPARISONS[op], [g.cast(a, common), g.cast(b, common)])
    return g.op("Not", [y]) if op == "__ne__" else y


def arg_extreme(op_type: str) -> Any:
    def convert_arg(g: GraphBuilder, xs: list, out: Any) -> Value:
        x, dim, keepdim = (xs + [None, False])[:3]
        if dim is None:  # over the flattened tensor
            return g.op(op_type, [g.op("Reshape", [x, g.ints([-1])])], axis=0, keepdims=0)
        (axis,) = normalize_dims(dim, len(x.shape))
        return g.op(op_type, [x], axis=axis, keepdims=int(bool(keepdim)))

    return convert_arg


UNTRACKED = {"compare": compare, "argmax": arg_extreme("ArgMax"),
             "argmin": arg_extreme("ArgMin")}  # fmt: skip
