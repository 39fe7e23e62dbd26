"""A small classification problem and model that the ``fit`` tests train."""

import numpy as np

from minitorch import nn
from minitorch.data import TensorDataset


def problem(n=64, seed=0):
    """``n`` points in 4-D, labelled by the sign of ``x0 + x1``, with one-hot targets."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 4)).astype(np.float32)
    labels = (x[:, 0] + x[:, 1] > 0).astype(np.int64)
    onehot = np.eye(2, dtype=np.float32)[labels]
    return TensorDataset(x, onehot)


def small_model():
    return nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 2))
