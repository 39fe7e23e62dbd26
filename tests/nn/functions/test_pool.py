"""nn/functions/pool.py: the pooling kernels through ``F.*pool*`` against torch, the 2x2 fast
path against the general loop, and the window geometry."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch as mt
from minitorch.nn import functional as F  # noqa: N812
from minitorch.nn.functions.pool import PoolWindow, max_pool_backward, max_pool_forward
from tests.helpers import compare_with_torch

CASES = [  # (functional name, input shape, keyword arguments)
    ("max_pool2d", (2, 3, 8, 8), dict(kernel_size=2)),  # the 2x2 fast path
    ("max_pool2d", (2, 3, 7, 8), dict(kernel_size=3, stride=2, padding=1, dilation=(1, 2))),
    ("max_pool2d", (3, 7, 7), dict(kernel_size=2, ceil_mode=True)),
    ("max_pool1d", (2, 3, 9), dict(kernel_size=3, stride=2, padding=1)),
    ("avg_pool2d", (2, 3, 7, 6), dict(kernel_size=3, stride=2, padding=1)),
    ("avg_pool2d", (2, 3, 7, 6), dict(kernel_size=2, ceil_mode=True, count_include_pad=False)),
    ("avg_pool2d", (2, 3, 6, 6), dict(kernel_size=3, stride=1, divisor_override=4)),
    ("avg_pool1d", (2, 3, 8), dict(kernel_size=3, stride=1, padding=1)),
    ("adaptive_avg_pool2d", (2, 3, 8, 6), dict(output_size=(4, 3))),  # windows tile
    ("adaptive_avg_pool2d", (2, 3, 7, 5), dict(output_size=(3, None))),  # overlapping windows
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-{c[2]}")
def test_functional_matches_torch(case, torch, rng, device):
    name, shape, kw = case
    compare_with_torch(getattr(F, name), getattr(torch.nn.functional, name),
                       [rng.standard_normal(shape)], device=device,
                       call=lambda f, x: f(x, **kw))  # fmt: skip


@pytest.mark.parametrize("case", CASES[1::2], ids=lambda c: f"{c[0]}-{c[2]}")
def test_gradcheck(case, rng):
    name, shape, kw = case
    assert mt.gradcheck(lambda x: getattr(F, name)(x, **kw), rng.standard_normal(shape))


def test_2x2_fast_path_equals_the_general_loop(rng):
    """Also with ties (values on a coarse grid): both send the gradient to the first maximum."""
    x = rng.integers(0, 3, (2, 3, 6, 8)).astype(np.float64)
    window = PoolWindow("MaxPool2d", 2, 2)
    y_fast, _, saved_fast = max_pool_forward(window, x, True, False)
    y_loop, _, saved_loop = max_pool_forward(window, x, True, True)  # indices: general loop
    assert len(saved_fast) == 3 and len(saved_loop) > 3
    np.testing.assert_array_equal(y_fast, y_loop)
    dy = rng.standard_normal(y_fast.shape)
    np.testing.assert_array_equal(
        max_pool_backward(window, dy, saved_fast), max_pool_backward(window, dy, saved_loop)
    )


def test_window_geometry():
    window = PoolWindow("MaxPool1d", 1, 3, stride=2, padding=1, ceil_mode=True)
    assert (window.kernel, window.stride) == ((3,), (2,))
    assert (window.padding, window.dilation) == ((1,), (1,))
    x4, batched, out_hw, pads, k, s, dl = window.geometry(np.zeros((4, 8)))
    assert x4.shape == (1, 4, 1, 8) and not batched
    assert out_hw == (1, 5) and k == (1, 3) and s == (1, 2) and dl == (1, 1)
    assert pads == (0, 0, 1, 2)  # ceil_mode: the last window hangs one past the padding
    assert PoolWindow("AvgPool2d", 2, (2, 3)).stride == (2, 3)  # stride defaults to the kernel
    with pytest.raises(ValueError, match="at most half the kernel"):
        PoolWindow("MaxPool2d", 2, 2, padding=2)
