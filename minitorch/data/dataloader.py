"""``DataLoader``: batches of a dataset, shuffled or in order, on a chosen device.

Array-backed datasets (those with ``get_batch``, such as ``TensorDataset`` and the shipped
``Digits``) are batched with one index array per batch; any other dataset is read sample by
sample and the samples are stacked by ``default_collate``.
"""

from __future__ import annotations

import collections.abc
import math
from typing import Any, Callable, Iterable, Iterator

from minitorch.autograd import Tensor
from minitorch.backend import as_device, backend_for, dtypes, get_backend, numpy_backend
from minitorch.data.dataset import Dataset

__all__ = [
    "BatchSampler",
    "CollateError",
    "DataLoader",
    "RandomSampler",
    "SequentialSampler",
    "default_collate",
]


class SequentialSampler:
    """Indices ``0, 1, ..., len(data_source) - 1``."""

    def __init__(self, data_source: Any) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler:
    """A fresh random permutation of the indices at every pass.

    Drawn from ``generator`` (an ``mt.Generator``) when given, else from the global stream that
    ``mt.manual_seed`` seeds, so an epoch's order is reproducible either way.
    """

    def __init__(self, data_source: Any, generator: Any = None) -> None:
        self.data_source = data_source
        self.generator = generator

    def permutation(self) -> Any:
        source = self.generator if self.generator is not None else numpy_backend()
        return source.permutation(len(self.data_source))

    def __iter__(self) -> Iterator[int]:
        return iter(self.permutation().tolist())

    def __len__(self) -> int:
        return len(self.data_source)


class BatchSampler:
    """Groups the indices of ``sampler`` into lists of ``batch_size`` (the last may be shorter)."""

    def __init__(self, sampler: Iterable[int], batch_size: int, drop_last: bool) -> None:
        _check_batch_size(batch_size, "BatchSampler")
        self.sampler, self.batch_size, self.drop_last = sampler, batch_size, drop_last

    def __iter__(self) -> Iterator[Any]:
        if isinstance(self.sampler, (SequentialSampler, RandomSampler)):
            # Whole index array at once, then slices of it: no per-index Python work.
            xp = numpy_backend().xp
            order = (
                self.sampler.permutation()
                if isinstance(self.sampler, RandomSampler)
                else xp.arange(len(self.sampler))
            )
            stop = len(order) - len(order) % self.batch_size if self.drop_last else len(order)
            for start in range(0, stop, self.batch_size):
                yield order[start : start + self.batch_size]
            return
        batch: list[int] = []
        for index in self.sampler:
            batch.append(index)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self) -> int:
        n = len(self.sampler)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)


class CollateError(ValueError):
    """Samples of one batch that can't be stacked; ``positions`` are their places in the batch."""

    def __init__(self, message: str, positions: tuple[int, int], shapes: tuple) -> None:
        super().__init__(message)
        self.positions, self.shapes = positions, shapes


def _stack(arrays: list, what: str) -> Any:
    first = arrays[0].shape
    for i, a in enumerate(arrays):
        if a.shape != first:
            raise CollateError(
                f"default_collate: {what} in a batch must all have the same shape; batch "
                f"position 0 has shape {tuple(first)} but position {i} has {tuple(a.shape)}",
                (0, i),
                (tuple(first), tuple(a.shape)),
            )
    backend = get_backend(arrays[0])
    return backend.xp.stack([backend.asarray(a) for a in arrays])


def default_collate(batch: list) -> Any:
    """Stack a list of samples into one batch, recursively, as PyTorch's ``default_collate``.

    Tensors and arrays are stacked along a new first dimension (arrays become Tensors); Python
    ints, floats and bools become int64, float64 and bool tensors; strings stay a list; tuples,
    lists, named tuples and dicts are collated field by field.
    """
    if not batch:
        raise ValueError("default_collate got an empty batch")
    first = batch[0]
    if isinstance(first, Tensor):
        return Tensor(_stack([s.array for s in batch], "tensors"))
    if hasattr(first, "__array_interface__") or hasattr(first, "__cuda_array_interface__"):
        if first.dtype.kind in "OUSV":
            raise TypeError(f"default_collate: can't batch arrays of dtype {first.dtype}")
        return Tensor(_stack(list(batch), "arrays"))
    if isinstance(first, bool):
        return Tensor(numpy_backend().asarray(batch, dtype=dtypes.bool))
    if isinstance(first, int):
        return Tensor(numpy_backend().asarray(batch, dtype=dtypes.int64))
    if isinstance(first, float):
        return Tensor(numpy_backend().asarray(batch, dtype=dtypes.float64))
    if isinstance(first, (str, bytes)):
        return list(batch)
    if isinstance(first, collections.abc.Mapping):
        return {key: default_collate([s[key] for s in batch]) for key in first}
    if isinstance(first, tuple) and hasattr(first, "_fields"):  # named tuple
        return type(first)(*(default_collate(list(f)) for f in zip(*batch, strict=True)))
    if isinstance(first, collections.abc.Sequence):
        sizes = {len(s) for s in batch}
        if len(sizes) != 1:
            raise ValueError(
                f"default_collate: each sample of a batch must have the same number of fields, "
                f"got lengths {sorted(sizes)}"
            )
        fields = [default_collate(list(f)) for f in zip(*batch, strict=True)]
        return tuple(fields) if isinstance(first, tuple) else fields
    raise TypeError(
        "default_collate: samples must be Tensors, arrays, numbers, strings, or tuples/lists/"
        f"dicts of them; got {type(first).__name__}"
    )


def _check_batch_size(batch_size: Any, who: str) -> None:
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size <= 0:
        raise ValueError(f"{who}: batch_size must be a positive integer, got {batch_size!r}")


def _to_device(batch: Any, device: Any) -> Any:
    if isinstance(batch, Tensor):
        return batch.to(device)
    if isinstance(batch, dict):
        return {k: _to_device(v, device) for k, v in batch.items()}
    if isinstance(batch, tuple) and hasattr(batch, "_fields"):
        return type(batch)(*(_to_device(v, device) for v in batch))
    if isinstance(batch, (list, tuple)):
        return type(batch)(_to_device(v, device) for v in batch)
    return batch


class DataLoader:
    """Iterate over ``dataset`` in batches, as ``torch.utils.data.DataLoader``.

    Args:
        batch_size: samples per batch (a positive int), or ``None`` to yield single samples.
        shuffle: a new random order at each pass, from ``generator`` or ``mt.manual_seed``.
        sampler: an iterable of indices (with ``__len__``) instead of ``shuffle``.
        drop_last: drop the final batch when it has fewer than ``batch_size`` samples.
        collate_fn: turns a list of samples into a batch (default: ``default_collate``, or the
            dataset's vectorised ``get_batch`` when it has one).
        generator: an ``mt.Generator`` for the shuffling order.
        device: where the batches' tensors land (``"cuda"``, ``mt.device(...)``); ``None`` keeps
            them where the dataset made them. Moving per batch is the usual choice; for a small
            dataset, putting the whole dataset on the device once is faster still.
    """

    def __init__(
        self,
        dataset: Dataset,
        batch_size: int | None = 1,
        shuffle: bool = False,
        sampler: Iterable[int] | None = None,
        drop_last: bool = False,
        collate_fn: Callable[[list], Any] | None = None,
        generator: Any = None,
        device: Any = None,
    ) -> None:
        if batch_size is not None:
            _check_batch_size(batch_size, "DataLoader")
        elif drop_last:
            raise ValueError(
                "DataLoader: batch_size=None (no batching) is incompatible with drop_last"
            )
        if sampler is not None and shuffle:
            raise ValueError("DataLoader: sampler and shuffle=True are mutually exclusive")
        if sampler is None:
            sampler = RandomSampler(dataset, generator) if shuffle else SequentialSampler(dataset)
        self.dataset = dataset
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.generator = generator
        self.collate_fn = collate_fn
        self.device = None if device is None else as_device(device)
        if self.device is not None:
            backend_for(self.device)  # fails now, clearly, if the device doesn't exist
        self.batch_sampler = (
            None if batch_size is None else BatchSampler(sampler, batch_size, drop_last)
        )

    def __len__(self) -> int:
        return len(self.sampler) if self.batch_sampler is None else len(self.batch_sampler)

    def __iter__(self) -> Iterator[Any]:
        if self.batch_sampler is None:
            for index in self.sampler:
                yield self._place(self.dataset[index])
            return
        vectorised = self.collate_fn is None and hasattr(self.dataset, "get_batch")
        for indices in self.batch_sampler:
            if vectorised:
                batch = self.dataset.get_batch(indices)
            else:
                batch = self._collate(indices)
            yield self._place(batch)

    def _collate(self, indices: Any) -> Any:
        indices = indices.tolist() if hasattr(indices, "tolist") else list(indices)
        samples = [self.dataset[i] for i in indices]
        if self.collate_fn is not None:
            return self.collate_fn(samples)
        try:
            return default_collate(samples)
        except CollateError as err:
            (a, b), (shape_a, shape_b) = err.positions, err.shapes
            raise ValueError(
                f"DataLoader: samples of {type(self.dataset).__name__} have inconsistent shapes "
                f"and can't be stacked into a batch: sample {indices[a]} has shape {shape_a} but "
                f"sample {indices[b]} has {shape_b}. Make the dataset return equal shapes (crop "
                "or pad), or pass a collate_fn that handles them."
            ) from err

    def _place(self, batch: Any) -> Any:
        return batch if self.device is None else _to_device(batch, self.device)

    def __repr__(self) -> str:
        return (
            f"DataLoader(dataset={type(self.dataset).__name__}, batch_size={self.batch_size}, "
            f"drop_last={self.drop_last}, device={self.device})"
        )
