"""Datasets and loading, as ``torch.utils.data`` (also reachable as ``minitorch.utils.data``).

``from minitorch.data import DataLoader, Dataset, TensorDataset, random_split, Subset``; image
datasets (``Digits`` shipped in the package, ``MNIST``, ``FashionMNIST``) live in ``.datasets``.
Every submodule is imported here, so ``minitorch.utils.data.<submodule>`` can be the same module.
"""

from minitorch.data import fetch, loader_iter, multiprocess, worker
from minitorch.data.collate import default_collate, default_convert
from minitorch.data.dataloader import DataLoader
from minitorch.data.dataset import (
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    Subset,
    TensorDataset,
    random_split,
)
from minitorch.data.datasets import MNIST, Digits, FashionMNIST
from minitorch.data.distributed import DistributedSampler
from minitorch.data.sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)
from minitorch.data.worker import WorkerInfo, get_worker_info

__all__ = [
    "MNIST",
    "BatchSampler",
    "ChainDataset",
    "ConcatDataset",
    "DataLoader",
    "Dataset",
    "Digits",
    "DistributedSampler",
    "FashionMNIST",
    "IterableDataset",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "Subset",
    "SubsetRandomSampler",
    "TensorDataset",
    "WeightedRandomSampler",
    "WorkerInfo",
    "default_collate",
    "default_convert",
    "get_worker_info",
    "random_split",
]
