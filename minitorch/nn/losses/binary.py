"""Binary (multi-label) losses: ``BCELoss`` on probabilities, ``BCEWithLogitsLoss`` on logits."""

from __future__ import annotations

from typing import Any

from minitorch.backend import Array, get_backend
from minitorch.nn.losses.base import _WeightedLoss, broadcasts_to

# PyTorch's floor on x (1 - x) in BCE's gradient: 1e-12 as a float32 (so also in float64)
_GRAD_EPS = 9.999999960041972e-13


class _BinaryLoss(_WeightedLoss):
    def _broadcast_buffer(self, name: str, x: Array) -> Array | None:
        """Buffer ``name`` in ``x``'s dtype, checked to broadcast to ``x``'s shape."""
        b = self._buffer_for(name, x)
        if b is not None and not broadcasts_to(b.shape, x.shape):
            raise ValueError(
                f"{type(self).__name__}: {name} of shape {tuple(b.shape)} does not broadcast to "
                f"the input's shape {tuple(x.shape)}"
            )
        return b

    def _check_range(self, name: str, a: Array, hint: str = "", nan_ok: bool = True) -> None:
        outside = (a < 0) | (a > 1) if nan_ok else ~((a >= 0) & (a <= 1))
        if a.size and bool(outside.any()):
            raise ValueError(
                f"{type(self).__name__}: all elements of {name} must be in [0, 1], got values in "
                f"[{float(a.min())}, {float(a.max())}]{hint}"
            )


class BCELoss(_BinaryLoss):
    """``-weight * (t log(x) + (1 - t) log(1 - x))`` with each log clamped at -100 (PyTorch's
    choice), so probabilities of exactly 0 or 1 give finite losses; the gradient is
    ``(x - t) / max(x (1 - x), 1e-12)``, as PyTorch.

    Shape: input (*) probabilities, target (*) same shape -> scalar, or (*) with
    ``reduction='none'``; ``weight`` broadcasts to the input.
    """

    def forward(self, input: Array, target: Any) -> Array:  # noqa: A002
        x = input
        if hasattr(target, "dtype") and target.dtype != x.dtype:  # as PyTorch: no promotion
            raise TypeError(
                f"BCELoss: target dtype {target.dtype} differs from input dtype {x.dtype}; "
                "convert the target with .to(input.dtype)"
            )
        t = self._float_target(x, target)
        self._check_range("input", x, "; for logits use BCEWithLogitsLoss", nan_ok=False)
        self._check_range("target", t)
        w = self._broadcast_buffer("weight", x)
        xp = get_backend(x).xp
        # max(log(x), -100) and max(log1p(-x), -100) without evaluating log(0) (a warning)
        zero, one = x == 0, x == 1
        log_x = xp.where(zero, -100, xp.maximum(xp.log(xp.where(zero, 1, x)), -100))
        log_1mx = xp.where(one, -100, xp.maximum(xp.log1p(-xp.where(one, 0, x)), -100))
        loss = (t - 1) * log_1mx
        loss -= t * log_x
        if w is not None:
            loss = loss * w
        self.save_for_backward(x, t, w)
        return self._reduce(loss)

    def backward(self, dy: Array) -> tuple:
        x, t, w = self.saved
        dx = (x - t) / get_backend(x).xp.maximum((1 - x) * x, _GRAD_EPS)
        dx *= self._reduce_grad(dy, x.size)
        if w is not None:
            dx *= w
        return dx, None


class BCEWithLogitsLoss(_BinaryLoss):
    """Sigmoid + BCE in one stable step: ``weight * ((1 - t) x - l log sigmoid(x))`` with
    ``l = 1 + (pos_weight - 1) t``, and ``log sigmoid(x) = min(x, 0) - log1p(exp(-|x|))``
    (never overflows). The gradient is ``weight * ((1 - t) - l sigmoid(-x))``.

    ``pos_weight`` weighs the positive term per class: shape (C,) broadcasts over the last
    (class) dimension of an (N, C) input; use (C, 1, 1) for (N, C, H, W).

    Shape: input (*) logits, target (*) same shape -> scalar, or (*) with ``reduction='none'``.
    """

    def __init__(self, weight: Any = None, size_average: bool | None = None,
                 reduce: bool | None = None, reduction: str = "mean",
                 pos_weight: Any = None) -> None:  # fmt: skip
        super().__init__(weight, size_average, reduce, reduction)
        self.register_buffer("pos_weight", self._as_buffer("pos_weight", pos_weight))

    def forward(self, input: Array, target: Any) -> Array:  # noqa: A002
        x = input
        t = self._float_target(x, target)
        w = self._broadcast_buffer("weight", x)
        pw = self._broadcast_buffer("pos_weight", x)
        xp = get_backend(x).xp
        e = xp.exp(-xp.abs(x))  # in (0, 1]: no overflow for any x
        log_sig = xp.minimum(x, 0) - xp.log1p(e)
        l_w = None if pw is None else 1 + (pw - 1) * t
        loss = (1 - t) * x
        loss -= log_sig if l_w is None else l_w * log_sig
        if w is not None:
            loss *= w
        if self.caching:
            sig_neg = xp.where(x >= 0, e, 1) / (1 + e)  # sigmoid(-x) = 1 - sigmoid(x), exactly
            self.save_for_backward(sig_neg, t, l_w, w)
        return self._reduce(loss)

    def backward(self, dy: Array) -> tuple:
        sig_neg, t, l_w, w = self.saved
        dx = 1 - t
        dx -= sig_neg if l_w is None else l_w * sig_neg
        dx *= self._reduce_grad(dy, t.size)
        if w is not None:
            dx *= w
        return dx, None
