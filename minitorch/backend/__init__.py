"""Backends: NumPy always, CuPy when installed and a GPU is present (imported only on demand)."""

from minitorch.backend.base import Array, Backend
from minitorch.backend.devices import as_device, device, get_default_device, set_default_device
from minitorch.backend.registry import (
    all_backends,
    as_array,
    backend_for,
    cuda_device_count,
    get_backend,
    get_rng_state,
    host_normal,
    host_uniform,
    manual_seed,
    numpy_backend,
    set_rng_state,
)
from minitorch.backend.transfer import move

__all__ = [
    "Array",
    "Backend",
    "all_backends",
    "as_array",
    "as_device",
    "backend_for",
    "cuda_device_count",
    "device",
    "get_backend",
    "get_default_device",
    "get_rng_state",
    "host_normal",
    "host_uniform",
    "manual_seed",
    "move",
    "numpy_backend",
    "set_default_device",
    "set_rng_state",
]
