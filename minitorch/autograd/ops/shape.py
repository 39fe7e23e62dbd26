"""Shape ops: reshape/view, transpose, permute, expand, getitem, cat, stack (no arithmetic)."""

from __future__ import annotations

import numbers
from typing import Any

from minitorch.autograd.function import Function
from minitorch.autograd.ops.broadcast import unbroadcast
from minitorch.autograd.tensor import Tensor
from minitorch.backend import get_backend


class Reshape(Function):
    """``x.reshape(shape)``; the gradient is reshaped back."""

    def __init__(self, shape: tuple):
        self.shape = shape

    def forward(self, x: Any) -> Any:
        self.save_for_backward(x.shape)
        try:
            return x.reshape(self.shape)
        except ValueError:
            raise ValueError(
                f"reshape: shape {tuple(self.shape)} is invalid for a tensor of shape "
                f"{tuple(x.shape)} ({x.size} elements)"
            ) from None

    def backward(self, dy: Any) -> Any:
        (in_shape,) = self.saved
        return dy.reshape(in_shape)


class Permute(Function):
    """``x.permute(dims)`` (``transpose`` and ``.T`` are permutations too)."""

    def __init__(self, dims: tuple):
        self.dims = dims

    def forward(self, x: Any) -> Any:
        if sorted(d % max(x.ndim, 1) for d in self.dims) != list(range(x.ndim)):
            raise ValueError(f"permute: {self.dims} is not a permutation of the {x.ndim} dims")
        return x.transpose(self.dims)

    def backward(self, dy: Any) -> Any:
        inverse = [0] * len(self.dims)
        for i, d in enumerate(self.dims):
            inverse[d % len(self.dims)] = i
        return dy.transpose(inverse)


class Expand(Function):
    """``x.expand(shape)``: a broadcast view; the gradient sums over the expanded axes."""

    def __init__(self, shape: tuple):
        self.shape = shape

    def forward(self, x: Any) -> Any:
        self.save_for_backward(x.shape)
        lead = len(self.shape) - x.ndim
        shape = tuple(x.shape[i - lead] if n == -1 else n for i, n in enumerate(self.shape))
        return get_backend(x).xp.broadcast_to(x, shape)

    def backward(self, dy: Any) -> Any:
        (in_shape,) = self.saved
        return unbroadcast(dy, in_shape)


def unwrap_index(index: Any) -> Any:
    """Tensors inside an index become their arrays; lists become integer arrays."""
    if isinstance(index, tuple):
        return tuple(unwrap_index(i) for i in index)
    return index.array if isinstance(index, Tensor) else index


def _is_advanced(index: Any) -> bool:
    """True when the index has integer arrays (repeats possible), which need scatter-add."""
    items = index if isinstance(index, tuple) else (index,)
    return any(
        isinstance(i, list) or (hasattr(i, "dtype") and i.dtype.kind in "iu" and i.ndim > 0)
        for i in items
    )


def _is_int(item: Any) -> bool:
    if isinstance(item, (bool, list)):
        return False
    if hasattr(item, "dtype"):
        return item.dtype.kind in "iu" and item.ndim == 0
    return isinstance(item, numbers.Integral)


def _is_array(item: Any) -> bool:
    return isinstance(item, list) or (hasattr(item, "dtype") and item.ndim > 0)


def split_index(index: Any) -> tuple | None:
    """PyTorch's reading of an index that mixes ints with index arrays, as two NumPy steps.

    PyTorch applies ints as basic indexing (they drop their dim) and treats only the arrays as
    advanced; NumPy counts an int beside an array as advanced too, which can move the advanced
    dims to the front (``x[0, :, [0, 1]]`` is (2, n) in NumPy, (n, 2) in PyTorch). Returns
    ``(basic, advanced)`` with ``x[basic][advanced]`` equal to PyTorch's ``x[index]``, or None
    when both readings agree.
    """
    items = index if isinstance(index, tuple) else (index,)
    if not (any(map(_is_int, items)) and any(map(_is_array, items))):
        return None
    basic: list = []
    advanced: list = []
    for item in items:
        if _is_int(item):
            basic.append(int(item))
        elif _is_array(item):
            dims = (
                item.ndim if getattr(item, "dtype", None) is not None and item.dtype == bool else 1
            )
            basic += [slice(None)] * dims
            advanced.append(item)
        else:  # a slice, None (a new axis) or Ellipsis: applied by the basic step
            basic.append(item)
            advanced.append(Ellipsis if item is Ellipsis else slice(None))
    return tuple(basic), tuple(advanced)


class GetItem(Function):
    """``x[index]``: basic slicing, integer arrays and boolean masks, placed as PyTorch does."""

    def __init__(self, index: Any):
        self.index = unwrap_index(index)
        self.split = split_index(self.index)

    def forward(self, x: Any) -> Any:
        self.save_for_backward(x.shape)
        y = x[self.index] if self.split is None else x[self.split[0]][self.split[1]]
        return y if isinstance(y, type(x)) else get_backend(x).xp.asarray(y)  # 0-d, not scalar

    def backward(self, dy: Any) -> Any:
        (shape,) = self.saved
        backend = get_backend(dy)
        dx = backend.xp.zeros(shape, dtype=dy.dtype)
        target, index = (
            (dx, self.index) if self.split is None else (dx[self.split[0]], self.split[1])
        )
        if _is_advanced(index):
            backend.scatter_add(target, index, dy)  # repeated indices must add up
        else:
            target[index] = dy
        return dx


class Cat(Function):
    """``cat(tensors, dim)``: the gradient is split back along ``dim``."""

    def __init__(self, dim: int = 0):
        self.dim = dim

    def forward(self, *xs: Any) -> Any:
        xp = get_backend(xs[0]).xp
        axis = self.dim % xs[0].ndim
        self.save_for_backward(axis, [x.shape[axis] for x in xs])
        try:
            return xp.concatenate(xs, axis=axis)
        except ValueError:
            shapes = ", ".join(str(tuple(x.shape)) for x in xs)
            raise ValueError(f"cat: shapes {shapes} differ outside dim {self.dim}") from None

    def backward(self, dy: Any) -> tuple:
        axis, sizes = self.saved
        out, start = [], 0
        for size, need in zip(sizes, self.needs_input_grad):
            sl = [slice(None)] * dy.ndim
            sl[axis] = slice(start, start + size)
            out.append(dy[tuple(sl)] if need else None)
            start += size
        return tuple(out)


class Stack(Function):
    """``stack(tensors, dim)``: the gradient is unstacked along ``dim``."""

    def __init__(self, dim: int = 0):
        self.dim = dim

    def forward(self, *xs: Any) -> Any:
        xp = get_backend(xs[0]).xp
        axis = self.dim % (xs[0].ndim + 1)
        self.save_for_backward(axis)
        try:
            return xp.stack(xs, axis=axis)
        except ValueError:
            shapes = ", ".join(str(tuple(x.shape)) for x in xs)
            raise ValueError(f"stack: expects tensors of one shape, got {shapes}") from None

    def backward(self, dy: Any) -> tuple:
        (axis,) = self.saved
        xp = get_backend(dy).xp
        need = self.needs_input_grad
        return tuple(xp.take(dy, i, axis=axis) if need[i] else None for i in range(dy.shape[axis]))
