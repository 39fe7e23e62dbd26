"""``mt.accelerator``: PyTorch's device-agnostic questions (the accelerator here is CUDA).

``current_accelerator()`` is ``mt.device("cuda")`` when a GPU is usable and None otherwise, so
``device = mt.accelerator.current_accelerator() or "cpu"`` picks the right place.
"""

from __future__ import annotations

from typing import Any

from minitorch import cuda
from minitorch.backend import device


def is_available() -> bool:
    """True when a GPU is usable (CuPy installed and a GPU visible)."""
    return cuda.is_available()


def current_accelerator(check_available: bool = False) -> device | None:
    """``device("cuda")`` when CUDA is usable, else None."""
    return device("cuda") if cuda.is_available() else None


def device_count() -> int:
    return cuda.device_count()


def current_device_index() -> int:
    """The current GPU's index (a RuntimeError without one)."""
    return cuda.current_device()


def set_device_index(device: Any) -> None:
    cuda.set_device(device)


def synchronize(device: Any = None) -> None:
    """Wait for queued GPU work; a no-op without a GPU."""
    cuda.synchronize(device)
