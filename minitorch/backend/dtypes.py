"""Dtypes exported as ``mt.float32`` etc. (NumPy's dtypes, which CuPy shares)."""

from __future__ import annotations

import builtins
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


# --- type promotion, as PyTorch does it ---------------------------------------------------------
# Operands fall into three ranks: tensors with dimensions, 0-d tensors, and Python numbers. A
# lower rank only matters when it brings a higher category (bool < integer < floating), so a
# float32 tensor stays float32 next to a float64 0-d tensor, an int64 tensor or a Python float,
# while an int tensor next to a Python float becomes the default float dtype.
def _category(dtype: np.dtype) -> builtins.int:
    return 2 if dtype.kind in "fc" else 0 if dtype.kind == "b" else 1


def promote_types(a: np.dtype, b: np.dtype) -> np.dtype:
    """PyTorch's ``promote_types``: the higher category wins (int64 + float16 is float16);
    within a category, the wider type (NumPy's rule, which agrees there)."""
    ca, cb = _category(a), _category(b)
    if ca != cb:
        return a if ca > cb else b
    return np.promote_types(a, b)


def _combine(higher: np.dtype | None, lower: np.dtype | None) -> np.dtype | None:
    """A lower rank's dtype counts only when it brings a higher category."""
    if higher is None or lower is None:
        return lower if higher is None else higher
    return lower if _category(lower) > _category(higher) else higher


def result_type(*operands: Any) -> np.dtype:
    """The dtype PyTorch gives ``op(*operands)`` (arrays, 0-d arrays and Python numbers)."""
    ranked: list[np.dtype | None] = [None, None, None]  # dims, 0-d, Python numbers
    for x in operands:
        if isinstance(x, builtins.bool):
            rank, dtype = 2, bool
        elif isinstance(x, builtins.int):
            rank, dtype = 2, int64
        elif isinstance(x, builtins.float):
            rank, dtype = 2, _default_dtype
        elif hasattr(x, "dtype"):
            rank, dtype = (0 if x.ndim else 1), x.dtype
        else:
            continue
        current = ranked[rank]
        ranked[rank] = dtype if current is None else promote_types(current, dtype)
    out = _combine(ranked[0], _combine(ranked[1], ranked[2]))
    return _default_dtype if out is None else out
