"""Finding the backend of an array or a device; seeding every backend at once."""

from __future__ import annotations

from typing import Any

import numpy as np

from minitorch.backend.base import Array, Backend
from minitorch.backend.devices import as_device, device
from minitorch.backend.numpy_backend import NumpyBackend

_NUMPY = NumpyBackend()
_cuda: dict[int, Backend] = {}
_seed: int | None = None

_CUPY_HINT = (
    "install CuPy for your CUDA version: pip install cupy-cuda12x (CUDA 12.x) or "
    "pip install cupy-cuda13x (CUDA 13.x); without a CUDA toolkit, add CUDA's libraries with "
    "pip install 'cupy-cuda12x[ctk]' (or 'cupy-cuda13x[ctk]')"
)


def numpy_backend() -> Backend:
    """The NumPy (CPU) backend."""
    return _NUMPY


def get_backend(x: Array) -> Backend:
    """The backend that owns array ``x`` (NumPy arrays and scalars, or CuPy arrays)."""
    if type(x) is np.ndarray or isinstance(x, (np.ndarray, np.generic)):
        return _NUMPY
    if type(x).__module__.startswith("cupy"):
        return _cuda_backend(x.device.id)
    raise TypeError(f"expected a NumPy or CuPy array, got {type(x).__name__}")


def as_array(x: Any) -> Any:
    """NumPy scalars (what full reductions return) as 0-d arrays; arrays unchanged."""
    return np.asarray(x) if isinstance(x, np.generic) else x


def backend_for(spec: str | device | None) -> Backend:
    """The backend for a device (``None``: the default device)."""
    dev = as_device(spec)
    if dev.type == "cpu":
        return _NUMPY
    return _cuda_backend(dev.index)


def _cuda_backend(index: int) -> Backend:
    backend = _cuda.get(index)
    if backend is None:
        count = cuda_device_count(raise_reason=True)
        if index >= count:
            raise RuntimeError(
                f"cuda:{index} requested but only {count} CUDA device(s) are visible"
            )
        from minitorch.backend.cupy_backend import CupyBackend

        backend = CupyBackend(index)
        if _seed is not None:
            backend.seed(_seed)
        _cuda[index] = backend
    return backend


def cuda_device_count(raise_reason: bool = False) -> int:
    """Number of usable GPUs; 0 when CuPy is missing or no driver/GPU is present."""
    try:
        import cupy
    except ImportError as err:
        if raise_reason:
            raise RuntimeError(
                f"CUDA device requested but CuPy is not installed: {_CUPY_HINT}"
            ) from err
        return 0
    try:
        return int(cupy.cuda.runtime.getDeviceCount())
    except Exception as err:  # CuPy raises its own CUDARuntimeError when no driver/GPU is found
        if raise_reason:
            raise RuntimeError(
                f"CUDA device requested but CuPy finds no usable GPU ({err}); "
                "check the NVIDIA driver, or use device='cpu'"
            ) from err
        return 0


def manual_seed(seed: int) -> None:
    """Seed every backend's generator (and those created later) from ``seed``."""
    global _seed
    seed = int(seed)
    if seed < 0:
        raise ValueError(f"manual_seed expects a non-negative integer, got {seed}")
    _seed = seed
    _NUMPY.seed(seed)
    for backend in _cuda.values():
        backend.seed(seed)


def host_uniform(shape: Any, low: float = 0.0, high: float = 1.0) -> np.ndarray:
    """float64 draws uniform on [low, high) from the host generator, the one ``manual_seed``
    seeds. Drawing on the host and copying to the device gives the same numbers on every device
    (``nn.init`` does this, so a seed gives the same weights on CPU and GPU)."""
    return _NUMPY.rng.uniform(low, high, size=shape)


def host_normal(shape: Any, mean: float = 0.0, std: float = 1.0) -> np.ndarray:
    """float64 normal draws from the host generator (see ``host_uniform``)."""
    return _NUMPY.rng.normal(mean, std, size=shape)


def all_backends() -> list[Backend]:
    """The backends created so far (NumPy first)."""
    return [_NUMPY, *_cuda.values()]


def get_rng_state() -> list[Any]:
    """The random state of every backend (a list, one per backend), for ``set_rng_state``."""
    return [b.get_rng_state() for b in all_backends()]


def set_rng_state(states: list[Any]) -> None:
    """Restore every backend's random state from ``get_rng_state()``'s list."""
    for backend, state in zip(all_backends(), states):
        backend.set_rng_state(state)
