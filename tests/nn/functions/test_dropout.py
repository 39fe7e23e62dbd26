"""nn/functions/dropout.py: inverted-dropout masks."""

from __future__ import annotations

import numpy as np

import minitorch as mt
from minitorch.nn.functions.dropout import dropout_mask


def test_mask_values_dtype_and_rate():
    x = np.zeros((200, 50), np.float32)
    mask = dropout_mask(x, 0.25, x.shape)
    assert mask.dtype == np.float32 and mask.shape == x.shape
    assert set(np.unique(mask)) <= {0.0, np.float32(1 / 0.75)}
    assert abs((mask == 0).mean() - 0.25) < 0.02
    assert not dropout_mask(x, 1.0, (3, 1)).any()
    np.testing.assert_array_equal(dropout_mask(x, 0.0, (2, 2)), 1)


def test_masks_follow_the_seed():
    x = np.zeros((4, 5))
    mt.manual_seed(3)
    a = dropout_mask(x, 0.5, x.shape)
    mt.manual_seed(3)
    np.testing.assert_array_equal(a, dropout_mask(x, 0.5, x.shape))
