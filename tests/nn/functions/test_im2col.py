"""nn/functions/im2col.py: the window kernels are each other's adjoints, and sizes follow torch."""

from __future__ import annotations

import numpy as np
import pytest

from minitorch.nn.functions.im2col import (
    col2im,
    conv_padding,
    im2col,
    output_size,
    pad,
    row_col2im,
    row_windows,
    unpad,
)


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    return float((a * b).sum())


@pytest.mark.parametrize(
    "kernel, stride, dilation, groups",
    [((3, 3), (1, 1), (1, 1), 1), ((2, 3), (2, 1), (1, 2), 2), ((3, 2), (3, 2), (2, 1), 4)],
)
def test_col2im_is_the_adjoint_of_im2col(kernel, stride, dilation, groups, rng):
    xpad = rng.standard_normal((2, 4, 9, 8))
    out_hw = tuple(
        output_size(n, k, s, 0, 0, d)
        for n, k, s, d in zip(xpad.shape[2:], kernel, stride, dilation)
    )
    col = im2col(xpad, kernel, stride, dilation, out_hw, groups)
    assert col.shape == (groups, 4 // groups * kernel[0] * kernel[1], 2 * out_hw[0] * out_hw[1])
    c = rng.standard_normal(col.shape)
    back = col2im(c, xpad.shape, kernel, stride, dilation, out_hw)
    assert np.isclose(_dot(col, c), _dot(xpad, back), rtol=1e-12)


def test_row_col2im_is_the_adjoint_of_row_windows(rng):
    xpad = rng.standard_normal((2, 3, 8, 7))
    kh, ho = 3, 6
    rows = row_windows(xpad, kh, ho)
    assert rows.shape == (3 * kh, 2 * ho * 7)
    r = rng.standard_normal(rows.shape)
    assert np.isclose(_dot(rows, r), _dot(xpad, row_col2im(r, xpad.shape, ho)), rtol=1e-12)


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
def test_unpad_is_the_adjoint_of_pad(mode, rng):
    x = rng.standard_normal((2, 3, 5, 6))
    pads = (1, 2, 2, 1)
    xpad = pad(x, pads, mode=mode)
    assert xpad.shape == (2, 3, 8, 9)
    g = rng.standard_normal(xpad.shape)
    assert np.isclose(_dot(xpad, g), _dot(x, unpad(g, pads, x.shape[2:], mode)), rtol=1e-12)


def test_pad_matches_torch_modes(torch, rng):
    x = rng.standard_normal((1, 2, 4, 5))
    for mode, th in (("reflect", "reflect"), ("replicate", "replicate"), ("circular", "circular")):
        ref = torch.nn.functional.pad(torch.tensor(x), (2, 1, 1, 2), mode=th).numpy()
        np.testing.assert_array_equal(pad(x, (1, 2, 2, 1), mode=mode), ref)


@pytest.mark.parametrize("ceil_mode", [False, True])
def test_output_size_follows_torch(ceil_mode, torch):
    for size, k, s, p, d in [(7, 3, 2, 1, 1), (8, 2, 3, 0, 1), (10, 3, 3, 1, 2), (5, 2, 2, 1, 1)]:
        ref = torch.nn.functional.max_pool1d(
            torch.zeros(1, 1, size), k, s, p, d, ceil_mode=ceil_mode
        ).shape[-1]
        assert output_size(size, k, s, p, p, d, ceil_mode) == ref


def test_conv_padding_same_puts_the_odd_one_last():
    assert conv_padding("conv2d", "same", (4, 3), (1, 1), (1, 2)) == (1, 2, 2, 2)
    assert conv_padding("conv1d", 2, (3,), (1,), (1,)) == (0, 0, 2, 2)
    with pytest.raises(ValueError, match="strided"):
        conv_padding("conv2d", "same", (3, 3), (2, 1), (1, 1))
