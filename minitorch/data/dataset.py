"""Datasets: ``Dataset``, ``TensorDataset``, ``Subset``, ``ConcatDataset``, ``random_split``.

A map-style dataset has ``__getitem__(i)`` (one sample) and ``__len__``. A dataset backed by
arrays may also define ``get_batch(indices)``: the whole batch, already stacked, for an integer
index array. ``DataLoader`` uses it (one fancy-indexing call per tensor instead of one Python call
per sample) whenever no ``collate_fn`` is given.
"""

from __future__ import annotations

import bisect
import math
from typing import Any, Sequence

from minitorch.autograd import Tensor
from minitorch.backend import get_backend, numpy_backend

__all__ = ["ConcatDataset", "Dataset", "Subset", "TensorDataset", "random_split"]


class Dataset:
    """Base class of map-style datasets: subclasses define ``__getitem__`` and ``__len__``."""

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must define __len__")

    def __add__(self, other: Dataset) -> ConcatDataset:
        return ConcatDataset([self, other])


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

    def get_batch(self, indices: Any) -> tuple:
        """``(x[indices], y[indices], ...)``: one gather per tensor, on the tensor's device."""
        out = []
        for t in self.tensors:
            backend = get_backend(t.array)
            out.append(Tensor(t.array[backend.asarray(indices)]))
        return tuple(out)

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


def random_split(
    dataset: Dataset, lengths: Sequence[float], generator: Any = None
) -> list[Subset]:
    """Split ``dataset`` at random into non-overlapping ``Subset``s of the given lengths.

    ``lengths`` are sizes summing to ``len(dataset)``, or fractions summing to 1 (the remainder
    of the rounding goes one sample at a time to the first subsets, as in PyTorch). The order is
    drawn from ``generator`` (an ``mt.Generator``) or else the global ``mt.manual_seed`` stream.
    """
    n = len(dataset)
    lengths = list(lengths)
    if lengths and all(0 <= x <= 1 for x in lengths) and math.isclose(sum(lengths), 1):
        if sum(lengths) != n:
            sizes = [int(math.floor(n * frac)) for frac in lengths]
            for i in range(n - sum(sizes)):
                sizes[i % len(sizes)] += 1
            lengths = sizes
    if any(int(x) != x or x < 0 for x in lengths) or sum(lengths) != n:
        raise ValueError(
            f"random_split: lengths must be non-negative sizes summing to the dataset's length "
            f"({n}) or fractions summing to 1, got {lengths}"
        )
    order = (generator if generator is not None else numpy_backend()).permutation(n).tolist()
    subsets, start = [], 0
    for length in lengths:
        subsets.append(Subset(dataset, order[start : start + int(length)]))
        start += int(length)
    return subsets
