"""Dtype rules shared by the pointwise ops: which dtype an op computes in and returns."""

from __future__ import annotations

from typing import Any

from minitorch.backend import dtypes


def floating(x: Any) -> Any:
    """``x`` in a floating dtype: integer and bool arrays become the default float dtype, as
    ``torch.sin`` of an int tensor is float32 (NumPy would give float64)."""
    if x.dtype.kind in "fc":
        return x
    return x.astype(dtypes.get_default_dtype())


def floating_result(*operands: Any) -> Any:
    """PyTorch's result dtype of an op that always returns floats (``atan2``, ``lerp``)."""
    dtype = dtypes.result_type(*operands)
    return dtype if dtype.kind in "fc" else dtypes.get_default_dtype()


def as_dtype_of(value: Any, dtype: Any) -> Any:
    """``value`` (an array or a Python number) as an array or scalar in ``dtype``."""
    if hasattr(value, "dtype"):
        return value if value.dtype == dtype else value.astype(dtype)
    return dtype.type(value)
