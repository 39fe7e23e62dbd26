"""Samplers: the order in which ``DataLoader`` visits a dataset, as ``torch.utils.data``.

``SequentialSampler``, ``RandomSampler``, ``SubsetRandomSampler``, ``WeightedRandomSampler`` and
``BatchSampler`` take PyTorch's arguments and give the same kind of stream (valid permutations,
draws with PyTorch's distribution), but not PyTorch's numbers: the draws come from minitorch's
generator (``mt.Generator`` or the global stream ``mt.manual_seed`` seeds), not torch's.

The built-in samplers draw a whole epoch as one index array (``index_array()``), so a
``BatchSampler`` over them hands out slices of it without any per-index Python work.
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Iterator, Sequence

from minitorch.backend import dtypes, numpy_backend

CHUNK = 1 << 20  # indices drawn at a time by a sampler whose pass may be too long to hold

__all__ = [
    "ArraySampler",
    "BatchSampler",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "SubsetRandomSampler",
    "WeightedRandomSampler",
]


def random_source(generator: Any) -> Any:
    """The NumPy ``Generator`` to draw from: ``generator.rng`` of an ``mt.Generator``, else the
    global host stream (read at draw time, since ``mt.manual_seed`` replaces it)."""
    source = numpy_backend() if generator is None else generator
    rng = getattr(source, "rng", None)
    if rng is None:
        raise TypeError(
            f"generator must be an mt.Generator (mt.Generator().manual_seed(0)) or None, "
            f"got {type(generator).__name__}"
        )
    return rng


class Sampler:
    """Base class of samplers: ``__iter__`` yields dataset indices, ``__len__`` their count."""

    def __init__(self, data_source: Any = None) -> None:
        pass  # PyTorch accepts (and ignores) data_source here too

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError(f"{type(self).__name__} must define __iter__")


class ArraySampler(Sampler):
    """A sampler that draws a whole pass at once: subclasses define ``index_array()``.

    Shape: ``index_array()`` -> (len(self),) int64 indices.
    """

    def index_array(self) -> Any:
        """The indices of one pass, as one int64 array."""
        raise NotImplementedError(f"{type(self).__name__} must define index_array")

    def index_chunks(self) -> Iterator[Any]:
        """The pass as consecutive index arrays (one by default; a sampler whose pass can be
        too long to hold, such as draws with replacement, yields it in pieces)."""
        yield self.index_array()

    def __iter__(self) -> Iterator[int]:
        for chunk in self.index_chunks():
            yield from chunk.tolist()


class SequentialSampler(ArraySampler):
    """Indices ``0, 1, ..., len(data_source) - 1``, in order."""

    def __init__(self, data_source: Any) -> None:
        self.data_source = data_source

    def index_array(self) -> Any:
        return numpy_backend().xp.arange(len(self.data_source))

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(ArraySampler):
    """Random indices: a fresh permutation at every pass, or draws with replacement.

    ``num_samples`` (default ``len(data_source)``) indices per pass; without replacement more
    than ``len(data_source)`` come as several permutations one after the other, as in PyTorch.
    Drawn from ``generator`` (an ``mt.Generator``), else from the global ``mt.manual_seed``
    stream, so a seed fixes every epoch's order (torch's numbers differ: another RNG).
    """

    def __init__(
        self,
        data_source: Any,
        replacement: bool = False,
        num_samples: int | None = None,
        generator: Any = None,
    ) -> None:
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(replacement, bool):
            raise TypeError(
                f"replacement should be a boolean value, but got replacement={replacement}"
            )
        n = self.num_samples
        if isinstance(n, bool) or not isinstance(n, int) or n <= 0:
            raise ValueError(
                f"num_samples should be a positive integer value, but got num_samples={n}"
            )

    @property
    def num_samples(self) -> int:
        """The number of indices a pass draws (the dataset's length unless given)."""
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def index_array(self) -> Any:
        rng, n, k = random_source(self.generator), len(self.data_source), self.num_samples
        if self.replacement:
            return rng.integers(0, n, size=k)
        if k == n:
            return rng.permutation(n)
        xp = numpy_backend().xp
        parts = [rng.permutation(n) for _ in range(k // n)]
        return xp.concatenate([*parts, rng.permutation(n)[: k % n]])

    def index_chunks(self) -> Iterator[Any]:
        """Draws with replacement come CHUNK at a time, so ``num_samples`` may be huge (minGPT
        uses 1e10, which PyTorch also draws lazily); a permutation pass comes whole."""
        if not self.replacement or self.num_samples <= CHUNK:
            yield self.index_array()
            return
        rng, n = random_source(self.generator), len(self.data_source)
        for start in range(0, self.num_samples, CHUNK):
            yield rng.integers(0, n, size=min(CHUNK, self.num_samples - start))

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(ArraySampler):
    """The given ``indices`` in a new random order at each pass (no replacement)."""

    def __init__(self, indices: Sequence[int], generator: Any = None) -> None:
        self.indices = indices
        self.generator = generator

    def index_array(self) -> Any:
        order = random_source(self.generator).permutation(len(self.indices))
        return numpy_backend().asarray(self.indices, dtype=dtypes.int64)[order]

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(ArraySampler):
    """``num_samples`` indices, index ``i`` drawn with probability ``w_i / sum(w)``.

    Without replacement an index is drawn at most once per pass (successive draws without
    replacement, as ``torch.multinomial``; done in one vectorised step by exponential races).
    Shape: weights (N,) non-negative -> ``num_samples`` indices in ``[0, N)``.
    """

    def __init__(
        self,
        weights: Sequence[float],
        num_samples: int,
        replacement: bool = True,
        generator: Any = None,
    ) -> None:
        if isinstance(num_samples, bool) or not isinstance(num_samples, int) or num_samples <= 0:
            raise ValueError(
                f"num_samples should be a positive integer value, but got "
                f"num_samples={num_samples}"
            )
        if not isinstance(replacement, bool):
            raise ValueError(
                f"replacement should be a boolean value, but got replacement={replacement}"
            )
        xp = numpy_backend().xp
        w = numpy_backend().asarray(getattr(weights, "array", weights), dtype=dtypes.float64)
        if w.ndim != 1:
            raise ValueError(
                f"weights should be a 1d sequence but given weights have shape {tuple(w.shape)}"
            )
        if not (xp.isfinite(w).all() and (w >= 0).all()) or w.sum() <= 0:
            raise RuntimeError(
                "WeightedRandomSampler: invalid multinomial distribution: weights must be finite, "
                "non-negative and not all zero"
            )
        if not replacement and num_samples > int((w > 0).sum()):
            raise RuntimeError(
                f"WeightedRandomSampler: cannot sample num_samples={num_samples} > "
                f"{int((w > 0).sum())} indices of non-zero weight without replacement"
            )
        self.weights, self.num_samples = w, num_samples
        self.replacement, self.generator = replacement, generator

    def index_array(self) -> Any:
        xp, rng = numpy_backend().xp, random_source(self.generator)
        w, k = self.weights, self.num_samples
        if self.replacement:
            cdf = xp.cumsum(w)
            u = rng.random(k) * cdf[-1]
            last = int(xp.flatnonzero(w)[-1])  # u may round up to the total
            return xp.minimum(xp.searchsorted(cdf, u, side="right"), last)
        # Each index runs an exponential race of rate w_i; the k fastest come out in the order
        # of successive weighted draws without replacement (zero weights never finish).
        with xp.errstate(divide="ignore", invalid="ignore"):
            times = rng.standard_exponential(len(w)) / w
        return xp.argsort(times, kind="stable")[:k]

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler):
    """Groups the indices of ``sampler`` into lists of ``batch_size`` (the last may be shorter).

    ``list(BatchSampler(SequentialSampler(range(10)), 3, False))`` is
    ``[[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]``, as in PyTorch.
    """

    def __init__(self, sampler: Iterable[int], batch_size: int, drop_last: bool) -> None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size <= 0:
            raise ValueError(
                f"batch_size should be a positive integer value, but got batch_size={batch_size}"
            )
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler, self.batch_size, self.drop_last = sampler, batch_size, drop_last

    def __iter__(self) -> Iterator[list[int]]:
        for batch in self.index_batches():
            yield batch.tolist() if hasattr(batch, "tolist") else batch

    def index_batches(self) -> Iterator[Any]:
        """The batches as int64 index arrays when the sampler draws whole epochs (an
        ``ArraySampler`` that keeps its ``__iter__``), else as lists; what ``DataLoader`` reads."""
        sampler = self.sampler
        if isinstance(sampler, ArraySampler) and type(sampler).__iter__ in ARRAY_ITERS:
            carry = None  # indices left over from the previous chunk, short of a batch
            for chunk in sampler.index_chunks():
                if carry is not None and len(carry):
                    chunk = numpy_backend().xp.concatenate([carry, chunk])
                whole = len(chunk) - len(chunk) % self.batch_size
                yield from self._slices(chunk[:whole])
                carry = chunk[whole:]
            if carry is not None and len(carry) and not self.drop_last:
                yield carry
        else:
            yield from self._groups(sampler)

    def _slices(self, order: Any) -> Iterator[Any]:
        stop = len(order) - len(order) % self.batch_size if self.drop_last else len(order)
        for start in range(0, stop, self.batch_size):
            yield order[start : start + self.batch_size]

    def _groups(self, sampler: Iterable[int]) -> Iterator[list]:
        batch: list = []
        for index in sampler:
            batch.append(index)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self) -> int:
        n = len(self.sampler)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)


# The samplers whose iteration is exactly their index_array (BatchSampler may slice that).
ARRAY_ITERS = (ArraySampler.__iter__, SequentialSampler.__iter__)
