"""Tensor methods that draw random numbers: the in-place fills ``uniform_``, ``normal_``,
``bernoulli_``, ``random_``, ``exponential_``, and ``bernoulli()`` / ``multinomial()``.

The draws are ``sampling``'s (NumPy's / CuPy's streams, seeded by ``mt.manual_seed`` or an
``mt.Generator`` passed as ``generator=``; reproducible, but not PyTorch's numbers). The fills
follow the two paths of ``tensor_inplace.py``: written in place (and counted in the version)
outside the graph, recorded as an overwrite (no gradient to the old values) inside it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import minitorch.autograd as autograd

if TYPE_CHECKING:
    from minitorch.autograd.tensor import Tensor


def _sampling() -> Any:
    from minitorch.autograd import sampling  # sampling imports Tensor, built from this mixin

    return sampling


class RandomMethods:
    """Mixin of ``Tensor``: random fills and draws."""

    __slots__ = ()

    def _fill_random(self, op: str, values: Any) -> Tensor:
        self._check_inplace(op)
        if self._recorded():
            return self._overwrite(autograd.Tensor(values))
        return self._store(values, op, cast=True)

    def uniform_(self, a: float = 0.0, b: float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill with draws uniform on ``[a, b)``."""
        return self._fill_random("uniform_", _sampling().uniform_values(self, a, b, generator))

    def normal_(self, mean: float = 0.0, std: float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill with normal draws of mean ``mean`` and standard deviation ``std``."""
        values = _sampling().normal_values(self, mean, std, generator)
        return self._fill_random("normal_", values)

    def bernoulli_(self, p: Any = 0.5, *, generator: Any = None) -> Tensor:
        """Fill with 0/1 draws, 1 with probability ``p`` (a number or a broadcastable tensor)."""
        values = _sampling().bernoulli_values(self, p, generator)
        return self._fill_random("bernoulli_", values)

    def random_(self, from_: int | None = None, to: int | None = None, *,
                generator: Any = None) -> Tensor:  # fmt: skip
        """Fill with integers uniform on ``[from_, to)``; ``random_(to)`` is ``[0, to)``; with
        no bound, ``[0, 2**mantissa]`` for floats or ``[0, max]`` for integers."""
        values = _sampling().random_values(self, from_, to, generator)
        return self._fill_random("random_", values)

    def exponential_(self, lambd: float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill with exponential draws of rate ``lambd`` (density ``lambd * exp(-lambd x)``)."""
        values = _sampling().exponential_values(self, lambd, generator)
        return self._fill_random("exponential_", values)

    def bernoulli(self, p: Any = None, *, generator: Any = None) -> Tensor:
        """0/1 draws, 1 with probability ``self`` elementwise (or ``p``); see ``mt.bernoulli``."""
        return _sampling().bernoulli(self, p, generator=generator)

    def multinomial(self, num_samples: int, replacement: bool = False, *,
                    generator: Any = None) -> Tensor:  # fmt: skip
        """Category indices drawn from the weights in each row; see ``mt.multinomial``."""
        return _sampling().multinomial(self, num_samples, replacement, generator=generator)
