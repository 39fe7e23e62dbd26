"""Allocating parameter storage on the requested (or default) device and dtype."""

from __future__ import annotations

from typing import Any

from minitorch.backend import Array, backend_for, dtypes


def empty_param(shape: tuple, device: Any = None, dtype: Any = None) -> Array:
    """Uninitialised storage; the layer's ``reset_parameters`` fills it."""
    dtype = dtypes.get_default_dtype() if dtype is None else dtypes.as_dtype(dtype)
    return backend_for(device).xp.empty(shape, dtype=dtype)


def zeros_param(shape: tuple, device: Any = None, dtype: Any = None) -> Array:
    dtype = dtypes.get_default_dtype() if dtype is None else dtypes.as_dtype(dtype)
    return backend_for(device).xp.zeros(shape, dtype=dtype)
