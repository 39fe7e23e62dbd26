"""The ``Backend`` interface: one object per device that owns the array module and RNG."""

from __future__ import annotations

from typing import Any

from minitorch.backend.devices import device

Array = Any  # a numpy.ndarray or a cupy.ndarray


class Backend:
    """What layers may ask of a device: ``xp`` for array math plus the few ops that differ.

    Subclasses override a method only where the device needs something else (or measured faster).
    """

    name: str = "?"
    xp: Any = None
    device: device

    # --- arrays -------------------------------------------------------------------------------
    def asarray(self, data: Any, dtype: Any = None) -> Array:
        """``data`` (array, list, scalar) as an array on this device, copied only if needed."""
        return self.xp.asarray(data, dtype=dtype)

    def to_host(self, x: Array) -> Any:
        """A NumPy array with the contents of ``x``."""
        raise NotImplementedError

    def from_host(self, x: Any) -> Array:
        """Copy a NumPy array onto this device."""
        raise NotImplementedError

    def owns(self, x: Array) -> bool:
        """True when ``x`` is an array that lives on this backend's device."""
        raise NotImplementedError

    def synchronize(self) -> None:
        """Wait until queued work on this device is done (no-op where work is synchronous)."""

    def empty_cache(self) -> None:
        """Hand cached, unused device memory back to the driver (no-op without a cache)."""

    # --- ops that differ between array libraries -----------------------------------------------
    def matmul(self, a: Array, b: Array) -> Array:
        """``a @ b`` for 2-D operands (a backend may pick a faster memory order for the result)."""
        return a @ b

    def scatter_add(self, target: Array, index: Any, values: Array) -> None:
        """``target[index] += values`` with repeated indices summed (not last-write-wins)."""
        raise NotImplementedError

    def erf(self, x: Array) -> Array:
        """The error function, elementwise, in ``x``'s dtype (GELU needs it; NumPy has none)."""
        raise NotImplementedError

    def elementwise_chunks(self, size: int, itemsize: int) -> list | None:
        """Slices that split a long elementwise chain into cache-sized pieces, or None to run it
        over the whole array at once (the default; right for GPUs)."""
        return None

    # --- random numbers -------------------------------------------------------------------------
    def seed(self, seed: int) -> None:
        raise NotImplementedError

    def get_rng_state(self) -> Any:
        raise NotImplementedError

    def set_rng_state(self, state: Any) -> None:
        raise NotImplementedError

    def standard_normal(self, shape: tuple, dtype: Any) -> Array:
        raise NotImplementedError

    def uniform(self, shape: tuple, dtype: Any) -> Array:
        """Uniform on [0, 1)."""
        raise NotImplementedError

    def integers(self, low: int, high: int, shape: tuple) -> Array:
        raise NotImplementedError

    def bernoulli_mask(self, keep: float, shape: tuple, dtype: Any) -> Array:
        """An array of 0/1 in ``dtype``, each 1 with probability ``keep``."""
        return (self.uniform(shape, dtype) < keep).astype(dtype, copy=False)

    def permutation(self, n: int) -> Array:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.device})"
