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
        return autograd.ops.nansum(self, dim, keepdim, dtype=dtype)

    def nanmean(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        return autograd.ops.nanmean(self, dim, keepdim, dtype=dtype)

    def prod(self, dim: int | None = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        return autograd.ops.prod(self, dim, keepdim, dtype=dtype)

    def cumsum(self, dim: int, *, dtype: Any = None) -> Tensor:
        return autograd.ops.cumsum(self, dim, dtype=dtype)

    def cumprod(self, dim: int, *, dtype: Any = None) -> Tensor:
        return autograd.ops.cumprod(self, dim, dtype=dtype)

    def logsumexp(self, dim: Any, keepdim: bool = False) -> Tensor:
        return autograd.ops.logsumexp(self, dim, keepdim)

    def norm(self, p: Any = "fro", dim: Any = None, keepdim: bool = False,
             dtype: Any = None) -> Tensor:  # fmt: skip
        return autograd.ops.norm(self, p, dim, keepdim, dtype)

    def dist(self, other: Any, p: float = 2) -> Tensor:
        return autograd.ops.dist(self, other, p)

    def any(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return autograd.ops.any(self, dim, keepdim)

    def all(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return autograd.ops.all(self, dim, keepdim)

    def count_nonzero(self, dim: Any = None) -> Tensor:
        return autograd.ops.count_nonzero(self, dim)

    def median(self, dim: int | None = None, keepdim: bool = False) -> Any:
        return autograd.ops.median(self, dim, keepdim)

    def kthvalue(self, k: int, dim: int = -1, keepdim: bool = False) -> Any:
        return autograd.ops.kthvalue(self, k, dim, keepdim)

    def sort(self, dim: int = -1, descending: bool = False, *, stable: bool = False) -> Any:
        return autograd.ops.sort(self, dim, descending, stable=stable)

    def argsort(self, dim: int = -1, descending: bool = False, *, stable: bool = False) -> Tensor:
        return autograd.ops.argsort(self, dim, descending, stable=stable)

    def msort(self) -> Tensor:
        return autograd.ops.msort(self)

    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:  # noqa: A002
        return autograd.ops.topk(self, k, dim, largest, sorted)
