"""``Generator``: a seedable random stream of its own, and the global seed (``manual_seed``).

As ``torch.Generator``: pass one as ``generator=`` to ``mt.rand``, ``randn``, ``randint``,
``randperm``, ``multinomial``, ``bernoulli``, ``normal``, ``Tensor.uniform_`` ..., or to
``DataLoader`` / ``random_split``, to make their draws depend on it alone rather than on the
global seed set by ``mt.manual_seed``.

The streams are NumPy's PCG64 (and CuPy's generator on a GPU), not PyTorch's Mersenne Twister
and Philox: the same seed gives reproducible draws, but not the numbers PyTorch draws.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minitorch.backend import registry
from minitorch.backend.devices import as_device
from minitorch.backend.registry import numpy_backend


def _fresh_seed() -> int:
    return int(np.random.SeedSequence().entropy % 2**63)


def _float_dtype(dtype: Any) -> np.dtype:
    """NumPy draws float32 or float64 only; other float dtypes are drawn in float32."""
    dtype = np.dtype(dtype)
    return dtype if dtype in (np.float32, np.float64) else np.dtype(np.float32)


class Generator:
    """A host (NumPy ``PCG64``) random generator: ``g = mt.Generator().manual_seed(0)``.

    ``device`` is where the tensors drawn with it go (``"cpu"`` or ``"cuda"``); the numbers are
    drawn on the host either way, so one seed gives the same draws on every device. As in
    PyTorch, a tensor must be made on the generator's device type.
    """

    def __init__(self, device: Any = "cpu") -> None:
        self.device = as_device(device)
        self._seed = _fresh_seed()
        self.rng = np.random.default_rng(self._seed)

    def manual_seed(self, seed: int) -> Generator:
        """Re-seed with ``seed`` (a non-negative int); returns self."""
        seed = int(seed)
        if seed < 0:
            raise ValueError(f"Generator.manual_seed expects a non-negative integer, got {seed}")
        self._seed = seed
        self.rng = np.random.default_rng(seed)
        return self

    def seed(self) -> int:
        """Re-seed from fresh entropy and return the new seed."""
        self.manual_seed(_fresh_seed())
        return self._seed

    def initial_seed(self) -> int:
        """The seed this generator was last seeded with."""
        return self._seed

    def get_state(self) -> dict:
        """The stream's state (a dict of the bit generator's state, not PyTorch's ByteTensor)."""
        return self.rng.bit_generator.state

    def set_state(self, state: dict) -> Generator:
        """Restore a state from ``get_state()``; returns self."""
        self.rng.bit_generator.state = state
        return self

    # --- draws (the same interface as a Backend's, on host arrays) -------------------------------
    def standard_normal(self, shape: tuple, dtype: Any) -> np.ndarray:
        """Host draws from N(0, 1) of ``shape`` (float32 unless ``dtype`` is float64)."""
        return self.rng.standard_normal(shape, dtype=_float_dtype(dtype))

    def uniform(self, shape: tuple, dtype: Any) -> np.ndarray:
        """Uniform on [0, 1)."""
        return self.rng.random(shape, dtype=_float_dtype(dtype))

    def permutation(self, n: int) -> np.ndarray:
        """A random ordering of ``0 .. n-1`` (int64)."""
        return self.rng.permutation(n)

    def integers(self, low: int, high: int, size: Any = None) -> np.ndarray:
        """Integers uniform on ``[low, high)`` (int64)."""
        return self.rng.integers(low, high, size=size, dtype=np.int64)

    def __repr__(self) -> str:
        return f"Generator(device='{self.device}', initial_seed={self._seed})"


class DefaultGenerator(Generator):
    """``mt.default_generator``: the CPU stream behind ``mt.rand`` and friends when no
    ``generator=`` is given (the NumPy backend's generator). Its ``manual_seed`` seeds the CPU
    only; ``mt.manual_seed`` seeds every device."""

    def __init__(self) -> None:
        self.device = as_device("cpu")
        self.manual_seed(_fresh_seed())  # a known seed, so initial_seed() can answer

    @property
    def rng(self) -> np.random.Generator:  # type: ignore[override]
        return numpy_backend().rng

    @rng.setter
    def rng(self, value: np.random.Generator) -> None:
        numpy_backend().rng = value

    def manual_seed(self, seed: int) -> Generator:
        """Re-seed the CPU stream (the NumPy backend's) with ``seed``; returns self."""
        seed = int(seed)
        if seed < 0:
            raise ValueError(f"manual_seed expects a non-negative integer, got {seed}")
        numpy_backend().seed(seed)
        self._seed = seed
        return self

    def note_global_seed(self, seed: int) -> None:
        """``mt.manual_seed`` seeded every backend (this one included) with ``seed``."""
        self._seed = seed


default_generator = DefaultGenerator()


def manual_seed(seed: int) -> Generator:
    """Seed the generators of every device (and those created later) from ``seed``; returns
    ``default_generator``. Draws are reproducible, but are not PyTorch's numbers."""
    registry.manual_seed(seed)
    default_generator.note_global_seed(int(seed))
    return default_generator


def seed() -> int:
    """Seed every device from fresh entropy; returns the seed used."""
    value = _fresh_seed()
    manual_seed(value)
    return value


def initial_seed() -> int:
    """The seed of the default CPU generator (set by ``manual_seed``, or chosen at import)."""
    return default_generator.initial_seed()


def get_rng_state() -> dict:
    """The default CPU generator's state (pass it to ``set_rng_state``)."""
    return default_generator.get_state()


def set_rng_state(state: dict) -> None:
    """Restore the default CPU generator's state from ``get_rng_state()``."""
    default_generator.set_state(state)
