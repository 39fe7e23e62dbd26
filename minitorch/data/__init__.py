"""Datasets and loading: ``Dataset``, ``TensorDataset``, ``DataLoader``, and ready datasets.

``from minitorch.data import DataLoader, TensorDataset`` as ``torch.utils.data``; image datasets
(``Digits`` shipped in the package, ``MNIST``, ``FashionMNIST``) live in ``.datasets``.
"""

from minitorch.data.dataloader import (
    BatchSampler,
    DataLoader,
    RandomSampler,
    SequentialSampler,
    default_collate,
)
from minitorch.data.dataset import ConcatDataset, Dataset, Subset, TensorDataset, random_split
from minitorch.data.datasets import MNIST, Digits, FashionMNIST

__all__ = [
    "MNIST",
    "BatchSampler",
    "ConcatDataset",
    "DataLoader",
    "Dataset",
    "Digits",
    "FashionMNIST",
    "RandomSampler",
    "SequentialSampler",
    "Subset",
    "TensorDataset",
    "default_collate",
    "random_split",
]
