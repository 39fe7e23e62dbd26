"""``mt.random``: the global random state, as ``torch.random`` (also at ``mt.manual_seed`` ...).

Draws come from NumPy's PCG64 (CPU) and CuPy's generator (GPU), not PyTorch's generators: a
seed makes a run reproducible, but the numbers differ from PyTorch's for the same seed.
"""

from __future__ import annotations

import contextlib
from typing import Any, Iterator

from minitorch import backend
from minitorch.backend.generator import (
    default_generator,
    get_rng_state,
    initial_seed,
    manual_seed,
    seed,
    set_rng_state,
)

__all__ = [
    "default_generator", "fork_rng", "get_rng_state", "initial_seed", "manual_seed", "seed",
    "set_rng_state",
]  # fmt: skip


@contextlib.contextmanager
def fork_rng(devices: Any = None, enabled: bool = True) -> Iterator[None]:
    """Inside the ``with`` block draw freely; on exit every device's generator is back where it
    was. (``devices`` is accepted for PyTorch's signature; all devices are restored.)"""
    if not enabled:
        yield
        return
    states = backend.get_rng_state()
    try:
        yield
    finally:
        backend.set_rng_state(states)
