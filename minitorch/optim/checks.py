"""Argument checks shared by the optimizers' ``_validate`` (PyTorch's conditions, with messages
that name the optimizer, the argument, what it must be and what arrived)."""

from __future__ import annotations

from typing import Any


def check_nonnegative(name: str, label: str, value: float) -> None:
    """``value >= 0`` or ``ValueError("Adam: invalid epsilon value -1 (must be >= 0)")``."""
    if not value >= 0:
        raise ValueError(f"{name}: invalid {label} {value} (must be >= 0)")


def check_betas(name: str, betas: Any) -> None:
    """``betas`` is a pair ``(beta1, beta2)``, each in ``[0, 1)``."""
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise ValueError(f"{name}: betas must be a pair (beta1, beta2), got {betas!r}")
    for i, beta in enumerate(betas):
        if not 0.0 <= beta < 1.0:
            raise ValueError(
                f"{name}: invalid beta parameter at index {i}: {beta} (must be in [0, 1))"
            )
