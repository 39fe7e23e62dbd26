"""``F.one_hot`` against PyTorch, and its errors."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch as mt
from minitorch.nn import functional as F  # noqa: N812


@pytest.mark.parametrize("num_classes", [-1, 5])
def test_one_hot_matches_torch(num_classes, torch):
    idx = np.array([[0, 3], [2, 2], [1, 0]])
    ours = F.one_hot(mt.tensor(idx), num_classes)
    theirs = torch.nn.functional.one_hot(torch.tensor(idx), num_classes)
    assert ours.dtype == mt.int64 and not ours.requires_grad
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_one_hot_errors():
    with pytest.raises(TypeError, match="one_hot: expected an integer"):
        F.one_hot(mt.tensor([0.0, 1.0]))
    with pytest.raises(ValueError, match="one_hot: class values must be non-negative"):
        F.one_hot(mt.tensor([0, -1]), 3)
    with pytest.raises(ValueError, match="smaller than num_classes=2, got 2"):
        F.one_hot(mt.tensor([0, 2]), 2)
    with pytest.raises(ValueError, match="cannot infer num_classes from an empty tensor"):
        F.one_hot(mt.tensor(np.zeros(0, dtype=np.int64)))
