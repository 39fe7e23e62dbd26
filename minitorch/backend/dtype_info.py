"""``finfo`` / ``iinfo``: the limits of floating and integer dtypes, as PyTorch reports them."""

from __future__ import annotations

from typing import Any

import numpy as np

from minitorch.backend import dtypes


class finfo:  # noqa: N801  (PyTorch's name)
    """``mt.finfo(mt.float32).eps`` ...: ``bits``, ``eps``, ``max``, ``min``, ``tiny`` (=
    ``smallest_normal``), ``resolution``, ``dtype``; Python floats. ``finfo()``: the default
    float dtype's."""

    def __init__(self, type: Any = None) -> None:  # noqa: A002
        dtype = dtypes.get_default_dtype() if type is None else np.dtype(type)
        if not dtypes.is_floating(dtype) and dtype.kind != "c":
            raise TypeError(f"finfo: expected a floating point dtype, got {dtype}")
        if dtype.name == "bfloat16":
            import ml_dtypes

            info: Any = ml_dtypes.finfo(dtype)
        else:
            info = np.finfo(dtype)
        self.dtype = np.dtype(info.dtype).name  # complex64 reports its parts' float32
        self.bits = int(info.bits)
        self.eps = float(info.eps)
        self.max = float(info.max)
        self.min = float(info.min)
        self.tiny = self.smallest_normal = float(info.smallest_normal)
        self.resolution = 10.0 ** -int(info.precision)  # PyTorch: exactly 10^-precision

    def __repr__(self) -> str:
        return (
            f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
            f"eps={self.eps:g}, smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, "
            f"dtype={self.dtype})"
        )


class iinfo:  # noqa: N801
    """``mt.iinfo(mt.int32).max`` ...: ``bits``, ``max``, ``min``, ``dtype``; Python ints."""

    def __init__(self, type: Any) -> None:  # noqa: A002
        dtype = np.dtype(type)
        if dtype.kind not in "iu":
            raise TypeError(f"iinfo: expected an integer dtype, got {dtype}")
        info = np.iinfo(dtype)
        self.dtype = dtype.name
        self.bits, self.max, self.min = int(info.bits), int(info.max), int(info.min)

    def __repr__(self) -> str:
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"
