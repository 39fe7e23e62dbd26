"""Questions to the CUDA runtime through CuPy (imported only when called): the current device,
device names and properties, memory in use, and cuBLAS's TF32 switch for float32 matmuls.

Callers check ``cuda_device_count()`` first; every function here needs CuPy and a GPU.
"""

from __future__ import annotations

import os
import sys
from typing import Any


def _cupy() -> Any:
    import cupy

    return cupy


def current_device() -> int:
    """The index of CuPy's current GPU."""
    return int(_cupy().cuda.runtime.getDevice())


def set_device(index: int) -> None:
    """Make GPU ``index`` CuPy's current device."""
    _cupy().cuda.Device(index).use()


def device_properties(index: int) -> dict:
    """``cudaGetDeviceProperties`` of GPU ``index`` as a dict (``name`` decoded to str)."""
    props = dict(_cupy().cuda.runtime.getDeviceProperties(index))
    name = props.get("name", b"")
    props["name"] = name.decode() if isinstance(name, bytes) else str(name)
    return props


def memory_allocated(index: int) -> int:
    """Bytes of GPU ``index`` held by live arrays (CuPy's memory pool)."""
    cupy = _cupy()
    with cupy.cuda.Device(index):
        return int(cupy.get_default_memory_pool().used_bytes())


def memory_reserved(index: int) -> int:
    """Bytes of GPU ``index`` that CuPy's memory pool holds (in use or cached)."""
    cupy = _cupy()
    with cupy.cuda.Device(index):
        return int(cupy.get_default_memory_pool().total_bytes())


def set_tf32_matmul(enabled: bool) -> None:
    """Let cuBLAS run float32 matmuls on TF32 tensor cores (compute capability 8.0 and up).

    CuPy reads ``CUPY_TF32`` at its first float32 matmul, so setting it covers a CuPy not yet
    used; once CuPy is loaded its compute type is also set directly.
    """
    os.environ["CUPY_TF32"] = "1" if enabled else "0"
    if "cupy" not in sys.modules:
        return
    try:
        from cupy._core import _routines_linalg as linalg
    except ImportError:  # a CuPy without this module: the variable is all we can do
        return
    kind = linalg.COMPUTE_TYPE_TF32 if enabled else linalg.COMPUTE_TYPE_DEFAULT
    try:
        linalg.set_compute_type("float32", kind)
    except Exception:  # no GPU to ask for its compute capability: the variable stays
        pass
