"""Indexing and masking as Tensor methods: ``t.gather(1, idx)``, ``t.masked_fill(m, 0)`` ..."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import minitorch.autograd as autograd

if TYPE_CHECKING:
    from minitorch.autograd.tensor import Tensor


class IndexingMethods:
    """gather/scatter/index_select/masked_* and ``masked_fill_`` (in place)."""

    __slots__ = ()

    def gather(self, dim: int, index: Any, *, sparse_grad: bool = False) -> Tensor:
        """``out[i][j] = self[i][index[i][j]]`` for dim 1."""
        return autograd.ops.gather(self, dim, index, sparse_grad=sparse_grad)

    def take_along_dim(self, indices: Any, dim: int | None = None) -> Tensor:
        """``gather`` with broadcasting of ``self`` and ``indices`` outside ``dim``."""
        return autograd.ops.take_along_dim(self, indices, dim)

    def take(self, index: Any) -> Tensor:
        """``self.flatten()[index]``."""
        return autograd.ops.take(self, index)

    def scatter(self, dim: int, index: Any, src: Any = None, *, value: Any = None,
                reduce: str | None = None) -> Tensor:  # fmt: skip
        """A copy of ``self`` with ``out[i][index[i][j]] = src[i][j]`` (dim 1)."""
        return autograd.ops.scatter(self, dim, index, src, value=value, reduce=reduce)

    def scatter_add(self, dim: int, index: Any, src: Any) -> Tensor:
        """A copy of ``self`` with ``out[i][index[i][j]] += src[i][j]`` (dim 1), repeats summed."""
        return autograd.ops.scatter_add(self, dim, index, src)

    def index_select(self, dim: int, index: Any) -> Tensor:
        """The entries ``index`` (1-D) picks along ``dim``."""
        return autograd.ops.index_select(self, dim, index)

    def masked_fill(self, mask: Any, value: Any) -> Tensor:
        """``value`` where ``mask`` (broadcast), else ``self``."""
        return autograd.ops.masked_fill(self, mask, value)

    def masked_select(self, mask: Any) -> Tensor:
        """The entries of ``self`` where ``mask``, in C order."""
        return autograd.ops.masked_select(self, mask)

    def nonzero(self, *, as_tuple: bool = False) -> Any:
        """Indices of the nonzero entries: an int64 (n, ndim) tensor, or a tuple (``as_tuple``)."""
        return autograd.ops.nonzero(self, as_tuple=as_tuple)

    def argwhere(self) -> Tensor:
        """``nonzero(self)``: an int64 (n, ndim) tensor of nonzero positions."""
        return autograd.ops.argwhere(self)

    def where(self, condition: Any, other: Any) -> Tensor:
        """``torch.where(condition, self, other)``."""
        return autograd.ops.where(condition, self, other)
