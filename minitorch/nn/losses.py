"""Losses: Layers taking (prediction, target); the target needs no gradient."""

from __future__ import annotations

from minitorch.backend import Array
from minitorch.nn.layer import Layer

_REDUCTIONS = ("mean", "sum", "none")


class _Loss(Layer):
    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        if reduction not in _REDUCTIONS:
            raise ValueError(
                f"{type(self).__name__}: reduction must be one of {_REDUCTIONS}, got {reduction!r}"
            )
        self.reduction = reduction

    def _check_same_shape(self, input: Array, target: Array) -> None:  # noqa: A002
        if input.shape != target.shape:
            raise ValueError(
                f"{type(self).__name__}: input shape {tuple(input.shape)} and target shape "
                f"{tuple(target.shape)} differ; they must match (reshape or squeeze one of them)"
            )

    def _reduce(self, loss: Array) -> Array:
        if self.reduction == "mean":
            return loss.mean()
        if self.reduction == "sum":
            return loss.sum()
        return loss

    def _reduce_grad(self, dy: Array, count: int) -> Array:
        """dLoss/d(per-element loss) for the chosen reduction, broadcastable to the elements."""
        if self.reduction == "mean":
            return dy / count
        return dy

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}" if self.reduction != "mean" else ""


class MSELoss(_Loss):
    """``mean((input - target)^2)`` (or sum / per element).

    Shape: input (*), target (*) same shape -> scalar, or (*) with ``reduction='none'``.
    """

    def forward(self, input: Array, target: Array) -> Array:  # noqa: A002
        self._check_same_shape(input, target)
        diff = input - target
        self.save_for_backward(diff)
        return self._reduce(diff * diff)

    def backward(self, dy: Array) -> tuple:
        (diff,) = self.saved
        dx = self._reduce_grad(dy, diff.size) * 2 * diff
        return dx.astype(diff.dtype, copy=False), None
