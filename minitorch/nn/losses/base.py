"""``_Loss`` and ``_WeightedLoss``: what every loss shares (reduction, target checks, weights).

A loss is a Layer taking ``(input, target)``; the target is a constant, so ``backward`` returns
``None`` for it. Reductions follow PyTorch: ``'mean'`` of nothing is nan (without a warning).
"""

from __future__ import annotations

import warnings
from typing import Any

from minitorch.autograd import Tensor
from minitorch.backend import Array, get_backend
from minitorch.backend.dtypes import is_floating, promote_types
from minitorch.nn.layer import Layer


def legacy_reduction(size_average: bool | None, reduce: bool | None) -> str:
    """PyTorch's mapping of the deprecated ``size_average``/``reduce`` flags to ``reduction``."""
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    reduction = "none" if not reduce else "mean" if size_average else "sum"
    warnings.warn(
        f"size_average and reduce args will be deprecated, please use reduction='{reduction}' "
        "instead.",
        stacklevel=3,
    )
    return reduction


def nan_like(x: Array) -> Array:
    """A 0-d nan of ``x``'s dtype on ``x``'s device (PyTorch's mean over no elements)."""
    return get_backend(x).xp.full((), float("nan"), dtype=x.dtype)


def safe_divide(total: Array, count: Array) -> Array:
    """``total / count``, nan where ``count == 0``, without a divide-by-zero warning."""
    xp = get_backend(total).xp
    ok = count != 0
    return xp.where(ok, total / xp.where(ok, count, 1), total.dtype.type(float("nan")))


def broadcasts_to(shape: tuple, target: tuple) -> bool:
    """True when an array of ``shape`` broadcasts to exactly ``target``."""
    if len(shape) > len(target):
        return False
    return all(a in (1, b) for a, b in zip(reversed(shape), reversed(target), strict=False))


class _Loss(Layer):
    """Base of the losses: validates ``reduction`` and implements it, forward and backward."""

    _reductions: tuple[str, ...] = ("mean", "sum", "none")

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean") -> None:  # fmt: skip
        super().__init__()
        if size_average is not None or reduce is not None:
            reduction = legacy_reduction(size_average, reduce)
        if reduction not in self._reductions:
            raise ValueError(
                f"{type(self).__name__}: reduction must be one of {self._reductions}, "
                f"got {reduction!r}"
            )
        self.reduction = reduction

    # --- input checks -------------------------------------------------------------------------
    def _check_input(self, input: Array) -> None:  # noqa: A002
        if input.dtype.kind != "f":
            raise TypeError(
                f"{type(self).__name__}: input must be a floating tensor, got dtype {input.dtype}"
            )

    def _check_same_shape(self, input: Array, target: Array) -> None:  # noqa: A002
        if input.shape != target.shape:
            raise ValueError(
                f"{type(self).__name__}: input shape {tuple(input.shape)} and target shape "
                f"{tuple(target.shape)} differ; they must match (reshape or squeeze one of them)"
            )

    def _as_target(self, input: Array, target: Any) -> Array:  # noqa: A002
        """The target as an array on the input's device (Python numbers and lists allowed)."""
        if not hasattr(target, "shape"):
            target = get_backend(input).asarray(target)
        return target

    def _float_target(
        self, input: Array, target: Any, promote: bool = True  # noqa: A002
    ) -> Array:
        """A target of the input's shape. A wider floating target keeps its dtype, so the loss
        is computed in it (PyTorch's promotion: float16 input, float64 target -> float64),
        unless ``promote=False``; an integer, bool or Python-number target takes the input's
        dtype."""
        self._check_input(input)
        given = hasattr(target, "shape")
        target = self._as_target(input, target)
        self._check_same_shape(input, target)
        wider = promote and given and is_floating(target.dtype)
        dtype = promote_types(input.dtype, target.dtype) if wider else input.dtype
        return target.astype(dtype, copy=False)

    # --- reduction ----------------------------------------------------------------------------
    def _reduce(self, loss: Array) -> Array:
        if self.reduction == "mean":
            return loss.mean() if loss.size else nan_like(loss)
        if self.reduction == "sum":
            return loss.sum()
        return loss

    def _reduce_grad(self, dy: Array, count: int) -> Array:
        """dLoss/d(per-element loss) for the chosen reduction, broadcastable to the elements."""
        if self.reduction == "mean":
            return dy / max(count, 1)  # no element gets it when count is 0
        return dy

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}" if self.reduction != "mean" else ""


class _WeightedLoss(_Loss):
    """A loss with an optional ``weight`` Tensor, kept as a buffer so ``.to(device)`` moves it."""

    def __init__(self, weight: Any = None, size_average: bool | None = None,
                 reduce: bool | None = None, reduction: str = "mean") -> None:  # fmt: skip
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", self._as_buffer("weight", weight))

    def _as_buffer(self, name: str, value: Any) -> Tensor | None:
        if value is None:
            return None
        value = value if isinstance(value, Tensor) else Tensor(value)
        if value.dtype.kind not in "fiu":
            raise TypeError(
                f"{type(self).__name__}: {name} must be a numeric tensor, got dtype {value.dtype}"
            )
        return value

    def _buffer_for(self, name: str, input: Array) -> Array | None:  # noqa: A002
        """Buffer ``name``'s array in the input's dtype (no copy when it already matches)."""
        buf = self._buffers.get(name)
        return None if buf is None else buf.array.astype(input.dtype, copy=False)
