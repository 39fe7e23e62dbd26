"""Joining tensors: cat, stack, hstack, vstack, dstack, column_stack, meshgrid, atleast_nd.

Each is ``Cat``/``Stack`` (whose gradients split the output gradient back) after reshapes.
"""

from __future__ import annotations

import warnings
from typing import Any, Sequence

from minitorch.autograd.ops.shape import Cat, Expand, Reshape, Stack
from minitorch.autograd.tensor import Tensor


def cat(tensors: Sequence[Tensor], dim: int = 0, *, axis: int | None = None) -> Tensor:
    """Concatenated along ``dim`` (``axis`` is its NumPy-style alias, as in PyTorch); the other
    dims must agree. Shape: the sizes along dim added."""
    if len(tensors) == 0:
        raise ValueError("cat expects a non-empty sequence of tensors")
    return Cat(dim if axis is None else axis)(*tensors)


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Tensors of one shape stacked along a new ``dim``. Shape: (*, n, *) for n tensors."""
    if len(tensors) == 0:
        raise ValueError("stack expects a non-empty sequence of tensors")
    return Stack(dim)(*tensors)


def atleast_1d(input: Tensor) -> Tensor:  # noqa: A002
    """``input`` with at least 1 dim (a 0-d tensor becomes (1,))."""
    return input if input.ndim >= 1 else Reshape((1,))(input)


def atleast_2d(input: Tensor) -> Tensor:  # noqa: A002
    """``input`` with at least 2 dims (leading 1s added)."""
    return input if input.ndim >= 2 else Reshape((1,) * (2 - input.ndim) + input.shape)(input)


def atleast_3d(input: Tensor) -> Tensor:  # noqa: A002
    """(n,) -> (1, n, 1) and (m, n) -> (m, n, 1), as NumPy and PyTorch do."""
    if input.ndim >= 3:
        return input
    shape = {0: (1, 1, 1), 1: (1, *input.shape, 1), 2: (*input.shape, 1)}[input.ndim]
    return Reshape(shape)(input)


def hstack(tensors: Sequence[Tensor]) -> Tensor:
    """Concatenated along dim 1 (dim 0 for 1-D tensors)."""
    ts = [atleast_1d(t) for t in tensors]
    return Cat(0 if ts[0].ndim == 1 else 1)(*ts)


def vstack(tensors: Sequence[Tensor]) -> Tensor:
    """Concatenated along dim 0, 1-D tensors as rows."""
    return Cat(0)(*(atleast_2d(t) for t in tensors))


def dstack(tensors: Sequence[Tensor]) -> Tensor:
    """Concatenated along dim 2 (after ``atleast_3d``)."""
    return Cat(2)(*(atleast_3d(t) for t in tensors))


def column_stack(tensors: Sequence[Tensor]) -> Tensor:
    """1-D tensors (and 0-d) as columns, concatenated along dim 1."""
    cols = [Reshape((t.numel(), 1))(t) if t.ndim <= 1 else t for t in tensors]
    return Cat(1)(*cols)


row_stack = vstack


def meshgrid(*tensors: Any, indexing: str | None = None) -> tuple:
    """Coordinate grids of 1-D (or 0-d) tensors: 'ij' (matrix, the default, which warns as
    PyTorch does) or 'xy' (Cartesian: the first two dims swapped)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        warnings.warn(
            "torch.meshgrid: in an upcoming release, it will be required to pass the indexing "
            "argument.",
            UserWarning,
            stacklevel=2,
        )
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise ValueError(f"meshgrid: indexing must be 'ij' or 'xy', got {indexing!r}")
    sizes = [t.numel() for t in tensors]
    swap = indexing == "xy" and len(tensors) >= 2
    if swap:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    grids = []
    for i, t in enumerate(tensors):
        pos = (1 - i if i < 2 else i) if swap else i
        shape = [1] * len(tensors)
        shape[pos] = t.numel()
        grids.append(Expand(tuple(sizes))(Reshape(tuple(shape))(t)))
    return tuple(grids)
