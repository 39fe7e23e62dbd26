"""Gradient clipping, in place on ``param.grad``."""

from __future__ import annotations

import math
from typing import Any, Iterable

from minitorch.autograd import Tensor
from minitorch.autograd.factory import tensor
from minitorch.backend import get_backend


def _grads(parameters: Any) -> list:
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad.data for p in parameters if p.grad is not None]


def clip_grad_norm_(parameters: Iterable[Tensor] | Tensor, max_norm: float,
                    norm_type: float = 2.0, error_if_nonfinite: bool = False) -> Tensor:  # fmt: skip
    """Scale all gradients together so their joint ``norm_type``-norm is at most ``max_norm``.

    Returns the total norm before clipping.
    """
    grads = _grads(parameters)
    if not grads:
        return tensor(0.0)
    xp = get_backend(grads[0]).xp
    norm_type = float(norm_type)
    if math.isinf(norm_type):
        norms = xp.stack([xp.abs(g).max() for g in grads])
        total = norms.max()
    else:
        norms = xp.stack([(xp.abs(g) ** norm_type).sum() for g in grads])
        total = norms.sum() ** (1.0 / norm_type)
    if error_if_nonfinite and not bool(xp.isfinite(total)):
        raise RuntimeError(
            f"the total norm of order {norm_type} of the gradients is non-finite; "
            "set error_if_nonfinite=False to clip anyway"
        )
    coef = max_norm / (float(total) + 1e-6)
    if coef < 1:
        for g in grads:
            g *= g.dtype.type(coef)
    return Tensor(xp.asarray(total))


def clip_grad_value_(parameters: Iterable[Tensor] | Tensor, clip_value: float) -> None:
    """Clamp every gradient element into [-clip_value, clip_value]."""
    for g in _grads(parameters):
        get_backend(g).xp.clip(g, -clip_value, clip_value, out=g)

