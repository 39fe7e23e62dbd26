"""``DistributedSampler``: each rank's share of a dataset, as ``torch.utils.data.distributed``.

With ``shuffle=False`` the shares are exactly PyTorch's for the same arguments. With
``shuffle=True`` the epoch's permutation comes from minitorch's generator seeded with
``seed + epoch`` (not torch's numbers), the same on every rank, so the shares never overlap.
"""

from __future__ import annotations

import math
from typing import Any

from minitorch.backend import numpy_backend
from minitorch.backend.generator import Generator
from minitorch.data.sampler import ArraySampler

__all__ = ["DistributedSampler"]


class DistributedSampler(ArraySampler):
    """Indices ``rank, rank + num_replicas, ...`` of the (shuffled) dataset order.

    If the dataset does not divide evenly, the order is padded by repeating it from the start
    (every rank gets ``ceil(N / num_replicas)`` indices) or, with ``drop_last``, cut to the
    largest multiple of ``num_replicas``. ``num_replicas`` and ``rank`` default to the
    default process group's. Call ``set_epoch(epoch)`` before each epoch to reshuffle.

    Shape: ``index_array()`` -> (num_samples,) int64 indices into the dataset.
    """

    def __init__(
        self,
        dataset: Any,
        num_replicas: int | None = None,
        rank: int | None = None,
        shuffle: bool = True,
        seed: int = 0,
        drop_last: bool = False,
    ) -> None:
        if num_replicas is None or rank is None:
            from minitorch import distributed as dist

            if not dist.is_available():
                raise RuntimeError(
                    "Requires distributed package to be available (pip install mpi4py mpich), "
                    "or pass num_replicas and rank"
                )
            num_replicas = dist.get_world_size() if num_replicas is None else num_replicas
            rank = dist.get_rank() if rank is None else rank
        if isinstance(num_replicas, bool) or not isinstance(num_replicas, int) or num_replicas < 1:
            raise ValueError(f"num_replicas should be a positive integer, got {num_replicas!r}")
        if isinstance(rank, bool) or not isinstance(rank, int) or not 0 <= rank < num_replicas:
            raise ValueError(
                f"Invalid rank {rank}, rank should be in the interval [0, {num_replicas - 1}]"
            )
        self.dataset, self.num_replicas, self.rank = dataset, num_replicas, rank
        self.epoch, self.shuffle, self.seed, self.drop_last = 0, shuffle, seed, drop_last
        n = len(dataset)
        if drop_last and n % num_replicas != 0:
            self.num_samples = math.ceil((n - num_replicas) / num_replicas)
        else:
            self.num_samples = math.ceil(n / num_replicas)
        self.total_size = self.num_samples * num_replicas

    def index_array(self) -> Any:
        n = len(self.dataset)
        if self.shuffle:
            order = Generator().manual_seed(self.seed + self.epoch).permutation(n)
        else:
            order = numpy_backend().xp.arange(n)
        if self.total_size > n:
            order = numpy_backend().xp.resize(order, self.total_size)  # repeats from the start
        return order[self.rank : self.total_size : self.num_replicas]

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """Use epoch ``epoch``'s order (the same on every rank) in the next pass."""
        self.epoch = epoch
