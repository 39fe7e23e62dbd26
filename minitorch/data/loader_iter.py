"""What ``iter(DataLoader)`` returns without workers (``SingleProcessIter``), and the part every
loader iterator shares (``BaseIter``): the epoch's index stream, the base seed, pinning and the
move to the loader's device.
"""

from __future__ import annotations

import warnings
from typing import Any, Iterator

from minitorch.autograd import Tensor
from minitorch.data.collate import map_structure
from minitorch.data.fetch import make_fetcher
from minitorch.data.sampler import BatchSampler, random_source

__all__ = ["BaseIter", "SingleProcessIter", "finish_batch"]


def finish_batch(batch: Any, pin: Any, device: Any) -> Any:
    """Pin the host arrays of ``batch``'s Tensors (``pin``: a ``Backend.pin_memory``, or None),
    then move its Tensors to ``device`` (None: leave them where they are)."""
    if pin is not None:
        batch = map_structure(lambda t: Tensor(pin(t.array)), batch)
    if device is not None:
        batch = map_structure(lambda t: t.to(device), batch)
    return batch


class BaseIter:
    """One pass over a ``DataLoader`` (several, for persistent workers: see ``reset``).

    Copies what it needs from the loader (it keeps no reference to it, so deleting the loader
    frees the iterator and its workers). ``base_seed`` is drawn at creation from the loader's
    generator or the global stream, as PyTorch, with or without workers, so a seed gives the
    same shuffled order either way.
    """

    def __init__(self, loader: Any) -> None:
        self._dataset = loader.dataset
        self._iterable = loader.is_iterable
        self._auto_collation = loader.batch_sampler is not None
        self._index_sampler = loader.batch_sampler if self._auto_collation else loader.sampler
        self._drop_last = loader.drop_last
        self._collate_fn = loader.collate_fn
        self._vectorised = loader.vectorised
        self._num_workers = loader.num_workers
        self._timeout = loader.timeout
        self._persistent = loader.persistent_workers
        self._pin = loader.pin_function()
        self._device = loader.device
        self._finishing = self._pin is not None or self._device is not None
        self._dataset_len = loader.len_reported
        self._index_iter = self._indices()
        self.base_seed = int(random_source(loader.generator).integers(0, 2**63))
        self._num_yielded = 0

    def _indices(self) -> Iterator[Any]:
        """The epoch's index stream: index arrays from a plain ``BatchSampler`` (no per-index
        Python work), else whatever the sampler yields."""
        sampler = self._index_sampler
        if isinstance(sampler, BatchSampler) and type(sampler).__iter__ is BatchSampler.__iter__:
            return sampler.index_batches()
        return iter(sampler)

    def reset(self, loader: Any) -> None:
        self._index_iter = self._indices()
        self._num_yielded = 0
        self._dataset_len = loader.len_reported

    def __iter__(self) -> BaseIter:
        return self

    def __next__(self) -> Any:
        data = self._next_data()
        self._num_yielded += 1
        if self._dataset_len is not None and self._num_yielded > self._dataset_len:
            self._warn_length()
        return data

    def _next_data(self) -> Any:
        raise NotImplementedError

    def _warn_length(self) -> None:
        message = (
            f"Length of IterableDataset {self._dataset} was reported to be {self._dataset_len} "
            f"(when accessing len(dataloader)), but {self._num_yielded} samples have been "
            "fetched. "
        )
        if self._num_workers > 0:
            message += (
                "For multiprocessing data-loading, this could be caused by not properly "
                "configuring the IterableDataset replica at each worker (see get_worker_info)."
            )
        warnings.warn(message, stacklevel=3)

    def __len__(self) -> int:
        return len(self._index_sampler)

    def __getstate__(self) -> Any:
        raise TypeError(f"{type(self).__name__} cannot be pickled")


class SingleProcessIter(BaseIter):
    """Loads each batch in the calling process, when it is asked for."""

    def __init__(self, loader: Any) -> None:
        super().__init__(loader)
        self._fetch = make_fetcher(
            self._iterable,
            self._dataset,
            self._auto_collation,
            self._collate_fn,
            self._drop_last,
            self._vectorised,
        ).fetch

    def __next__(self) -> Any:  # BaseIter's, inlined: this is the per-batch hot path
        data = self._fetch(next(self._index_iter))
        if self._finishing:
            data = finish_batch(data, self._pin, self._device)
        if self._dataset_len is not None:
            self._num_yielded += 1
            if self._num_yielded > self._dataset_len:
                self._warn_length()
        return data
