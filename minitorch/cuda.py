"""``mt.cuda``: is a GPU usable from here? (Imports CuPy only when asked.)"""

from __future__ import annotations

from minitorch.backend import cuda_device_count


def is_available() -> bool:
    """True when CuPy is installed and at least one GPU is visible."""
    return cuda_device_count() > 0


def device_count() -> int:
    return cuda_device_count()


def synchronize() -> None:
    """Wait for all queued GPU work (for timing); a no-op without a GPU."""
    if is_available():
        import cupy

        cupy.cuda.Device().synchronize()


def empty_cache() -> None:
    """Give CuPy's cached, unused GPU memory blocks back to the driver."""
    if is_available():
        import cupy

        cupy.get_default_memory_pool().free_all_blocks()
        cupy.get_default_pinned_memory_pool().free_all_blocks()
