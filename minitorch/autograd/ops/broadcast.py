"""Reducing a broadcast gradient back to the shape of the input it came from."""

from __future__ import annotations

from typing import Any


def unbroadcast(grad: Any, shape: tuple) -> Any:
    """Sum ``grad`` over the axes that broadcasting added or stretched, giving ``shape``."""
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and grad.shape[lead + i] != 1
    )
    return grad.sum(axis=axes).reshape(shape)


def shape_of(x: Any) -> tuple:
    """Shape of an array, or ``()`` for a Python scalar."""
    return getattr(x, "shape", ())
