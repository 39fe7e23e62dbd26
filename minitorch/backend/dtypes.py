"""Dtypes exported as ``mt.float32`` etc. (NumPy's dtypes, which CuPy shares), the default
float dtype, and PyTorch's type-promotion and casting rules.

``mt.bfloat16`` comes from the optional ``ml_dtypes`` package (``pip install ml-dtypes``);
it is imported on first use of the name, so ``import minitorch`` stays fast. NumPy computes in
it; CuPy has no bfloat16 arrays.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

float16 = half = np.dtype(np.float16)
float32 = float = np.dtype(np.float32)  # noqa: A001  (PyTorch exports mt.float)
float64 = double = np.dtype(np.float64)
complex64 = cfloat = np.dtype(np.complex64)
complex128 = cdouble = np.dtype(np.complex128)
int8 = np.dtype(np.int8)
int16 = short = np.dtype(np.int16)
int32 = int = np.dtype(np.int32)  # noqa: A001
int64 = long = np.dtype(np.int64)
uint8 = np.dtype(np.uint8)
bool = np.dtype(np.bool_)  # noqa: A001

_default_dtype = float32


class MissingDtypeError(AttributeError):
    """A dtype whose optional package is not installed (an AttributeError, so ``hasattr``
    answers False)."""


def bfloat16_dtype() -> np.dtype:
    """``mt.bfloat16``, from ``ml_dtypes``; a clear error naming the package when missing."""
    try:
        import ml_dtypes
    except ImportError as err:
        raise MissingDtypeError(
            "bfloat16 needs the optional package ml_dtypes: pip install ml-dtypes "
            "(or pip install '.[bfloat16]' in a clone of the repository)"
        ) from err
    return np.dtype(ml_dtypes.bfloat16)


def __getattr__(name: str) -> Any:
    if name == "bfloat16":
        value = globals()["bfloat16"] = bfloat16_dtype()
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def get_default_dtype() -> np.dtype:
    """The dtype of new floating tensors and parameters."""
    return _default_dtype


def set_default_dtype(dtype: Any) -> None:
    """Dtype of new floating tensors and parameters (float32 unless changed)."""
    global _default_dtype
    dtype = np.dtype(dtype)
    if not is_floating(dtype):
        raise TypeError(f"set_default_dtype expects a floating dtype, got {dtype}")
    _default_dtype = dtype


def is_floating(dtype: Any) -> builtins.bool:
    """True for float16/32/64 and bfloat16 (whose NumPy kind is ``'V'``)."""
    dtype = np.dtype(dtype)
    return dtype.kind == "f" or (dtype.kind == "V" and dtype.name == "bfloat16")


def as_dtype(dtype: Any) -> np.dtype | None:
    return None if dtype is None else np.dtype(dtype)


def float_or_default(dtype: Any) -> np.dtype:
    """``dtype``, or the default float dtype when None."""
    return _default_dtype if dtype is None else np.dtype(dtype)


# --- PyTorch's type strings (``Tensor.type()``) --------------------------------------------------
_TYPE_NAMES = {
    "float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor",
    "bfloat16": "BFloat16Tensor", "int64": "LongTensor", "int32": "IntTensor",
    "int16": "ShortTensor", "int8": "CharTensor", "uint8": "ByteTensor", "bool": "BoolTensor",
    "complex64": "ComplexFloatTensor", "complex128": "ComplexDoubleTensor",
}  # fmt: skip
_BY_TYPE_NAME = {v: k for k, v in _TYPE_NAMES.items()}


def tensor_type_name(dtype: Any) -> str:
    """``"FloatTensor"`` for float32, as PyTorch names tensor types."""
    name = np.dtype(dtype).name
    if name not in _TYPE_NAMES:
        raise TypeError(f"dtype {name} has no PyTorch tensor type name")
    return _TYPE_NAMES[name]


def from_tensor_type_name(text: str) -> np.dtype:
    """The dtype of ``"torch.FloatTensor"``, ``"torch.cuda.LongTensor"`` or ``"FloatTensor"``."""
    name = _BY_TYPE_NAME.get(text.rsplit(".", 1)[-1])
    if name is None:
        raise ValueError(f"invalid type: {text!r} (expected e.g. 'torch.FloatTensor')")
    return bfloat16_dtype() if name == "bfloat16" else np.dtype(name)


# --- type promotion, as PyTorch does it ---------------------------------------------------------
# Operands fall into three ranks: tensors with dimensions, 0-d tensors, and Python numbers. A
# lower rank only matters when it brings a higher category (bool < integer < floating), so a
# float32 tensor stays float32 next to a float64 0-d tensor, an int64 tensor or a Python float,
# while an int tensor next to a Python float becomes the default float dtype.
def _category(dtype: np.dtype) -> builtins.int:
    return 2 if dtype.kind in "fc" or is_floating(dtype) else 0 if dtype.kind == "b" else 1


def promote_types(a: np.dtype, b: np.dtype) -> np.dtype:
    """PyTorch's ``promote_types``: the higher category wins (int64 + float16 is float16);
    within a category, the wider type (NumPy's rule, which agrees there)."""
    return _promote(np.dtype(a), np.dtype(b))


def _promote(a: np.dtype, b: np.dtype) -> np.dtype:
    ca, cb = _category(a), _category(b)
    if ca != cb:
        return a if ca > cb else b
    return np.promote_types(a, b)


def can_cast(from_: Any, to: Any) -> builtins.bool:
    """PyTorch's ``can_cast``: False only when it would lower the category (complex > floating >
    integer > bool), e.g. float to int; a narrower type of the same category is allowed."""
    return _rank(np.dtype(from_)) <= _rank(np.dtype(to))


def _rank(dtype: np.dtype) -> builtins.int:
    return 3 if dtype.kind == "c" else _category(dtype)


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
        ranked[rank] = dtype if current is None else _promote(current, dtype)
    out = _combine(ranked[0], _combine(ranked[1], ranked[2]))
    return _default_dtype if out is None else out
