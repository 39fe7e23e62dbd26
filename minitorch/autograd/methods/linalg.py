"""Matrix products as Tensor methods: ``t.mm(u)``, ``t.bmm(u)``, ``t.addmm(a, b)`` ..."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import minitorch.autograd as autograd

if TYPE_CHECKING:
    from minitorch.autograd.tensor import Tensor


class LinalgMethods:
    """mm, bmm, mv, dot, outer, inner and the fused ``add*`` products."""

    __slots__ = ()

    def mm(self, mat2: Any) -> Tensor:
        """Matrix product."""
        return autograd.ops.mm(self, mat2)

    def bmm(self, mat2: Any) -> Tensor:
        """Batched matrix product."""
        return autograd.ops.bmm(self, mat2)

    def mv(self, vec: Any) -> Tensor:
        """Matrix-vector product."""
        return autograd.ops.mv(self, vec)

    def dot(self, tensor: Any) -> Tensor:
        """Inner product of two 1-D tensors of one length."""
        return autograd.ops.dot(self, tensor)

    def vdot(self, other: Any) -> Tensor:
        """``dot`` with the first argument conjugated (the same for real tensors)."""
        return autograd.ops.vdot(self, other)

    def outer(self, vec2: Any) -> Tensor:
        """Outer product."""
        return autograd.ops.outer(self, vec2)

    def ger(self, vec2: Any) -> Tensor:
        """Outer product."""
        return autograd.ops.ger(self, vec2)

    def inner(self, other: Any) -> Tensor:
        """Sum over the last dims (a product with a 0-d tensor is elementwise)."""
        return autograd.ops.inner(self, other)

    def addmm(self, mat1: Any, mat2: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """``beta * self + alpha * (mat1 @ mat2)``."""
        return autograd.ops.addmm(self, mat1, mat2, beta=beta, alpha=alpha)

    def addmv(self, mat: Any, vec: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """``beta * self + alpha * (mat @ vec)``."""
        return autograd.ops.addmv(self, mat, vec, beta=beta, alpha=alpha)

    def addr(self, vec1: Any, vec2: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """``beta * self + alpha * outer(vec1, vec2)``."""
        return autograd.ops.addr(self, vec1, vec2, beta=beta, alpha=alpha)

    def baddbmm(self, batch1: Any, batch2: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """``beta * self + alpha * (batch1 @ batch2)``."""
        return autograd.ops.baddbmm(self, batch1, batch2, beta=beta, alpha=alpha)

    def addbmm(self, batch1: Any, batch2: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """``beta * self + alpha * sum_b(batch1[b] @ batch2[b])``."""
        return autograd.ops.addbmm(self, batch1, batch2, beta=beta, alpha=alpha)
