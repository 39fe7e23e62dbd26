"""Data parallelism, as ``torch.nn.parallel``: ``DistributedDataParallel`` (over
``minitorch.distributed``)."""

from minitorch.nn.parallel.distributed import DistributedDataParallel

__all__ = ["DistributedDataParallel"]
