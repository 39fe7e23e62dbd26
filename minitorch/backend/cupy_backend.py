"""The CuPy backend: one instance per GPU. Imported only when a CUDA device is asked for."""

from __future__ import annotations

from typing import Any

import cupy
import cupyx
import numpy as np

from minitorch.backend.base import Array, Backend
from minitorch.backend.devices import device


class CupyBackend(Backend):
    name = "cupy"
    xp = cupy

    def __init__(self, index: int) -> None:
        self.index = index
        self.device = device("cuda", index)
        self._seed: int | None = None
        with cupy.cuda.Device(index):
            self.rng = cupy.random.default_rng()

    def asarray(self, data: Any, dtype: Any = None) -> Array:
        with cupy.cuda.Device(self.index):
            return cupy.asarray(data, dtype=dtype)

    def to_host(self, x: Array) -> np.ndarray:
        return cupy.asnumpy(x)

    def from_host(self, x: Any) -> Array:
        with cupy.cuda.Device(self.index):
            return cupy.asarray(x)

    def owns(self, x: Array) -> bool:
        return isinstance(x, cupy.ndarray) and x.device.id == self.index

    def pin_memory(self, host_array: Any) -> Any:
        # A NumPy array over a block of CuPy's pinned memory pool: copies from it to the GPU
        # skip the driver's staging copy. Anything else (a device array, a scalar) as is.
        if type(host_array) is not np.ndarray or host_array.size == 0:
            return host_array
        pinned = cupyx.empty_pinned(host_array.shape, dtype=host_array.dtype)
        pinned[...] = host_array
        return pinned

    def synchronize(self) -> None:
        cupy.cuda.Device(self.index).synchronize()

    def empty_cache(self) -> None:
        cupy.get_default_memory_pool().free_all_blocks()
        cupy.get_default_pinned_memory_pool().free_all_blocks()

    def scatter_add(self, target: Array, index: Any, values: Array) -> None:
        cupyx.scatter_add(target, index, values)

    def erf(self, x: Array) -> Array:
        import cupyx.scipy.special

        return cupyx.scipy.special.erf(x)

    def erfc(self, x: Array) -> Array:
        import cupyx.scipy.special

        return cupyx.scipy.special.erfc(x)

    def seed(self, seed: int) -> None:
        # Each GPU gets its own stream derived from the seed, so devices do not share draws.
        self._seed = seed
        with cupy.cuda.Device(self.index):
            self.rng = cupy.random.default_rng(seed + 1_000_003 * (self.index + 1))

    def get_rng_state(self) -> Any:
        # CuPy generators cannot export their state; reseeding with a fresh host-drawn seed gives
        # a reproducible restore point instead.
        from minitorch.backend.registry import numpy_backend

        seed = int(numpy_backend().rng.integers(2**62))
        self.seed(seed)
        return seed

    def set_rng_state(self, state: Any) -> None:
        self.seed(int(state))

    def standard_normal(self, shape: tuple, dtype: Any) -> Array:
        with cupy.cuda.Device(self.index):
            return self.rng.standard_normal(shape, dtype=_float_dtype(dtype))

    def uniform(self, shape: tuple, dtype: Any) -> Array:
        with cupy.cuda.Device(self.index):
            return self.rng.random(shape, dtype=_float_dtype(dtype))

    def integers(self, low: int, high: int, shape: tuple) -> Array:
        with cupy.cuda.Device(self.index):
            return self.rng.integers(low, high, size=shape, dtype=np.int64)

    def permutation(self, n: int) -> Array:
        with cupy.cuda.Device(self.index):
            return cupy.argsort(self.rng.random((n,)))  # Generator has no permutation here


def _float_dtype(dtype: Any) -> np.dtype:
    dtype = np.dtype(dtype)
    return dtype if dtype in (np.float32, np.float64) else np.dtype(np.float32)
