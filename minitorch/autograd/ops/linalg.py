"""Matrix products with PyTorch's shape rules: mm, bmm, mv, dot, vdot, inner, outer, tensordot,
and the fused forms addmm, addmv, addr, baddbmm, addbmm.

Each is ``matmul`` (or ``*``) after its shape check, so the gradients are MatMul's; the fused
forms compute ``beta * input + alpha * product``. With ``beta=0`` input is not read (nan/inf in
it do not propagate, as in PyTorch) and gets no gradient (PyTorch gives it zeros).
"""

from __future__ import annotations

import math
from typing import Any, Sequence

from minitorch.autograd.ops.arithmetic import Add, MatMul, Mul
from minitorch.autograd.ops.reduction import Sum
from minitorch.autograd.ops.shape import Permute, Reshape
from minitorch.autograd.tensor import Tensor


def _need(name: str, **tensors: Any) -> None:
    """Check each named tensor's number of dims: ``_need("mm", input=(x, 2), mat2=(y, 2))``."""
    for arg, (t, ndim) in tensors.items():
        if not isinstance(t, Tensor):
            raise TypeError(f"{name}: {arg} must be a Tensor, got {type(t).__name__}")
        if t.ndim != ndim:
            raise ValueError(f"{name}: {arg} must be {ndim}-D, got shape {tuple(t.shape)}")


def _scaled(t: Tensor, factor: Any) -> Tensor:
    return t if factor == 1 else Mul()(t, factor)


def _fused(name: str, input: Tensor, product: Tensor, beta: Any, alpha: Any) -> Tensor:  # noqa: A002
    """``beta * input + alpha * product``, input broadcast to the product's shape."""
    shape, target = tuple(input.shape), tuple(product.shape)
    if len(shape) > len(target) or any(s not in (1, t) for s, t in zip(shape[::-1], target[::-1])):
        raise ValueError(
            f"{name}: input of shape {shape} does not broadcast to the product's shape {target}"
        )
    if beta == 0:
        return _scaled(product, alpha)
    return Add()(_scaled(input, beta), _scaled(product, alpha))


def mm(input: Tensor, mat2: Tensor) -> Tensor:  # noqa: A002
    """Matrix product. Shape: (n, k) @ (k, m) -> (n, m)."""
    _need("mm", input=(input, 2), mat2=(mat2, 2))
    return MatMul()(input, mat2)


def bmm(input: Tensor, mat2: Tensor) -> Tensor:  # noqa: A002
    """Batched matrix product. Shape: (b, n, k) @ (b, k, m) -> (b, n, m)."""
    _need("bmm", input=(input, 3), mat2=(mat2, 3))
    if input.shape[0] != mat2.shape[0]:
        raise ValueError(f"bmm: batch sizes differ: {tuple(input.shape)} and {tuple(mat2.shape)}")
    return MatMul()(input, mat2)


def mv(input: Tensor, vec: Tensor) -> Tensor:  # noqa: A002
    """Matrix-vector product. Shape: (n, k) @ (k,) -> (n,)."""
    _need("mv", input=(input, 2), vec=(vec, 1))
    return MatMul()(input, vec)


def dot(input: Tensor, tensor: Tensor) -> Tensor:  # noqa: A002
    """Inner product of two 1-D tensors of one length. Shape: (n,), (n,) -> ()."""
    _need("dot", input=(input, 1), tensor=(tensor, 1))
    return MatMul()(input, tensor)


def vdot(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """``dot`` with the first argument conjugated (the same for real tensors)."""
    _need("vdot", input=(input, 1), other=(other, 1))
    return MatMul()(input, other)


def outer(input: Tensor, vec2: Tensor) -> Tensor:  # noqa: A002
    """Outer product. Shape: (n,), (m,) -> (n, m)."""
    _need("outer", input=(input, 1), vec2=(vec2, 1))
    return Mul()(Reshape((input.shape[0], 1))(input), Reshape((1, vec2.shape[0]))(vec2))


ger = outer


def tensordot(a: Tensor, b: Tensor, dims: Any = 2) -> Tensor:
    """Sum over the last ``dims`` dims of a and the first of b (or the listed pairs of dims).

    Shape: a's free dims followed by b's.
    """
    if isinstance(dims, int):
        da, db = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    else:
        da, db = ([d] if isinstance(d, int) else list(d) for d in dims)
    da, db = [d % max(a.ndim, 1) for d in da], [d % max(b.ndim, 1) for d in db]
    if [a.shape[i] for i in da] != [b.shape[i] for i in db]:
        raise ValueError(
            f"tensordot: contracted dims differ: {[a.shape[i] for i in da]} vs "
            f"{[b.shape[i] for i in db]}"
        )
    free_a = [d for d in range(a.ndim) if d not in da]
    free_b = [d for d in range(b.ndim) if d not in db]
    k = math.prod(a.shape[i] for i in da)
    a2 = Reshape((-1, k) if k else (math.prod(a.shape[i] for i in free_a), 0))(
        Permute(tuple(free_a + da))(a)
    )
    b2 = Reshape((k, -1) if k else (0, math.prod(b.shape[i] for i in free_b)))(
        Permute(tuple(db + free_b))(b)
    )
    shape = tuple(a.shape[i] for i in free_a) + tuple(b.shape[i] for i in free_b)
    return Reshape(shape)(MatMul()(a2, b2))


def inner(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """Sum over the last dims (a product with a 0-d tensor is elementwise).

    Shape: (*a, k), (*b, k) -> (*a, *b).
    """
    if input.ndim == 0 or other.ndim == 0:
        return Mul()(input, other)
    return tensordot(input, other, ([-1], [-1]))


def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta: Any = 1,  # noqa: A002
          alpha: Any = 1) -> Tensor:  # fmt: skip
    """``beta * input + alpha * (mat1 @ mat2)``. Shape: (n, m) (or broadcastable)."""
    return _fused("addmm", input, mm(mat1, mat2), beta, alpha)


def addmv(input: Tensor, mat: Tensor, vec: Tensor, *, beta: Any = 1,  # noqa: A002
          alpha: Any = 1) -> Tensor:  # fmt: skip
    """``beta * input + alpha * (mat @ vec)``. Shape: (n,)."""
    return _fused("addmv", input, mv(mat, vec), beta, alpha)


def addr(input: Tensor, vec1: Tensor, vec2: Tensor, *, beta: Any = 1,  # noqa: A002
         alpha: Any = 1) -> Tensor:  # fmt: skip
    """``beta * input + alpha * outer(vec1, vec2)``. Shape: (n, m)."""
    return _fused("addr", input, outer(vec1, vec2), beta, alpha)


def baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: Any = 1,  # noqa: A002
            alpha: Any = 1) -> Tensor:  # fmt: skip
    """``beta * input + alpha * (batch1 @ batch2)``. Shape: (b, n, m)."""
    return _fused("baddbmm", input, bmm(batch1, batch2), beta, alpha)


def addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: Any = 1,  # noqa: A002
           alpha: Any = 1) -> Tensor:  # fmt: skip
    """``beta * input + alpha * sum_b(batch1[b] @ batch2[b])``. Shape: (n, m)."""
    return _fused("addbmm", input, Sum(0)(bmm(batch1, batch2)), beta, alpha)


def chain_matmul(*matrices: Tensor) -> Tensor:
    """``m1 @ m2 @ ...`` (PyTorch's deprecated name for ``linalg.multi_dot``)."""
    return multi_dot(matrices)


def multi_dot(tensors: Sequence[Tensor]) -> Tensor:
    """The product of a chain of matrices (the first and last may be 1-D), left to right."""
    if len(tensors) < 2:
        raise ValueError("multi_dot expects at least two tensors")
    out = tensors[0]
    for t in tensors[1:]:
        out = MatMul()(out, t)
    return out
