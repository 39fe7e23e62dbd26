"""Dtypes exported as ``mt.float32`` etc. (NumPy's dtypes, which CuPy shares)."""

from __future__ import annotations

from typing import Any

import numpy as np

float16 = half = np.dtype(np.float16)
float32 = float = np.dtype(np.float32)  # noqa: A001  (PyTorch exports mt.float)
float64 = double = np.dtype(np.float64)
int8 = np.dtype(np.int8)
int16 = short = np.dtype(np.int16)
int32 = int = np.dtype(np.int32)  # noqa: A001
int64 = long = np.dtype(np.int64)
uint8 = np.dtype(np.uint8)
bool = np.dtype(np.bool_)  # noqa: A001

_default_dtype = float32


def get_default_dtype() -> np.dtype:
    return _default_dtype


def set_default_dtype(dtype: Any) -> None:
    """Dtype of new floating tensors and parameters (float32 unless changed)."""
    global _default_dtype
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"set_default_dtype expects a floating dtype, got {dtype}")
    _default_dtype = dtype


def is_floating(dtype: Any) -> bool:
    return np.dtype(dtype).kind == "f"


def as_dtype(dtype: Any) -> np.dtype | None:
    return None if dtype is None else np.dtype(dtype)
