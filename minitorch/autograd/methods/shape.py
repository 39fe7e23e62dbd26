"""Shape ops as Tensor methods: ``t.split(3, 1)``, ``t.flip(0)``, ``t.tril()``, ``t.t()`` ..."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import minitorch.autograd as autograd

if TYPE_CHECKING:
    from minitorch.autograd.tensor import Tensor


class ShapeMethods:
    """Splitting, rearranging and diagonal methods (reshape/permute/... are in TensorMethods)."""

    __slots__ = ()

    def split(self, split_size: Any, dim: int = 0) -> tuple:
        return autograd.ops.split(self, split_size, dim)

    def tensor_split(self, indices_or_sections: Any, dim: int = 0) -> tuple:
        return autograd.ops.tensor_split(self, indices_or_sections, dim)

    def chunk(self, chunks: int, dim: int = 0) -> tuple:
        return autograd.ops.chunk(self, chunks, dim)

    def unbind(self, dim: int = 0) -> tuple:
        return autograd.ops.unbind(self, dim)

    def narrow(self, dim: int, start: Any, length: int) -> Tensor:
        return autograd.ops.narrow(self, dim, start, length)

    def flip(self, *dims: Any) -> Tensor:
        return autograd.ops.flip(self, dims[0] if len(dims) == 1 else dims)

    def fliplr(self) -> Tensor:
        return autograd.ops.fliplr(self)

    def flipud(self) -> Tensor:
        return autograd.ops.flipud(self)

    def roll(self, shifts: Any, dims: Any = None) -> Tensor:
        return autograd.ops.roll(self, shifts, dims)

    def repeat(self, *sizes: Any) -> Tensor:
        return autograd.ops.repeat(self, *sizes)

    def tile(self, *dims: Any) -> Tensor:
        return autograd.ops.tile(self, dims[0] if len(dims) == 1 and not isinstance(dims[0], int)
                                 else dims)  # fmt: skip

    def repeat_interleave(self, repeats: Any, dim: int | None = None, *,
                          output_size: int | None = None) -> Tensor:  # fmt: skip
        return autograd.ops.repeat_interleave(self, repeats, dim, output_size=output_size)

    def expand_as(self, other: Any) -> Tensor:
        return autograd.ops.expand_as(self, other)

    def broadcast_to(self, size: Any) -> Tensor:
        return autograd.ops.broadcast_to(self, size)

    def movedim(self, source: Any, destination: Any) -> Tensor:
        return autograd.ops.movedim(self, source, destination)

    def moveaxis(self, source: Any, destination: Any) -> Tensor:
        return autograd.ops.movedim(self, source, destination)

    def swapaxes(self, axis0: int, axis1: int) -> Tensor:
        return autograd.ops.swapaxes(self, axis0, axis1)

    def swapdims(self, dim0: int, dim1: int) -> Tensor:
        return autograd.ops.swapaxes(self, dim0, dim1)

    def t(self) -> Tensor:
        return autograd.ops.t(self)

    def unflatten(self, dim: int, sizes: Any) -> Tensor:
        return autograd.ops.unflatten(self, dim, sizes)

    def ravel(self) -> Tensor:
        return autograd.ops.ravel(self)

    def tril(self, diagonal: int = 0) -> Tensor:
        return autograd.ops.tril(self, diagonal)

    def triu(self, diagonal: int = 0) -> Tensor:
        return autograd.ops.triu(self, diagonal)

    def diag(self, diagonal: int = 0) -> Tensor:
        return autograd.ops.diag(self, diagonal)

    def diagonal(self, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
        return autograd.ops.diagonal(self, offset, dim1, dim2)

    def diag_embed(self, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
        return autograd.ops.diag_embed(self, offset, dim1, dim2)

    def trace(self) -> Tensor:
        return autograd.ops.trace(self)
