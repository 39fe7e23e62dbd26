"""``KLDivLoss``: Kullback-Leibler divergence of a target distribution from predicted log-probs."""

from __future__ import annotations

from typing import Any

from minitorch.backend import Array, get_backend
from minitorch.nn.losses.base import _Loss, nan_like


class KLDivLoss(_Loss):
    """``t (log t - input)`` per element, ``0`` where ``t == 0`` (or ``exp(t) (t - input)`` with
    ``log_target=True``); ``input`` holds log-probabilities.

    ``reduction='batchmean'`` divides the sum by the batch size (the true KL divergence per
    sample); ``'mean'`` divides by the number of elements, as PyTorch (which warns about it).

    Shape: input (*), target (*) same shape -> scalar, or (*) with ``reduction='none'``.
    """

    _reductions = ("mean", "batchmean", "sum", "none")

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean", log_target: bool = False) -> None:  # fmt: skip
        super().__init__(size_average, reduce, reduction)
        self.log_target = bool(log_target)

    def forward(self, input: Array, target: Any) -> Array:  # noqa: A002
        t = self._float_target(input, target)
        xp = get_backend(input).xp
        if self.log_target:
            p = xp.exp(t)
            loss = p * (t - input)
        else:  # xlogy(t, t): log is taken of 1 where t == 0, so 0 log 0 = 0 with no warning
            p = t
            loss = t * xp.log(xp.where(t == 0, 1, t))
            loss -= t * input
        self.save_for_backward(p)
        if self.reduction == "batchmean":
            batch = input.shape[0] if input.ndim else 1
            return loss.sum() / batch if batch else nan_like(loss)
        return self._reduce(loss)

    def backward(self, dy: Array) -> tuple:
        (p,) = self.saved
        if self.reduction == "batchmean":
            scale = dy / max(p.shape[0] if p.ndim else 1, 1)
        else:
            scale = self._reduce_grad(dy, p.size)
        return -(p * scale), None

    def extra_repr(self) -> str:
        return ", ".join(filter(None, [super().extra_repr(), f"log_target={self.log_target}"]))
