"""``mt.backends.cuda``: ``matmul.allow_tf32`` and ``mt.set_float32_matmul_precision``.

``matmul.allow_tf32 = True`` (PyTorch's default is False) lets cuBLAS run float32 matmuls on
TF32 tensor cores (GPUs of compute capability 8.0 and up): faster, with a 10-bit mantissa in the
products. minitorch passes it to CuPy (``CUPY_TF32`` before its first matmul, its compute type
after); it has no effect on the CPU.
"""

from __future__ import annotations

from minitorch.backend import cuda_runtime


class _Matmul:
    """``matmul.allow_tf32``: a property, so that assigning it reaches CuPy."""

    def __init__(self) -> None:
        self._allow_tf32 = False

    @property
    def allow_tf32(self) -> bool:
        return self._allow_tf32

    @allow_tf32.setter
    def allow_tf32(self, value: bool) -> None:
        self._allow_tf32 = bool(value)
        cuda_runtime.set_tf32_matmul(self._allow_tf32)


matmul = _Matmul()

_PRECISIONS = ("highest", "high", "medium")


def is_built() -> bool:
    """True: minitorch can use CUDA through CuPy (see ``mt.cuda.is_available()``)."""
    return True


def set_float32_matmul_precision(precision: str) -> None:
    """``"highest"``: full float32 matmuls; ``"high"`` / ``"medium"``: allow TF32 (sets
    ``matmul.allow_tf32``, as PyTorch does)."""
    if precision not in _PRECISIONS:
        raise ValueError(
            f"set_float32_matmul_precision: expected one of {_PRECISIONS}, got {precision!r}"
        )
    matmul.allow_tf32 = precision != "highest"


def get_float32_matmul_precision() -> str:
    """``"high"`` when float32 matmuls may use TF32, else ``"highest"``."""
    return "high" if matmul.allow_tf32 else "highest"
