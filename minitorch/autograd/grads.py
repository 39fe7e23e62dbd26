"""Forgetting accumulated gradients, for both ``Module.zero_grad`` and ``Optimizer.zero_grad``."""

from __future__ import annotations

from typing import Iterable

from minitorch.autograd.tensor import Tensor


def zero_grads(tensors: Iterable[Tensor], set_to_none: bool = True) -> None:
    """Forget the gradients accumulated in ``tensors``: drop them (``grad = None``, the default,
    which frees the memory) or fill them with zeros in place. Tensors without one are skipped."""
    for t in tensors:
        if t._grad is None:
            continue
        if set_to_none:
            t._grad = None
        else:
            t._grad.array[...] = 0
