"""``DataLoader``: batches of a dataset, in order or shuffled, in this process or in workers.

``torch.utils.data.DataLoader``'s signature, defaults and argument checks. Array-backed datasets
(those with ``get_batch``, such as ``TensorDataset`` and the shipped ``Digits``) are batched with
one index array per batch; any other dataset is read sample by sample and collated.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import warnings
from typing import Any, Callable, Iterable, Iterator

from minitorch.backend import as_device, backend_for, cuda_device_count
from minitorch.data.collate import default_collate, default_convert
from minitorch.data.dataset import Dataset, IterableDataset
from minitorch.data.loader_iter import SingleProcessIter
from minitorch.data.multiprocess import MultiProcessIter
from minitorch.data.sampler import BatchSampler, RandomSampler, SequentialSampler, random_source

__all__ = ["DataLoader"]

_FROZEN = ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset", "persistent_workers")


class InfiniteConstantSampler:
    """The index stream of an iterable-style dataset: ``None`` forever (the dataset decides)."""

    def __iter__(self) -> Iterator[None]:
        while True:
            yield None


class DataLoader:
    """Iterate over ``dataset`` in batches, as ``torch.utils.data.DataLoader``.

    Shape: with ``TensorDataset(x (N, *), y (N,))`` each batch is ``[x (B, *), y (B,)]``,
    ``B = batch_size`` (the last batch smaller unless ``drop_last``).

    Args:
        batch_size: samples per batch, or ``None`` to yield single samples (no collation).
        shuffle: a new random order every pass, from ``generator`` or ``mt.manual_seed``.
        sampler / batch_sampler: the indices (or batches of indices) to visit, instead of
            ``shuffle`` (``batch_sampler`` also instead of ``batch_size`` and ``drop_last``).
        num_workers: worker processes loading batches (0: load in this process). Each worker
            seeds Python's ``random`` and minitorch with ``base_seed + id`` and NumPy's legacy
            global RNG from both, as PyTorch; batches come out in sampler order.
        collate_fn: samples -> batch (default ``default_collate``, or the dataset's
            vectorised ``get_batch`` when it has one).
        pin_memory: copy each batch's host arrays into page-locked memory (faster, asynchronous
            copies to the GPU) when CUDA is available. On the CPU there is no pinned memory to
            use; batches are returned as is (with PyTorch's warning).
        drop_last: drop the last batch when it is smaller than ``batch_size``.
        timeout: seconds to wait for a batch from the workers (0: forever); needs workers.
        worker_init_fn: called as ``worker_init_fn(worker_id)`` in each worker after seeding.
        multiprocessing_context: a start method name (``"spawn"``) or context; default: the
            platform's.
        generator: an ``mt.Generator`` for the shuffled order and the workers' base seed.
        prefetch_factor: batches each worker loads ahead (default 2 with workers).
        persistent_workers: keep the workers (and their dataset copies) between passes.
        pin_memory_device: deprecated in PyTorch and ignored (with a warning), as there.
        in_order: with workers, ``False`` hands batches out as they finish.
        device: minitorch's addition: where the batches' tensors land (``"cuda"``); ``None``
            keeps them where the dataset made them (host arrays unless the dataset is on a GPU).
    """

    def __init__(
        self,
        dataset: Dataset,
        batch_size: int | None = 1,
        shuffle: bool | None = None,
        sampler: Iterable | None = None,
        batch_sampler: Iterable | None = None,
        num_workers: int = 0,
        collate_fn: Callable[[list], Any] | None = None,
        pin_memory: bool = False,
        drop_last: bool = False,
        timeout: float = 0,
        worker_init_fn: Callable[[int], None] | None = None,
        multiprocessing_context: Any = None,
        generator: Any = None,
        *,
        prefetch_factor: int | None = None,
        persistent_workers: bool = False,
        pin_memory_device: str = "",
        in_order: bool = True,
        device: Any = None,
    ) -> None:
        if isinstance(num_workers, bool) or not isinstance(num_workers, int):
            raise TypeError(f"num_workers should be an int, but got num_workers={num_workers!r}")
        if num_workers < 0:
            raise ValueError(
                "num_workers option should be non-negative; use num_workers=0 to disable "
                "multiprocessing."
            )
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if timeout > 0 and num_workers == 0:
            raise ValueError(
                "timeout option needs num_workers > 0 (batches loaded in the main process can't "
                "time out)"
            )
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError(
                "prefetch_factor option could only be specified in multiprocessing. let "
                "num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None."
            )
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if num_workers > 0 and prefetch_factor == 0:  # PyTorch fails on this at iter()
            raise ValueError("prefetch_factor must be greater than 0 for multi-process loading")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        if generator is not None:
            random_source(generator)  # a clear TypeError now for anything but an mt.Generator
        self.is_iterable = isinstance(dataset, IterableDataset)
        if self.is_iterable:
            if shuffle not in {False, None}:
                raise ValueError(
                    f"DataLoader with IterableDataset: expected unspecified shuffle option, but "
                    f"got shuffle={shuffle}"
                )
            if sampler is not None:
                raise ValueError(
                    f"DataLoader with IterableDataset: expected unspecified sampler option, but "
                    f"got sampler={sampler}"
                )
            if batch_sampler is not None:
                raise ValueError(
                    f"DataLoader with IterableDataset: expected unspecified batch_sampler "
                    f"option, but got batch_sampler={batch_sampler}"
                )
        else:
            shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError(
                    "batch_sampler option is mutually exclusive with batch_size, shuffle, "
                    "sampler, and drop_last"
                )
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError(
                "batch_size=None option disables auto-batching and is mutually exclusive with "
                "drop_last"
            )
        if sampler is None:
            if self.is_iterable:
                sampler = InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)

        self.dataset, self.num_workers = dataset, num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory, self.pin_memory_device = pin_memory, pin_memory_device
        self.timeout, self.worker_init_fn, self.in_order = timeout, worker_init_fn, in_order
        self.multiprocessing_context = _context(multiprocessing_context, num_workers)
        self.batch_size, self.drop_last = batch_size, drop_last
        self.sampler, self.batch_sampler, self.generator = sampler, batch_sampler, generator
        auto_collation = batch_sampler is not None
        # The vectorised path: the dataset stacks whole batches itself (see Dataset.get_batch).
        self.vectorised = (
            collate_fn is None and auto_collation and hasattr(dataset, "get_batch")
        ) and not self.is_iterable
        if collate_fn is None:
            collate_fn = default_collate if auto_collation else default_convert
        self.collate_fn, self.persistent_workers = collate_fn, persistent_workers
        self.device = None if device is None else as_device(device)
        if self.device is not None:
            backend_for(self.device)  # fails now, clearly, if the device doesn't exist
        self.len_reported: int | None = None  # len(self) of an IterableDataset, once asked
        self._iterator: Any = None
        self._initialized = True
        _check_worker_number(num_workers)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _FROZEN and self.__dict__.get("_initialized"):
            raise ValueError(
                f"{name} attribute should not be set after {type(self).__name__} is initialized"
            )
        super().__setattr__(name, value)

    def __iter__(self) -> Iterator[Any]:
        if self.persistent_workers and self.num_workers > 0:
            if self._iterator is None or not self._iterator.workers_alive:
                self._iterator = MultiProcessIter(self)
            else:
                self._iterator.reset(self)
            return self._iterator
        return MultiProcessIter(self) if self.num_workers > 0 else SingleProcessIter(self)

    def __len__(self) -> int:
        if self.is_iterable:
            length = self.len_reported = len(self.dataset)
            if self.batch_size is not None:
                length = (
                    length // self.batch_size
                    if self.drop_last
                    else math.ceil(length / self.batch_size)
                )
            return length
        return len(self.batch_sampler if self.batch_sampler is not None else self.sampler)

    def pin_function(self) -> Callable[[Any], Any] | None:
        """The ``Backend.pin_memory`` that pins this loader's batches, or None (no pinning)."""
        if not self.pin_memory:
            return None
        if self.pin_memory_device:
            warnings.warn(
                "pin_memory_device is deprecated, the current accelerator will be used as the "
                f"device,ignore pin_memory_device='{self.pin_memory_device}'.",
                stacklevel=5,  # the user's `for batch in loader`
            )
        if cuda_device_count() == 0:
            warnings.warn(
                "'pin_memory' argument is set as true but no accelerator is found, then device "
                "pinned memory won't be used.",
                stacklevel=5,
            )
            return None
        return backend_for("cuda").pin_memory

    def __repr__(self) -> str:
        return (
            f"DataLoader(dataset={type(self.dataset).__name__}, batch_size={self.batch_size}, "
            f"drop_last={self.drop_last}, num_workers={self.num_workers}, device={self.device})"
        )


def _context(context: Any, num_workers: int) -> Any:
    """``multiprocessing_context`` checked as PyTorch does; a start method name -> its context."""
    if context is None:
        return None
    if num_workers == 0:
        raise ValueError(
            "multiprocessing_context can only be used with multi-process loading "
            f"(num_workers > 0), but got num_workers={num_workers}"
        )
    if isinstance(context, str):
        methods = multiprocessing.get_all_start_methods()
        if context not in methods:
            raise ValueError(
                f"multiprocessing_context option should specify a valid start method in "
                f"{methods!r}, but got multiprocessing_context={context!r}"
            )
        context = multiprocessing.get_context(context)
    if not isinstance(context, multiprocessing.context.BaseContext):
        raise TypeError(
            "multiprocessing_context option should be a valid context object or a string "
            f"specifying the start method, but got multiprocessing_context={context}"
        )
    return context


def _check_worker_number(num_workers: int) -> None:
    """PyTorch's warning when there are more workers than CPUs this process may use."""
    if num_workers == 0:
        return
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if cpus is None or num_workers > cpus:
        suggestion = (
            f"Our suggested max number of worker in current system is {cpus}, which is smaller "
            "than what this DataLoader is going to create."
            if cpus is not None
            else "DataLoader is not able to compute a suggested max number of worker in "
            "current system."
        )
        warnings.warn(
            f"This DataLoader will create {num_workers} worker processes in total. {suggestion} "
            "Please be aware that excessive worker creation might get DataLoader running slow or "
            "even freeze, lower the worker number to avoid potential slowness/freeze if "
            "necessary.",
            stacklevel=3,
        )
