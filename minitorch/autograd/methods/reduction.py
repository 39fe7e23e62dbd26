"""Reductions and scans as Tensor methods: ``t.prod(1)``, ``t.norm()``, ``t.cumsum(0)`` ..."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import minitorch.autograd as autograd

if TYPE_CHECKING:
    from minitorch.autograd.tensor import Tensor


class ReductionMethods:
    """Reductions beyond sum/mean/max (which ``TensorMethods`` holds), scans and order stats."""

    __slots__ = ()

    def nansum(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        """``sum`` with nan counted as 0 (and getting no gradient)."""
        return autograd.ops.nansum(self, dim, keepdim, dtype=dtype)

    def nanmean(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        """Mean of the non-nan elements (nan where there are none)."""
        return autograd.ops.nanmean(self, dim, keepdim, dtype=dtype)

    def prod(self, dim: int | None = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        """Product of all elements, or along the int ``dim`` (dropped unless ``keepdim``)."""
        return autograd.ops.prod(self, dim, keepdim, dtype=dtype)

    def cumsum(self, dim: int, *, dtype: Any = None) -> Tensor:
        """Running sum along ``dim``."""
        return autograd.ops.cumsum(self, dim, dtype=dtype)

    def cumprod(self, dim: int, *, dtype: Any = None) -> Tensor:
        """Running product along ``dim``."""
        return autograd.ops.cumprod(self, dim, dtype=dtype)

    def logsumexp(self, dim: Any, keepdim: bool = False) -> Tensor:
        """``log(sum(exp(self), dim))`` computed stably."""
        return autograd.ops.logsumexp(self, dim, keepdim)

    def norm(self, p: Any = "fro", dim: Any = None, keepdim: bool = False,
             dtype: Any = None) -> Tensor:  # fmt: skip
        """``torch.norm``: the p-norm of all elements, or over ``dim``."""
        return autograd.ops.norm(self, p, dim, keepdim, dtype)

    def dist(self, other: Any, p: float = 2) -> Tensor:
        """The p-norm of ``self - other`` (broadcast)."""
        return autograd.ops.dist(self, other, p)

    def any(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """True where some element (along ``dim``, an int or tuple; all when None) is nonzero."""
        return autograd.ops.any(self, dim, keepdim)

    def all(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """True where every element (along ``dim``; all when None) is nonzero."""
        return autograd.ops.all(self, dim, keepdim)

    def count_nonzero(self, dim: Any = None) -> Tensor:
        """Number of nonzero elements (along ``dim``), int64."""
        return autograd.ops.count_nonzero(self, dim)

    def median(self, dim: int | None = None, keepdim: bool = False) -> Any:
        """The lower median of all elements, or (values, indices) along ``dim``."""
        return autograd.ops.median(self, dim, keepdim)

    def kthvalue(self, k: int, dim: int = -1, keepdim: bool = False) -> Any:
        """The k-th smallest entry (1-based) along ``dim`` and its index."""
        return autograd.ops.kthvalue(self, k, dim, keepdim)

    def sort(self, dim: int = -1, descending: bool = False, *, stable: bool = False) -> Any:
        """(values, indices) sorted along ``dim``."""
        return autograd.ops.sort(self, dim, descending, stable=stable)

    def argsort(self, dim: int = -1, descending: bool = False, *, stable: bool = False) -> Tensor:
        """The int64 indices that sort ``self`` along ``dim`` (stable, see ``sort``)."""
        return autograd.ops.argsort(self, dim, descending, stable=stable)

    def msort(self) -> Tensor:
        """``sort(self, dim=0).values``."""
        return autograd.ops.msort(self)

    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:  # noqa: A002
        """The ``k`` largest (or smallest) entries along ``dim`` and their indices."""
        return autograd.ops.topk(self, k, dim, largest, sorted)
