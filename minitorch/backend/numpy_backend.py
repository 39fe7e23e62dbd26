"""The NumPy backend: always available, the reference for every other backend."""

from __future__ import annotations

from typing import Any

import numpy as np

from minitorch.backend.base import Array, Backend
from minitorch.backend.devices import device


class NumpyBackend(Backend):
    name = "numpy"
    xp = np

    def __init__(self) -> None:
        self.device = device("cpu")
        self.rng = np.random.default_rng()

    def asarray(self, data: Any, dtype: Any = None) -> Array:
        if type(data).__module__.startswith("cupy"):
            data = data.get()
        return np.asarray(data, dtype=dtype)

    def to_host(self, x: Array) -> np.ndarray:
        return x

    def from_host(self, x: Any) -> np.ndarray:
        return np.asarray(x)

    def owns(self, x: Array) -> bool:
        return isinstance(x, (np.ndarray, np.generic))

    def scatter_add(self, target: Array, index: Any, values: Array) -> None:
        np.add.at(target, index, values)

    def erf(self, x: Array) -> Array:
        return _erf(x)

    def seed(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def get_rng_state(self) -> dict:
        return self.rng.bit_generator.state

    def set_rng_state(self, state: dict) -> None:
        self.rng.bit_generator.state = state

    def standard_normal(self, shape: tuple, dtype: Any) -> Array:
        return self.rng.standard_normal(shape, dtype=_float_dtype(dtype))

    def uniform(self, shape: tuple, dtype: Any) -> Array:
        return self.rng.random(shape, dtype=_float_dtype(dtype))

    def integers(self, low: int, high: int, shape: tuple) -> Array:
        return self.rng.integers(low, high, size=shape, dtype=np.int64)

    def permutation(self, n: int) -> Array:
        return self.rng.permutation(n)


def _float_dtype(dtype: Any) -> np.dtype:
    """NumPy's generators draw float32 or float64 only; half precision is drawn in float32."""
    dtype = np.dtype(dtype)
    return dtype if dtype in (np.float32, np.float64) else np.dtype(np.float32)
