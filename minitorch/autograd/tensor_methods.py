"""The differentiable methods of ``Tensor``: operators, reductions, reshapes, activations.

Each method is one call into ``minitorch.autograd.ops`` (where the Functions live), so this mixin
holds no maths. ``autograd.ops`` is looked up when a method runs: ``ops`` imports ``Tensor``,
which is built from this mixin, so it cannot be imported here at the top.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import minitorch.autograd as autograd
from minitorch.autograd.methods import (
    IndexingMethods,
    LinalgMethods,
    LogicalMethods,
    PointwiseMethods,
    ReductionMethods,
    ShapeMethods,
)

if TYPE_CHECKING:
    from minitorch.autograd.tensor import Tensor


class TensorMethods(PointwiseMethods, LogicalMethods, ReductionMethods, IndexingMethods,
                    ShapeMethods, LinalgMethods):  # fmt: skip
    """Mixin of ``Tensor``'s differentiable methods; see ``Tensor`` for the data. The core ones
    (operators, sum/mean/max, reshapes, activations) are here, the families in the mixins of
    ``minitorch.autograd.methods``."""

    __slots__ = ()

    # --- differentiable operators (each a Function in minitorch.autograd.ops) -----------------
    def __add__(self, other: Any) -> Tensor:
        return autograd.ops.add(self, other)

    def __radd__(self, other: Any) -> Tensor:
        return autograd.ops.add(other, self)

    def __sub__(self, other: Any) -> Tensor:
        return autograd.ops.sub(self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return autograd.ops.sub(other, self)

    def __mul__(self, other: Any) -> Tensor:
        return autograd.ops.mul(self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return autograd.ops.mul(other, self)

    def __truediv__(self, other: Any) -> Tensor:
        return autograd.ops.div(self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return autograd.ops.div(other, self)

    def __pow__(self, other: Any) -> Tensor:
        return autograd.ops.pow(self, other)

    def __rpow__(self, other: Any) -> Tensor:
        return autograd.ops.pow(other, self)

    def __neg__(self) -> Tensor:
        return autograd.ops.neg(self)

    def __pos__(self) -> Tensor:
        return self

    def __matmul__(self, other: Any) -> Tensor:
        return autograd.ops.matmul(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return autograd.ops.matmul(other, self)

    def __abs__(self) -> Tensor:
        return autograd.ops.abs(self)

    def __getitem__(self, index: Any) -> Tensor:
        return autograd.ops.getitem(self, index)

    # comparisons give bool tensors and carry no gradient
    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return autograd.ops.compare(self, other, "__eq__")

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return autograd.ops.compare(self, other, "__ne__")

    def __lt__(self, other: Any) -> Tensor:
        return autograd.ops.compare(self, other, "__lt__")

    def __le__(self, other: Any) -> Tensor:
        return autograd.ops.compare(self, other, "__le__")

    def __gt__(self, other: Any) -> Tensor:
        return autograd.ops.compare(self, other, "__gt__")

    def __ge__(self, other: Any) -> Tensor:
        return autograd.ops.compare(self, other, "__ge__")

    def eq(self, other: Any) -> Tensor:
        """``self == other`` elementwise (bool)."""
        return self == other

    def ne(self, other: Any) -> Tensor:
        """``self != other`` elementwise (bool)."""
        return self != other

    def lt(self, other: Any) -> Tensor:
        """``self < other`` elementwise (bool)."""
        return self < other

    def le(self, other: Any) -> Tensor:
        """``self <= other`` elementwise (bool)."""
        return self <= other

    def gt(self, other: Any) -> Tensor:
        """``self > other`` elementwise (bool)."""
        return self > other

    def ge(self, other: Any) -> Tensor:
        """``self >= other`` elementwise (bool)."""
        return self >= other

    def add(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """``self + alpha * other`` (broadcasting)."""
        return autograd.ops.add(self, other, alpha=alpha)

    def sub(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """``self - alpha * other`` (broadcasting)."""
        return autograd.ops.sub(self, other, alpha=alpha)

    def mul(self, other: Any) -> Tensor:
        """``self * other`` (broadcasting)."""
        return autograd.ops.mul(self, other)

    def div(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        """True division, or rounded toward zero ("trunc") or down ("floor")."""
        return autograd.ops.div(self, other, rounding_mode=rounding_mode)

    def pow(self, exponent: Any) -> Tensor:
        """``self ** exponent``; either may be a number."""
        return autograd.ops.pow(self, exponent)

    def neg(self) -> Tensor:
        """``-self``."""
        return autograd.ops.neg(self)

    def matmul(self, other: Any) -> Tensor:
        """Matrix product with NumPy/PyTorch's rules for 1-D and batched operands."""
        return autograd.ops.matmul(self, other)

    def sum(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        """Sum of all elements, or over ``dim`` (an int or tuple); bool/int sums are int64."""
        return autograd.ops.sum(self, dim, keepdim, dtype=dtype)

    def mean(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        """Mean of all elements, or over ``dim``; floating input (or ``dtype=``)."""
        return autograd.ops.mean(self, dim, keepdim, dtype=dtype)

    def var(self, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,
            correction: Any = None) -> Tensor:  # fmt: skip
        """Variance over ``dim`` (all when None), dividing by n - correction (default 1)."""
        return autograd.ops.var(self, dim, unbiased, keepdim, correction=correction)

    def std(self, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,
            correction: Any = None) -> Tensor:  # fmt: skip
        """Standard deviation over ``dim`` (all when None), with ``var``'s correction."""
        return autograd.ops.std(self, dim, unbiased, keepdim, correction=correction)

    def max(self, dim: Any = None, keepdim: bool = False) -> Any:
        """``max(self)``: the largest value; ``max(self, dim)``: (values, indices)."""
        return autograd.ops.max(self, dim, keepdim)

    def min(self, dim: Any = None, keepdim: bool = False) -> Any:
        """``min(self)``: the smallest value; ``min(self, dim)``: (values, indices)."""
        return autograd.ops.min(self, dim, keepdim)

    def amax(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """Largest value over ``dim`` (an int or tuple; all when None); ties share the gradient."""
        return autograd.ops.amax(self, dim, keepdim)

    def amin(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """Smallest value over ``dim`` (an int or tuple; all when None)."""
        return autograd.ops.amin(self, dim, keepdim)

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """int64 index of the (first) largest element, of all or along ``dim``."""
        return autograd.ops.argmax(self, dim, keepdim)

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """int64 index of the (first) smallest element, of all or along ``dim``."""
        return autograd.ops.argmin(self, dim, keepdim)

    def reshape(self, *shape: Any) -> Tensor:
        """The same elements in ``shape`` (one entry may be -1)."""
        return autograd.ops.reshape(self, *shape)

    def view(self, *shape: Any) -> Tensor:
        """The same elements in ``shape`` (one entry may be -1), as ``reshape``."""
        return autograd.ops.reshape(self, *shape)

    def view_as(self, other: Tensor) -> Tensor:
        """The same elements in ``other``'s shape."""
        return autograd.ops.reshape(self, other.shape)

    def reshape_as(self, other: Tensor) -> Tensor:
        """The same elements in ``other``'s shape."""
        return autograd.ops.reshape(self, other.shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Dims ``start_dim`` .. ``end_dim`` merged into one (a 0-d tensor becomes (1,))."""
        return autograd.ops.flatten(self, start_dim, end_dim)

    def squeeze(self, dim: Any = None) -> Tensor:
        """Size-1 dims removed: all of them, or those among ``dim`` (an int or a tuple)."""
        return autograd.ops.squeeze(self, dim)

    def unsqueeze(self, dim: int) -> Tensor:
        """A size-1 dim inserted at ``dim``."""
        return autograd.ops.unsqueeze(self, dim)

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        """Dims ``dim0`` and ``dim1`` exchanged."""
        return autograd.ops.transpose(self, dim0, dim1)

    def permute(self, *dims: Any) -> Tensor:
        """Dims reordered as ``dims``."""
        return autograd.ops.permute(self, *dims)

    def expand(self, *shape: Any) -> Tensor:
        """A broadcast view of ``shape`` (-1 keeps a dim)."""
        return autograd.ops.expand(self, *shape)

    @property
    def T(self) -> Tensor:  # noqa: N802
        """All dims reversed (the transpose of a matrix)."""
        return autograd.ops.permute(self, *reversed(range(self.ndim)))

    @property
    def mT(self) -> Tensor:  # noqa: N802
        """The last two dims exchanged (a batch of matrices transposed)."""
        return autograd.ops.transpose(self, -2, -1)

    def exp(self) -> Tensor:
        """Elementwise ``e ** self``."""
        return autograd.ops.exp(self)

    def log(self) -> Tensor:
        """Elementwise natural logarithm."""
        return autograd.ops.log(self)

    def sqrt(self) -> Tensor:
        """Elementwise square root."""
        return autograd.ops.sqrt(self)

    def abs(self) -> Tensor:
        """Elementwise absolute value."""
        return autograd.ops.abs(self)

    def clip(self, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
        """``self`` clipped to [min, max]; the bounds may be numbers or broadcasting tensors."""
        return autograd.ops.clamp(self, min, max)

    clamp = clip

    def relu(self) -> Tensor:
        """Elementwise ``max(self, 0)``."""
        return autograd.ops.relu(self)

    def sigmoid(self) -> Tensor:
        """Elementwise ``1 / (1 + exp(-self))``."""
        return autograd.ops.sigmoid(self)

    def tanh(self) -> Tensor:
        """Elementwise hyperbolic tangent."""
        return autograd.ops.tanh(self)

    def softmax(self, dim: int, dtype: Any = None) -> Tensor:
        """``exp(self) / sum(exp(self), dim)``; ``dtype`` converts the input first."""
        return autograd.ops.softmax(self, dim, dtype)

    def log_softmax(self, dim: int, dtype: Any = None) -> Tensor:
        """``log(softmax(self, dim))`` computed stably; ``dtype`` converts the input first."""
        return autograd.ops.log_softmax(self, dim, dtype)
