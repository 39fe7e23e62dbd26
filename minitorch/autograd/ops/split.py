"""Cutting a tensor into pieces: split, tensor_split, chunk, unbind, narrow.

``Split`` and ``Unbind`` are one Function with several outputs (views of the input), so the
backward concatenates (or stacks) the pieces' gradients once; a piece nobody used gets zeros.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

from minitorch.autograd.function import Function
from minitorch.autograd.ops.reduction import normalize_dims
from minitorch.autograd.ops.shape import GetItem
from minitorch.autograd.tensor import Tensor
from minitorch.backend import get_backend


class Split(Function):
    """Pieces ``x[..., a:b, ...]`` along ``dim`` for each (a, b) of ``bounds``; dx is the pieces'
    gradients concatenated (added into place if the pieces do not tile the dim).

    Shape: (..., n, ...) -> one (..., b - a, ...) per piece.
    """

    def __init__(self, bounds: Sequence[tuple], dim: int = 0):
        self.bounds, self.dim = tuple(bounds), dim

    def forward(self, x: Any) -> tuple:
        (axis,) = normalize_dims(self.dim, x.ndim)
        self.save_for_backward(axis, x.shape)
        lead = (slice(None),) * axis
        return tuple(x[lead + (slice(a, b),)] for a, b in self.bounds)

    def backward(self, *dys: Any) -> Any:
        axis, shape = self.saved
        xp = get_backend(dys[0]).xp
        tiles = all(a == b for (_, a), (b, _) in zip(self.bounds, self.bounds[1:]))
        if tiles and self.bounds[0][0] == 0 and self.bounds[-1][1] == shape[axis]:
            return xp.concatenate(dys, axis=axis)
        dx = xp.zeros(shape, dtype=dys[0].dtype)
        lead = (slice(None),) * axis
        for (a, b), dy in zip(self.bounds, dys):
            dx[lead + (slice(a, b),)] += dy
        return dx


def _bounds(sizes: Sequence[int]) -> list:
    starts = [0]
    for size in sizes:
        starts.append(starts[-1] + size)
    return list(zip(starts, starts[1:]))


class Unbind(Function):
    """The slices along ``dim`` with that dim removed; dx stacks their gradients."""

    def __init__(self, dim: int = 0):
        self.dim = dim

    def forward(self, x: Any) -> tuple:
        (axis,) = normalize_dims(self.dim, x.ndim)
        self.save_for_backward(axis)
        lead = (slice(None),) * axis
        return tuple(x[lead + (i,)] for i in range(x.shape[axis]))

    def backward(self, *dys: Any) -> Any:
        (axis,) = self.saved
        return get_backend(dys[0]).xp.stack(dys, axis=axis)


def _dim_size(tensor: Tensor, dim: int) -> int:
    if tensor.ndim == 0:
        raise ValueError("cannot split a 0-d tensor; it has no dimension to cut along")
    return tensor.shape[normalize_dims(dim, tensor.ndim)[0]]


def split(tensor: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple:
    """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or of the listed
    sizes. Each piece is a view of ``tensor``."""
    n = _dim_size(tensor, dim)
    if isinstance(split_size_or_sections, int):
        size = split_size_or_sections
        if size <= 0 and n:
            raise ValueError(f"split: split_size must be positive, got {size}")
        sizes = [size] * (n // size) + ([n % size] if n % size else []) if n else [0]
    else:
        sizes = [int(s) for s in split_size_or_sections]
        if sum(sizes) != n or any(s < 0 for s in sizes):
            raise ValueError(
                f"split: sizes {sizes} must be non-negative and add up to {n}, the size of "
                f"dim {dim}"
            )
    return Split(_bounds(sizes), dim)(tensor)


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple:  # noqa: A002
    """At most ``chunks`` pieces of ceil(n / chunks) entries along ``dim``."""
    if not isinstance(chunks, int) or chunks <= 0:
        raise ValueError(f"chunk: chunks must be a positive int, got {chunks!r}")
    n = _dim_size(input, dim)
    if n == 0:
        return Split([(0, 0)] * chunks, dim)(input)
    return split(input, math.ceil(n / chunks), dim)


def tensor_split(input: Tensor, indices_or_sections: Any, dim: int = 0) -> tuple:  # noqa: A002
    """``sections`` pieces as even as possible (the first n % sections one longer), or pieces
    cut before each listed index."""
    n = _dim_size(input, dim)
    if isinstance(indices_or_sections, int):
        k = indices_or_sections
        if k <= 0:
            raise ValueError(f"tensor_split: sections must be positive, got {k}")
        bounds = _bounds([n // k + (1 if i < n % k else 0) for i in range(k)])
    else:  # pieces as Python slices between the cuts (an out-of-order cut gives an empty one)
        cuts = [min(max(int(i) + (n if int(i) < 0 else 0), 0), n) for i in indices_or_sections]
        ends = [0, *cuts, n]
        bounds = [(a, max(a, b)) for a, b in zip(ends, ends[1:])]
    return Split(bounds, dim)(input)


def unbind(input: Tensor, dim: int = 0) -> tuple:  # noqa: A002
    """The slices along ``dim``, each without that dim."""
    _dim_size(input, dim)
    return Unbind(dim)(input)


def narrow(input: Tensor, dim: int, start: Any, length: int) -> Tensor:  # noqa: A002
    """The ``length`` entries from ``start`` (negative counts from the end) along ``dim``."""
    n = _dim_size(input, dim)
    start = int(start)
    start = start + n if start < 0 else start
    if not (0 <= start <= n and 0 <= length <= n - start):
        raise IndexError(
            f"narrow: start {start} and length {length} do not fit dim {dim} of size {n}"
        )
    (axis,) = normalize_dims(dim, input.ndim)
    return GetItem((slice(None),) * axis + (slice(start, start + length),))(input)
