"""Indexing along a dim: gather, scatter, scatter_add, index_select, take, take_along_dim,
one_hot (masks are in ``masking.py``).

Gradients of reads (gather, index_select) are scatter-adds, so repeated indices add up; a write
(scatter) routes each output element's gradient to the one input that produced it.
"""

from __future__ import annotations

import math
from typing import Any

from minitorch.autograd.function import Function
from minitorch.autograd.ops.casting import as_dtype_of
from minitorch.autograd.ops.reduction import normalize_dims
from minitorch.autograd.ops.shape import Expand, GetItem, Reshape
from minitorch.autograd.tensor import Tensor
from minitorch.backend import get_backend


def flat_positions(xp: Any, index: Any, axis: int, shape: tuple) -> Any:
    """C-order positions, in an array of ``shape``, of the elements ``index`` names along
    ``axis`` (index[i, j] means element (i, index[i, j]) for axis 1). Shape: (index.size,)."""
    flat = None
    for d, n in enumerate(index.shape):
        coord = index if d == axis else xp.arange(n).reshape((n,) + (1,) * (index.ndim - d - 1))
        flat = coord if flat is None else flat * shape[d] + coord
    return xp.broadcast_to(flat, index.shape).reshape(-1)


def _check_index(name: str, x: Any, index: Any, axis: int, src: Any = None) -> None:
    if index.dtype.kind not in "iu":
        raise TypeError(f"{name}: index must be an integer tensor, got dtype {index.dtype}")
    if index.ndim != x.ndim:
        raise ValueError(
            f"{name}: index must have as many dims as the input ({x.ndim}), got shape "
            f"{tuple(index.shape)}"
        )
    for d in range(x.ndim):
        too_big = index.shape[d] > x.shape[d] if d != axis else False
        if too_big or (src is not None and index.shape[d] > src.shape[d]):
            raise ValueError(
                f"{name}: index shape {tuple(index.shape)} exceeds input shape "
                f"{tuple(x.shape)}{'' if src is None else f' or src shape {tuple(src.shape)}'} "
                f"in dim {d}"
            )
    n = x.shape[axis]
    if index.size and bool(((index < 0) | (index >= n)).any()):
        raise IndexError(f"{name}: index out of bounds for dim {axis} with size {n}")


def _at_least_1d(x: Any, index: Any) -> tuple:
    if x.ndim == 0:
        return x.reshape(1), index.reshape(1)
    return x, index


def _front(index: Any, ndim: int, axis: int, full_axis: bool = True) -> tuple:
    """The slices that cut an array down to ``index``'s shape (all of ``axis`` if full_axis)."""
    return tuple(
        slice(None) if d == axis and full_axis else slice(0, n) for d, n in enumerate(index.shape)
    )[:ndim]


class Gather(Function):
    """``gather(x, dim, index)``: y[i][j] = x[i][index[i][j]] (dim 1). dx is dy scatter-added
    back; ``unique=True`` (indices distinct along dim: sort, topk) assigns instead."""

    def __init__(self, dim: int, unique: bool = False):
        self.dim, self.unique = dim, unique

    def forward(self, x: Any, index: Any) -> Any:
        xp = get_backend(x).xp
        shape, out_shape = x.shape, index.shape
        x, index = _at_least_1d(x, index)  # a 0-d tensor is gathered as a 1-element one
        (axis,) = normalize_dims(self.dim, x.ndim)
        if not self.unique:
            _check_index("gather", x, index, axis)
        self.save_for_backward(shape, x.shape, index, axis)
        y = xp.take_along_axis(x[_front(index, x.ndim, axis)], index, axis=axis)
        return y.reshape(out_shape)

    def backward(self, dy: Any) -> Any:
        shape, shape_1d, index, axis = self.saved
        backend = get_backend(dy)
        dx = backend.xp.zeros(math.prod(shape), dtype=dy.dtype)
        flat = flat_positions(backend.xp, index, axis, shape_1d)
        if self.unique:
            dx[flat] = dy.reshape(-1)
        else:
            backend.scatter_add(dx, flat, dy.reshape(-1))
        return dx.reshape(shape), None


class Scatter(Function):
    """``scatter(x, dim, index, src)`` (src a tensor or a number; ``add=True`` for
    scatter_add): y = x with y[i][index[i][j]] = src[i][j] (dim 1), or += for add.

    dx = dy except at written places (plain scatter); dsrc = dy gathered at index.
    """

    def __init__(self, dim: int, add: bool = False):
        self.dim, self.add = dim, add

    def forward(self, x: Any, index: Any, src: Any) -> Any:
        backend = get_backend(x)
        name = "scatter_add" if self.add else "scatter"
        shape, tensor_src = x.shape, hasattr(src, "shape")
        src_shape = src.shape if tensor_src else None
        x, index = _at_least_1d(x, index)
        if tensor_src and src.ndim == 0:
            src = src.reshape(1)
        (axis,) = normalize_dims(self.dim, x.ndim)
        if tensor_src and src.dtype != x.dtype:
            raise TypeError(
                f"{name}: expected src of the input's dtype {x.dtype}, got {src.dtype}"
            )
        _check_index(name, x, index, axis, src if tensor_src else None)
        flat = flat_positions(backend.xp, index, axis, x.shape)
        values = src[_front(index, src.ndim, axis, False)].reshape(-1) if tensor_src else src
        y = x.copy()
        if self.add:
            values = backend.xp.broadcast_to(as_dtype_of(values, x.dtype), flat.shape)
            backend.scatter_add(y.reshape(-1), flat, values)
        else:
            y.reshape(-1)[flat] = values
        self.save_for_backward(index, axis, flat, src_shape, src.shape if tensor_src else None)
        return y.reshape(shape)

    def backward(self, dy: Any) -> tuple:
        index, axis, flat, src_shape, src_shape_1d = self.saved
        xp = get_backend(dy).xp
        need = self.needs_input_grad
        dx = dsrc = None
        if need[0]:
            dx = dy
            if not self.add:
                dx = dy.copy()
                dx.reshape(-1)[flat] = 0
        if src_shape is not None and need[2]:
            dsrc = xp.zeros(src_shape_1d, dtype=dy.dtype)
            picked = dy.reshape(-1)[flat].reshape(index.shape)
            dsrc[_front(index, len(src_shape_1d), axis, False)] = picked
            dsrc = dsrc.reshape(src_shape)
        return dx, None, dsrc


class IndexSelect(Function):
    """``index_select(x, dim, index)``: the entries ``index`` (1-D) picks along ``dim``;
    dx scatter-adds dy back along that dim."""

    def __init__(self, dim: int):
        self.dim = dim

    def forward(self, x: Any, index: Any) -> Any:
        xp = get_backend(x).xp
        if index.dtype.kind not in "iu" or index.ndim > 1:
            raise TypeError(
                f"index_select: index must be a 0-d or 1-D integer tensor, got dtype "
                f"{index.dtype} and shape {tuple(index.shape)}"
            )
        shape = x.shape
        if not shape and index.size != 1:
            raise IndexError(f"index_select: a 0-d input takes one index, got {index.size}")
        x = x.reshape(1) if x.ndim == 0 else x
        (axis,) = normalize_dims(self.dim, x.ndim)
        n, index = x.shape[axis], index.reshape(-1)
        if index.size and bool(((index < 0) | (index >= n)).any()):
            raise IndexError(f"index_select: index out of range for dim {self.dim} of size {n}")
        self.save_for_backward(shape, x.shape, index, axis)
        y = xp.take(x, index, axis=axis)
        return y.reshape(()) if not shape else y

    def backward(self, dy: Any) -> Any:
        shape, shape_1d, index, axis = self.saved
        backend = get_backend(dy)
        dx = backend.xp.zeros(shape_1d, dtype=dy.dtype)
        # rows of the moved view are the entries along dim: one row scatter-add
        rows = backend.xp.moveaxis(dy.reshape(-1) if not shape else dy, axis, 0)
        backend.scatter_add(backend.xp.moveaxis(dx, axis, 0), index, rows)
        return dx.reshape(shape), None


def _index_array(name: str, index: Any) -> Any:
    if not isinstance(index, Tensor):
        raise TypeError(f"{name}: index must be a Tensor, got {type(index).__name__}")
    return index.array


def gather(input: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:  # noqa: A002
    """``out[i][j] = input[i][index[i][j]]`` for dim 1. Shape: index's shape.

    ``sparse_grad`` only picks PyTorch's sparse gradient layout; the values are the same, and
    here the gradient is always dense.
    """
    return Gather(dim)(input, _index_array("gather", index))


def take_along_dim(input: Tensor, indices: Tensor, dim: int | None = None) -> Tensor:  # noqa: A002
    """``gather`` with broadcasting of ``input`` and ``indices`` outside ``dim``; with
    ``dim=None`` both are flattened first."""
    index = _index_array("take_along_dim", indices)
    if dim is None:
        return Gather(0)(Reshape((-1,))(input), index.reshape(-1))
    xp = get_backend(index).xp
    (axis,) = normalize_dims(dim, input.ndim)
    if index.ndim != input.ndim:
        raise ValueError(
            f"take_along_dim: input and indices need the same number of dims, got "
            f"{input.ndim} and {index.ndim}"
        )
    shape = [max(a, b) for a, b in zip(input.shape, index.shape)]
    x_shape, i_shape = list(shape), list(shape)
    x_shape[axis], i_shape[axis] = input.shape[axis], index.shape[axis]
    x = input if tuple(x_shape) == input.shape else Expand(tuple(x_shape))(input)
    return Gather(axis)(x, xp.broadcast_to(index, tuple(i_shape)))


def scatter(input: Tensor, dim: int, index: Tensor, src: Any = None, *,  # noqa: A002
            value: Any = None, reduce: str | None = None) -> Tensor:  # fmt: skip
    """A copy of ``input`` with ``out[i][index[i][j]] = src[i][j]`` (dim 1); ``src`` may be a
    tensor or a number (also given as ``value=``). ``reduce='add'`` adds instead of writing
    (as ``scatter_add``); ``reduce='multiply'`` is not supported (use a loop-free rewrite)."""
    if src is None:
        src = value
    if src is None:
        raise TypeError("scatter: give src (a tensor or a number) or value")
    if reduce not in (None, "add"):
        raise ValueError(
            f"scatter: reduce={reduce!r} is not supported here; only None and 'add' are"
        )
    return Scatter(dim, add=reduce == "add")(input, _index_array("scatter", index), src)


def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:  # noqa: A002
    """A copy of ``input`` with ``out[i][index[i][j]] += src[i][j]`` (dim 1), repeats summed."""
    return Scatter(dim, add=True)(input, _index_array("scatter_add", index), src)


def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:  # noqa: A002
    """The entries ``index`` (1-D) picks along ``dim``. Shape: dim resized to len(index)."""
    return IndexSelect(dim)(input, _index_array("index_select", index))


def take(input: Tensor, index: Tensor) -> Tensor:  # noqa: A002
    """``input.flatten()[index]``. Shape: index's shape."""
    return GetItem(_index_array("take", index))(Reshape((-1,))(input))


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """int64 one-hot encoding. Shape: (*) -> (*, num_classes); -1 means max(tensor) + 1."""
    x = _index_array("one_hot", tensor)
    if x.dtype != "int64":
        raise TypeError(f"one_hot: expected an integer (int64) tensor, got {x.dtype}")
    xp = get_backend(x).xp
    if num_classes == -1:
        if x.size == 0:
            raise ValueError("one_hot: cannot infer num_classes from an empty tensor")
        num_classes = int(x.max()) + 1
    if x.size and bool((x < 0).any()):
        raise ValueError(f"one_hot: class values must be non-negative, got {int(x.min())}")
    if x.size and int(x.max()) >= num_classes:
        raise ValueError(
            f"one_hot: class values must be smaller than num_classes={num_classes}, "
            f"got {int(x.max())}"
        )
    return Tensor((x[..., None] == xp.arange(num_classes)).astype("int64"))
