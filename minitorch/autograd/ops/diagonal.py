"""Triangles and diagonals: tril, triu, diagonal, diag_embed, diag, trace.

Shape: tril/triu keep the shape and act on the last two dims; diagonal moves the diagonal to
the last dim; diag_embed builds matrices from the last dim.
"""

from __future__ import annotations

from typing import Any

from minitorch.autograd.function import Function
from minitorch.autograd.ops.reduction import Sum, normalize_dims
from minitorch.autograd.tensor import Tensor
from minitorch.backend import get_backend


class Triangle(Function):
    """``tril``/``triu``: entries on and below (above) ``diagonal`` kept, the rest 0;
    dy is kept in the same places."""

    def __init__(self, diagonal: int = 0, upper: bool = False):
        self.diagonal, self.upper = diagonal, upper

    def forward(self, x: Any) -> Any:
        if x.ndim < 2:
            name = "triu" if self.upper else "tril"
            raise ValueError(f"{name} expects a tensor with at least 2 dims, got {x.ndim}")
        xp = get_backend(x).xp
        m, n = x.shape[-2:]
        offset = xp.arange(n)[None, :] - xp.arange(m)[:, None]  # column - row
        keep = offset >= self.diagonal if self.upper else offset <= self.diagonal
        self.save_for_backward(keep)
        return xp.where(keep, x, x.dtype.type(0))

    def backward(self, dy: Any) -> Any:
        (keep,) = self.saved
        return get_backend(dy).xp.where(keep, dy, dy.dtype.type(0))


def _diagonal_positions(xp: Any, offset: int, rows: int, cols: int) -> tuple:
    """Row and column indices of the ``offset`` diagonal of a (rows, cols) matrix."""
    length = max(min(rows + min(offset, 0), cols - max(offset, 0)), 0)
    i = xp.arange(length)
    return i + max(-offset, 0), i + max(offset, 0)


class Diagonal(Function):
    """``diagonal(x, offset, dim1, dim2)``: the diagonal of the (dim1, dim2) matrices as the
    last dim; dx places dy back on that diagonal (zeros elsewhere)."""

    def __init__(self, offset: int = 0, dim1: int = 0, dim2: int = 1):
        self.offset, self.dim1, self.dim2 = offset, dim1, dim2

    def forward(self, x: Any) -> Any:
        d1, d2 = (normalize_dims(d, x.ndim)[0] for d in (self.dim1, self.dim2))
        if d1 == d2:
            raise ValueError(f"diagonal: dim1 and dim2 must differ, got {self.dim1}, {self.dim2}")
        self.save_for_backward(x.shape, d1, d2)
        return get_backend(x).xp.diagonal(x, self.offset, d1, d2).copy()

    def backward(self, dy: Any) -> Any:
        shape, d1, d2 = self.saved
        xp = get_backend(dy).xp
        dx = xp.zeros(shape, dtype=dy.dtype)
        view = xp.moveaxis(dx, (d1, d2), (-2, -1))
        rows, cols = _diagonal_positions(xp, self.offset, shape[d1], shape[d2])
        view[..., rows, cols] = dy
        return dx


class DiagEmbed(Function):
    """``diag_embed(x, offset, dim1, dim2)``: the last dim of x placed on the ``offset``
    diagonal of new (dim1, dim2) matrices; dx reads that diagonal back."""

    def __init__(self, offset: int = 0, dim1: int = -2, dim2: int = -1):
        self.offset, self.dim1, self.dim2 = offset, dim1, dim2

    def forward(self, x: Any) -> Any:
        xp = get_backend(x).xp
        x = x.reshape(1) if x.ndim == 0 else x
        d1, d2 = (normalize_dims(d, x.ndim + 1)[0] for d in (self.dim1, self.dim2))
        if d1 == d2:
            raise ValueError(
                f"diag_embed: dim1 and dim2 must differ, got {self.dim1}, {self.dim2}"
            )
        size = x.shape[-1] + abs(self.offset)
        y = xp.zeros(x.shape[:-1] + (size, size), dtype=x.dtype)
        rows, cols = _diagonal_positions(xp, self.offset, size, size)
        y[..., rows, cols] = x
        self.save_for_backward(d1, d2)
        return xp.moveaxis(y, (-2, -1), (d1, d2))

    def backward(self, dy: Any) -> Any:
        d1, d2 = self.saved
        return get_backend(dy).xp.diagonal(dy, self.offset, d1, d2).copy()


def tril(input: Tensor, diagonal: int = 0) -> Tensor:  # noqa: A002
    """Lower triangle (on and below ``diagonal``) of the last two dims; the rest 0."""
    return Triangle(diagonal, upper=False)(input)


def triu(input: Tensor, diagonal: int = 0) -> Tensor:  # noqa: A002
    """Upper triangle (on and above ``diagonal``) of the last two dims; the rest 0."""
    return Triangle(diagonal, upper=True)(input)


def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:  # noqa: A002
    """The ``offset`` diagonal of the (dim1, dim2) matrices. Shape: those dims dropped, the
    diagonal appended last."""
    return Diagonal(offset, dim1, dim2)(input)


def diag_embed(input: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:  # noqa: A002
    """Matrices with the last dim of ``input`` on their ``offset`` diagonal. Shape: (*, n) ->
    (*, n+|offset|, n+|offset|) (dims placed at dim1, dim2)."""
    return DiagEmbed(offset, dim1, dim2)(input)


def diag(input: Tensor, diagonal: int = 0) -> Tensor:  # noqa: A002
    """A 1-D tensor put on the ``diagonal`` of a square matrix, or a matrix's ``diagonal``."""
    if input.ndim == 1:
        return DiagEmbed(diagonal, 0, 1)(input)
    if input.ndim == 2:
        return Diagonal(diagonal, 0, 1)(input)
    raise ValueError(f"diag expects a 1-D or 2-D tensor, got {input.ndim}-D")


def trace(input: Tensor) -> Tensor:  # noqa: A002
    """Sum of a matrix's main diagonal (int64 for integer input)."""
    if input.ndim != 2:
        raise ValueError(f"trace expects a matrix, got a {input.ndim}-D tensor")
    return Sum()(Diagonal(0, 0, 1)(input))
