"""``F.pixel_shuffle``/``F.pixel_unshuffle`` against PyTorch, each the other's inverse."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch as mt
from minitorch.nn import functional as F  # noqa: N812
from tests.helpers import compare_with_torch


@pytest.mark.parametrize("shape,r", [((2, 8, 2, 3), 2), ((9, 2, 1), 3), ((2, 1, 4, 2, 3), 2),
                                     ((1, 3, 2, 2), 1)])  # fmt: skip
def test_pixel_shuffle_and_unshuffle_match_torch(shape, r, torch, rng, device):
    x = rng.standard_normal(shape)
    compare_with_torch(
        lambda t: F.pixel_shuffle(t, r),
        lambda t: torch.nn.functional.pixel_shuffle(t, r),
        [x],
        device=device,
    )
    y = rng.standard_normal(shape[:-3] + (shape[-3], shape[-2] * r, shape[-1] * r))
    compare_with_torch(
        lambda t: F.pixel_unshuffle(t, r),
        lambda t: torch.nn.functional.pixel_unshuffle(t, r),
        [y],
        device=device,
    )
    round_trip = F.pixel_unshuffle(F.pixel_shuffle(mt.tensor(x), r), r)
    np.testing.assert_array_equal(round_trip.numpy(), x)  # fmt: skip


def test_pixel_shuffle_errors():
    with pytest.raises(ValueError, match=r"pixel_shuffle: the channel dim 6 .* upscale_factor"):
        F.pixel_shuffle(mt.zeros(1, 6, 2, 2), 2)
    with pytest.raises(ValueError, match=r"pixel_unshuffle: the spatial dims \(3, 4\)"):
        F.pixel_unshuffle(mt.zeros(1, 1, 3, 4), 2)
    with pytest.raises(ValueError, match=r"pixel_shuffle expects input of at least 3 dims"):
        F.pixel_shuffle(mt.zeros(4, 4), 2)
    with pytest.raises(ValueError, match=r"factor must be a positive int, got 0"):
        F.pixel_shuffle(mt.zeros(1, 4, 2, 2), 0)
