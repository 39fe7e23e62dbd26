"""``mt.cuda``: is a GPU usable from here? (Imports CuPy only when asked.)"""

from __future__ import annotations

from minitorch.backend import all_backends, cuda_device_count


def is_available() -> bool:
    """True when CuPy is installed and at least one GPU is visible."""
    return cuda_device_count() > 0


def device_count() -> int:
    return cuda_device_count()


def synchronize() -> None:
    """Wait for all queued GPU work (for timing); a no-op without a GPU."""
    for backend in all_backends():
        backend.synchronize()


def empty_cache() -> None:
    """Give CuPy's cached, unused GPU memory blocks back to the driver."""
    for backend in all_backends():
        backend.empty_cache()
