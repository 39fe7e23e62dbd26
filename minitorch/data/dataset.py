"""Datasets: ``Dataset``, ``IterableDataset``, ``TensorDataset``, ``Subset``, ``ConcatDataset``,
``ChainDataset``, ``random_split``.

A map-style dataset has ``__getitem__(i)`` (one sample) and ``__len__``; an iterable-style one
(``IterableDataset``) has ``__iter__``. A dataset backed by arrays may also define
``get_batch(indices)``: for an integer index array, the batch ``default_collate`` would make of
those samples, with one fancy-indexing call per tensor instead of one Python call per sample.
``DataLoader`` uses it whenever no ``collate_fn`` is given.
"""

from __future__ import annotations

import bisect
import itertools
import math
import warnings
from typing import Any, Iterable, Iterator, Sequence

from minitorch.autograd import Tensor
from minitorch.backend import get_backend, numpy_backend
from minitorch.data.sampler import random_source

__all__ = [
    "ChainDataset",
    "ConcatDataset",
    "Dataset",
    "IterableDataset",
    "Subset",
    "TensorDataset",
    "random_split",
]


class Dataset:
    """Base class of map-style datasets: subclasses define ``__getitem__`` and ``__len__``."""

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must define __len__")

    def __add__(self, other: Dataset) -> ConcatDataset:
        return ConcatDataset([self, other])


class IterableDataset(Dataset):
    """Base class of iterable-style datasets (streams): subclasses define ``__iter__``.

    With ``DataLoader(num_workers=N)`` each worker iterates its own copy of the dataset; use
    ``get_worker_info()`` inside ``__iter__`` (or in ``worker_init_fn``) to give each copy its
    share, else every sample comes N times, as in PyTorch.
    """

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError(f"{type(self).__name__} must define __iter__")

    def __len__(self) -> int:
        # A TypeError, as len() of an object without __len__ (list(loader) relies on that).
        raise TypeError(
            f"object of type '{type(self).__name__}' has no len(): an IterableDataset has a "
            "length only if it defines __len__"
        )

    def __add__(self, other: Dataset) -> ChainDataset:
        return ChainDataset([self, other])


class TensorDataset(Dataset):
    """Samples are the rows of tensors sharing their first dimension: ``ds[i] = (x[i], y[i])``.

    Shape: each tensor (N, *) -> each sample a tuple of (*) tensors; a batch a tuple of (B, *).
    """

    def __init__(self, *tensors: Any) -> None:
        if not tensors:
            raise ValueError("TensorDataset needs at least one tensor")
        tensors = tuple(t if isinstance(t, Tensor) else Tensor(t) for t in tensors)
        sizes = [t.shape[0] if t.ndim else None for t in tensors]
        if None in sizes or len(set(sizes)) != 1:
            shapes = ", ".join(str(tuple(t.shape)) for t in tensors)
            raise ValueError(
                f"TensorDataset: all tensors must have the same size in the first dimension, "
                f"got shapes {shapes}"
            )
        self.tensors = tensors

    def __getitem__(self, index: int) -> tuple:
        return tuple(Tensor(t.array[index]) for t in self.tensors)

    def get_batch(self, indices: Any) -> list:
        """``[x[indices], y[indices], ...]``: one gather per tensor, on the tensor's device (a
        list, as ``default_collate`` makes of tuple samples)."""
        out = []
        for t in self.tensors:
            backend = get_backend(t.array)
            out.append(Tensor(t.array[backend.asarray(indices)]))
        return out

    def __len__(self) -> int:
        return self.tensors[0].shape[0]


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order."""

    def __init__(self, dataset: Dataset, indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, list):
            return [self.dataset[self.indices[i]] for i in index]
        return self.dataset[self.indices[index]]

    def __getitems__(self, indices: list) -> list:
        """The samples at ``indices`` (what ``DataLoader`` asks for a batch), as PyTorch."""
        if callable(getattr(self.dataset, "__getitems__", None)):
            return self.dataset.__getitems__([self.indices[i] for i in indices])
        return [self.dataset[self.indices[i]] for i in indices]

    def __len__(self) -> int:
        return len(self.indices)

    def __getattr__(self, name: str) -> Any:
        # Offer get_batch only when the wrapped dataset has one (DataLoader checks with hasattr).
        if name == "get_batch" and hasattr(self.__dict__.get("dataset"), "get_batch"):
            return self._get_batch
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _get_batch(self, indices: Any) -> Any:
        mapped = numpy_backend().xp.asarray(self.indices)[numpy_backend().xp.asarray(indices)]
        return self.dataset.get_batch(mapped)


class ConcatDataset(Dataset):
    """Several datasets one after the other."""

    def __init__(self, datasets: Sequence[Dataset]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:
            raise ValueError("ConcatDataset needs at least one dataset")
        for d in self.datasets:
            if isinstance(d, IterableDataset):
                raise TypeError(
                    "ConcatDataset does not support IterableDataset; use ChainDataset for streams"
                )
        self.cumulative_sizes = []
        total = 0
        for d in self.datasets:
            total += len(d)
            self.cumulative_sizes.append(total)

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, index: int) -> Any:
        if index < 0:
            if -index > len(self):
                raise IndexError(f"index {index} out of range for a dataset of length {len(self)}")
            index += len(self)
        which = bisect.bisect_right(self.cumulative_sizes, index)
        if which == len(self.datasets):
            raise IndexError(f"index {index} out of range for a dataset of length {len(self)}")
        start = self.cumulative_sizes[which - 1] if which else 0
        return self.datasets[which][index - start]


class ChainDataset(IterableDataset):
    """Several iterable datasets one after the other (the streams chained)."""

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = datasets

    def __iter__(self) -> Iterator[Any]:
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise TypeError(
                    f"ChainDataset only supports IterableDataset, got {type(d).__name__}"
                )
            yield from d

    def __len__(self) -> int:
        return sum(len(d) for d in self.datasets)


def random_split(
    dataset: Dataset, lengths: Sequence[float], generator: Any = None
) -> list[Subset]:
    """Split ``dataset`` at random into non-overlapping ``Subset``s of the given lengths.

    ``lengths`` are sizes summing to ``len(dataset)``, or fractions summing to 1: each split
    gets ``floor(len * fraction)`` and the rest goes one sample at a time to the first splits, as
    in PyTorch. The order is drawn from ``generator`` (an ``mt.Generator``) or else the global
    ``mt.manual_seed`` stream; the same seed gives the same split every time (torch's split for
    the same seed differs: another RNG).
    """
    n = len(dataset)
    lengths = list(lengths)
    if lengths and math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        sizes = []
        for i, frac in enumerate(lengths):
            if frac < 0 or frac > 1:
                raise ValueError(f"Fraction at index {i} is not between 0 and 1")
            sizes.append(math.floor(n * frac))
        for i in range(n - sum(sizes)):
            sizes[i % len(sizes)] += 1
        lengths = sizes
        for i, length in enumerate(lengths):
            if length == 0:
                warnings.warn(
                    f"Length of split at index {i} is 0. This might result in an empty dataset.",
                    stacklevel=2,
                )
    if any(int(x) != x or x < 0 for x in lengths) or sum(lengths) != n:
        raise ValueError(
            f"Sum of input lengths does not equal the length of the input dataset! random_split "
            f"got lengths {lengths} for a dataset of length {n}: pass non-negative sizes summing "
            f"to {n} or fractions summing to 1"
        )
    order = random_source(generator).permutation(n).tolist()
    ends = list(itertools.accumulate(int(x) for x in lengths))
    return [Subset(dataset, order[end - int(x) : end]) for end, x in zip(ends, lengths)]
