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
        """Pieces of ``split_size`` (or of the listed sizes) along ``dim``."""
        return autograd.ops.split(self, split_size, dim)

    def tensor_split(self, indices_or_sections: Any, dim: int = 0) -> tuple:
        """``sections`` pieces as even as possible, or pieces cut before each listed index."""
        return autograd.ops.tensor_split(self, indices_or_sections, dim)

    def chunk(self, chunks: int, dim: int = 0) -> tuple:
        """At most ``chunks`` pieces of ceil(n / chunks) entries along ``dim``."""
        return autograd.ops.chunk(self, chunks, dim)

    def unbind(self, dim: int = 0) -> tuple:
        """The slices along ``dim``, each without that dim."""
        return autograd.ops.unbind(self, dim)

    def narrow(self, dim: int, start: Any, length: int) -> Tensor:
        """The ``length`` entries from ``start`` (negative counts from the end) along ``dim``."""
        return autograd.ops.narrow(self, dim, start, length)

    def flip(self, *dims: Any) -> Tensor:
        """Entries reversed along each of ``dims``."""
        return autograd.ops.flip(self, dims[0] if len(dims) == 1 else dims)

    def fliplr(self) -> Tensor:
        """Reversed along dim 1 (needs 2+ dims)."""
        return autograd.ops.fliplr(self)

    def flipud(self) -> Tensor:
        """Reversed along dim 0."""
        return autograd.ops.flipud(self)

    def roll(self, shifts: Any, dims: Any = None) -> Tensor:
        """Entries shifted cyclically by ``shifts`` along ``dims`` (all, flattened, when None)."""
        return autograd.ops.roll(self, shifts, dims)

    def repeat(self, *sizes: Any) -> Tensor:
        """``self.repeat(*sizes)``: tiled ``sizes[i]`` times along dim i."""
        return autograd.ops.repeat(self, *sizes)

    def tile(self, *dims: Any) -> Tensor:
        """As ``repeat``, with ones prepended when ``dims`` is shorter than the tensor's dims."""
        return autograd.ops.tile(self, dims[0] if len(dims) == 1 and not isinstance(dims[0], int)
                                 else dims)  # fmt: skip

    def repeat_interleave(self, repeats: Any, dim: int | None = None, *,
                          output_size: int | None = None) -> Tensor:  # fmt: skip
        """Each entry repeated in place along ``dim`` (the flattened input when None)."""
        return autograd.ops.repeat_interleave(self, repeats, dim, output_size=output_size)

    def expand_as(self, other: Any) -> Tensor:
        """``self`` expanded to ``other``'s shape."""
        return autograd.ops.expand_as(self, other)

    def broadcast_to(self, size: Any) -> Tensor:
        """``self`` expanded to ``size`` (-1 keeps a dim); a view, the gradient sums."""
        return autograd.ops.broadcast_to(self, size)

    def movedim(self, source: Any, destination: Any) -> Tensor:
        """Dims ``source`` moved to positions ``destination``."""
        return autograd.ops.movedim(self, source, destination)

    def moveaxis(self, source: Any, destination: Any) -> Tensor:
        """Dims ``source`` moved to positions ``destination`` (``movedim``)."""
        return autograd.ops.movedim(self, source, destination)

    def swapaxes(self, axis0: int, axis1: int) -> Tensor:
        """Dims ``axis0`` and ``axis1`` exchanged (``transpose``)."""
        return autograd.ops.swapaxes(self, axis0, axis1)

    def swapdims(self, dim0: int, dim1: int) -> Tensor:
        """Dims ``dim0`` and ``dim1`` exchanged (``transpose``)."""
        return autograd.ops.swapaxes(self, dim0, dim1)

    def t(self) -> Tensor:
        """The transpose of a matrix; a 0-d or 1-d tensor is returned as it is."""
        return autograd.ops.t(self)

    def unflatten(self, dim: int, sizes: Any) -> Tensor:
        """Dim ``dim`` split into ``sizes`` (one entry may be -1)."""
        return autograd.ops.unflatten(self, dim, sizes)

    def ravel(self) -> Tensor:
        """The elements as a 1-D tensor."""
        return autograd.ops.ravel(self)

    def tril(self, diagonal: int = 0) -> Tensor:
        """Lower triangle (on and below ``diagonal``) of the last two dims; the rest 0."""
        return autograd.ops.tril(self, diagonal)

    def triu(self, diagonal: int = 0) -> Tensor:
        """Upper triangle (on and above ``diagonal``) of the last two dims; the rest 0."""
        return autograd.ops.triu(self, diagonal)

    def diag(self, diagonal: int = 0) -> Tensor:
        """A 1-D tensor put on the ``diagonal`` of a square matrix, or a matrix's ``diagonal``."""
        return autograd.ops.diag(self, diagonal)

    def diagonal(self, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
        """The ``offset`` diagonal of the (dim1, dim2) matrices."""
        return autograd.ops.diagonal(self, offset, dim1, dim2)

    def diag_embed(self, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
        """Matrices with the last dim of ``self`` on their ``offset`` diagonal."""
        return autograd.ops.diag_embed(self, offset, dim1, dim2)

    def trace(self) -> Tensor:
        """Sum of a matrix's main diagonal (int64 for integer input)."""
        return autograd.ops.trace(self)
