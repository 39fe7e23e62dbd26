"""Gradient clipping, in place on ``param.grad``, as ``torch.nn.utils``."""

from __future__ import annotations

import math
from typing import Any, Iterable

from minitorch.autograd import Tensor
from minitorch.autograd.factory import tensor
from minitorch.backend import Array, as_array, get_backend


def _grads(parameters: Any) -> list:
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad.array for p in parameters if p.grad is not None]


def _vector_norm(xp: Any, x: Array, p: float) -> Array:
    """The ``p``-norm of all elements of ``x`` as a 0-d array in ``x``'s dtype."""
    if x.size == 0:
        return xp.zeros((), dtype=x.dtype)
    if p == 2:
        x = x.reshape(-1)
        return xp.sqrt(xp.dot(x, x))
    if p == 1:
        return xp.abs(x).sum()
    if p == math.inf:
        return xp.abs(x).max()
    if p == -math.inf:
        return xp.abs(x).min()
    if p == 0:
        return xp.asarray(xp.count_nonzero(x), dtype=x.dtype)
    return (xp.abs(x) ** p).sum() ** (1.0 / p)


def clip_grad_norm_(parameters: Iterable[Tensor] | Tensor, max_norm: float,
                    norm_type: float = 2.0, error_if_nonfinite: bool = False,
                    foreach: bool | None = None) -> Tensor:  # fmt: skip
    """Scale all gradients together so that their joint ``norm_type``-norm is at most ``max_norm``:
    ``grad *= min(1, max_norm / (total_norm + 1e-6))``, in place and in each gradient's dtype.

    The total norm is the norm of the per-gradient norms (``inf``: the largest absolute entry).
    Returns it (before clipping) as a 0-d Tensor; ``tensor(0.)`` when no parameter has a gradient.
    ``foreach`` is accepted for PyTorch compatibility (the loop over gradients is the same).
    """
    grads = _grads(parameters)
    max_norm, norm_type = float(max_norm), float(norm_type)
    if not grads:
        return tensor(0.0)
    xp = get_backend(grads[0]).xp
    norms = xp.stack([_vector_norm(xp, g, norm_type) for g in grads])
    total = _vector_norm(xp, norms, norm_type)
    if error_if_nonfinite and not bool(xp.isfinite(total)):
        raise RuntimeError(
            f"clip_grad_norm_: the total norm of order {norm_type} of the gradients is non-finite "
            f"({float(total)}), so it cannot be clipped; pass error_if_nonfinite=False to scale "
            "the gradients by it anyway"
        )
    coef = xp.minimum(max_norm / (total + 1e-6), 1.0)  # in total's dtype, as PyTorch
    for g in grads:
        g *= coef
    return Tensor(as_array(total))


def clip_grad_value_(parameters: Iterable[Tensor] | Tensor, clip_value: float,
                     foreach: bool | None = None) -> None:  # fmt: skip
    """Clamp every gradient element into ``[-clip_value, clip_value]``, in place."""
    clip_value = float(clip_value)
    for g in _grads(parameters):
        get_backend(g).xp.clip(g, -clip_value, clip_value, out=g)
