"""Dropout masks: inverted dropout keeps each value with probability ``1 - p``, scaled by
``1/(1-p)``, so the expected output equals the input. ``Dropout``/``Dropout2d`` and the fused
attention draw their masks here.
"""

from __future__ import annotations

from minitorch.backend import Array, get_backend


def dropout_mask(x: Array, p: float, mask_shape: tuple) -> Array:
    """0 or ``1/(1-p)`` in ``x``'s dtype, each entry kept with probability ``1 - p``."""
    if p == 1:
        return get_backend(x).xp.zeros(mask_shape, dtype=x.dtype)
    mask = get_backend(x).bernoulli_mask(1 - p, mask_shape, x.dtype)
    mask *= 1 / (1 - p)
    return mask
