"""``Generator``: a seedable random stream of its own, for shuffling and splitting data.

As ``torch.Generator``: pass one to ``DataLoader(..., generator=g)`` or ``random_split`` to make
their order depend on ``g`` alone rather than on the global seed set by ``mt.manual_seed``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minitorch.backend.devices import as_device


class Generator:
    """A host (NumPy ``PCG64``) random generator: ``g = mt.Generator().manual_seed(0)``."""

    def __init__(self, device: Any = "cpu") -> None:
        self.device = as_device(device)
        if self.device.type != "cpu":
            raise ValueError(
                f"Generator: only device='cpu' is supported (data order is drawn on the host), "
                f"got {self.device}"
            )
        self._seed = int(np.random.SeedSequence().entropy % 2**63)
        self.rng = np.random.default_rng(self._seed)

    def manual_seed(self, seed: int) -> Generator:
        seed = int(seed)
        if seed < 0:
            raise ValueError(f"Generator.manual_seed expects a non-negative integer, got {seed}")
        self._seed = seed
        self.rng = np.random.default_rng(seed)
        return self

    def seed(self) -> int:
        """Re-seed from fresh entropy and return the new seed."""
        self.manual_seed(int(np.random.SeedSequence().entropy % 2**63))
        return self._seed

    def initial_seed(self) -> int:
        return self._seed

    def get_state(self) -> dict:
        return self.rng.bit_generator.state

    def set_state(self, state: dict) -> Generator:
        self.rng.bit_generator.state = state
        return self

    def permutation(self, n: int) -> np.ndarray:
        """A random ordering of ``0 .. n-1`` (int64)."""
        return self.rng.permutation(n)

    def integers(self, low: int, high: int, size: Any = None) -> np.ndarray:
        return self.rng.integers(low, high, size=size, dtype=np.int64)

    def __repr__(self) -> str:
        return f"Generator(device='{self.device}', initial_seed={self._seed})"
