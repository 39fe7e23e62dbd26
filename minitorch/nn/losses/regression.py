"""Regression losses on ``input - target``: MSE, L1, Huber and smooth L1.

Each caches the difference ``diff = input - target`` and nothing else.
"""

from __future__ import annotations

from typing import Any

from minitorch.autograd.ops.activation import sign_nan_zero
from minitorch.backend import Array, get_backend
from minitorch.nn.losses.base import _Loss


class MSELoss(_Loss):
    """``mean((input - target)^2)`` (or sum / per element).

    Shape: input (*), target (*) same shape -> scalar, or (*) with ``reduction='none'``.
    """

    def forward(self, input: Array, target: Any) -> Array:  # noqa: A002
        diff = input - self._float_target(input, target)
        self.save_for_backward(diff)
        return self._reduce(diff * diff)

    def backward(self, dy: Array) -> tuple:
        (diff,) = self.saved
        return self._reduce_grad(dy, diff.size) * 2 * diff, None


class L1Loss(_Loss):
    """``mean(|input - target|)``; the gradient is ``sign(input - target)`` (0 where equal or
    NaN, as PyTorch's ``sgn``).

    Shape: input (*), target (*) same shape -> scalar, or (*) with ``reduction='none'``.
    """

    def forward(self, input: Array, target: Any) -> Array:  # noqa: A002
        diff = input - self._float_target(input, target)
        self.save_for_backward(diff)
        return self._reduce(get_backend(diff).xp.abs(diff))

    def backward(self, dy: Array) -> tuple:
        (diff,) = self.saved
        return self._reduce_grad(dy, diff.size) * sign_nan_zero(diff), None


class HuberLoss(_Loss):
    """``0.5 d^2`` where ``|d| < delta``, else ``delta (|d| - 0.5 delta)``, ``d = input - target``.

    The gradient is ``clip(d, -delta, delta)``.

    Shape: input (*), target (*) same shape -> scalar, or (*) with ``reduction='none'``.
    """

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction=reduction)
        if not delta > 0:
            raise ValueError(f"HuberLoss: delta must be positive, got {delta}")
        self.delta = float(delta)

    def forward(self, input: Array, target: Any) -> Array:  # noqa: A002
        # PyTorch's huber_loss computes in the input's dtype, unlike the other regression losses
        diff = input - self._float_target(input, target, promote=False)
        self.save_for_backward(diff)
        xp, delta = get_backend(diff).xp, self.delta
        z = xp.abs(diff)
        return self._reduce(xp.where(z < delta, 0.5 * diff * diff, delta * (z - 0.5 * delta)))

    def backward(self, dy: Array) -> tuple:
        (diff,) = self.saved
        dx = get_backend(diff).xp.clip(diff, -self.delta, self.delta)
        dx *= self._reduce_grad(dy, diff.size)
        return dx, None

    def extra_repr(self) -> str:
        return ", ".join(filter(None, [super().extra_repr(), f"delta={self.delta}"]))


class SmoothL1Loss(_Loss):
    """``0.5 d^2 / beta`` where ``|d| < beta``, else ``|d| - 0.5 beta`` (L1 when ``beta == 0``).

    The gradient is ``clip(d / beta, -1, 1)`` (``sign(d)`` when ``beta == 0``). Huber loss with
    ``delta = beta``, divided by ``beta``.

    Shape: input (*), target (*) same shape -> scalar, or (*) with ``reduction='none'``.
    """

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean", beta: float = 1.0) -> None:  # fmt: skip
        super().__init__(size_average, reduce, reduction)
        if beta < 0:
            raise ValueError(f"SmoothL1Loss: beta must be >= 0, got {beta}")
        self.beta = float(beta)

    def forward(self, input: Array, target: Any) -> Array:  # noqa: A002
        diff = input - self._float_target(input, target)
        self.save_for_backward(diff)
        xp, beta = get_backend(diff).xp, self.beta
        z = xp.abs(diff)
        if beta == 0:
            return self._reduce(z)
        return self._reduce(xp.where(z < beta, (0.5 / beta) * diff * diff, z - 0.5 * beta))

    def backward(self, dy: Array) -> tuple:
        (diff,) = self.saved
        xp = get_backend(diff).xp
        dx = sign_nan_zero(diff) if self.beta == 0 else xp.clip(diff / self.beta, -1, 1)
        dx *= self._reduce_grad(dy, diff.size)
        return dx, None

    def extra_repr(self) -> str:
        return ", ".join(filter(None, [super().extra_repr(), f"beta={self.beta}"]))
