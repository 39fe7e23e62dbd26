"""The shipped 8x8 digits as NumPy arrays, the way a PyTorch user gets sklearn's ``load_digits``.

Both copies of a program (minitorch and PyTorch) read the same arrays from
``minitorch/data/digits.npz`` and convert them with their own ``torch.tensor``; nothing is
downloaded.
"""

from __future__ import annotations

from importlib import resources

import numpy as np


def load_digits(train: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(images (N, 8, 8) float32 in [0, 1], labels (N,) int64); 1,438 train or 359 test."""
    with resources.files("minitorch.data").joinpath("digits.npz").open("rb") as f:
        with np.load(f) as data:
            images, labels, test_index = data["images"], data["labels"], data["test_index"]
    test = np.zeros(len(labels), dtype=bool)
    test[test_index] = True
    keep = ~test if train else test
    return (images[keep] / 16.0).astype(np.float32), labels[keep].astype(np.int64)
