"""Flatten and Unflatten: shapes, gradients, PyTorch parity, bad input."""

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from tests.helpers import assert_keeps_float32, compare_with_torch


@pytest.mark.parametrize("args", [(), (0,), (1, 2), (-3, -2), (2, 2), (0, -1)])
def test_flatten_matches_torch(torch, device, args, rng):
    compare_with_torch(nn.Flatten(*args), torch.nn.Flatten(*args),
                       [rng.standard_normal((2, 3, 4, 5))], device=device)  # fmt: skip


@pytest.mark.parametrize(
    "dim,sizes", [(1, (3, 4)), (-1, (2, -1)), (0, (1, 2)), (2, (10,)), (1, (-1, 6))]
)
def test_unflatten_matches_torch(torch, device, dim, sizes, rng):
    compare_with_torch(nn.Unflatten(dim, sizes), torch.nn.Unflatten(dim, sizes),
                       [rng.standard_normal((2, 12, 10))], device=device)  # fmt: skip


def test_gradcheck_and_float32(rng, device):
    x = rng.standard_normal((2, 3, 2))
    assert mt.gradcheck(nn.Flatten(), x)
    assert mt.gradcheck(nn.Sequential(nn.Flatten(), nn.Unflatten(1, (2, 3))), x)
    assert_keeps_float32(nn.Flatten(0), x, device=device)
    assert_keeps_float32(nn.Unflatten(1, (1, 3)), x, device=device)


def test_shapes():
    x = mt.randn(2, 3, 4)
    assert nn.Flatten()(x).shape == (2, 12)
    assert nn.Flatten(0, 1)(x).shape == (6, 4)
    assert nn.Unflatten(2, (2, -1))(x).shape == (2, 3, 2, 2)
    assert nn.Flatten(0)(mt.tensor(3.0)).shape == (1,)


def test_flatten_bad_dims_are_explained():
    with pytest.raises(IndexError, match=r"Flatten: start_dim=1 is out of range for a 1-D input"):
        nn.Flatten()(mt.randn(3))
    with pytest.raises(ValueError, match="start_dim=2 comes after end_dim=1"):
        nn.Flatten(2, 1)(mt.randn(2, 3, 4))


def test_unflatten_bad_sizes_are_explained():
    with pytest.raises(ValueError, match=r"\(5, 2\) does not multiply to the size 12 of dim 1"):
        nn.Unflatten(1, (5, 2))(mt.randn(2, 12))
    with pytest.raises(ValueError, match="at most one -1"):
        nn.Unflatten(1, (-1, -1))
    with pytest.raises(TypeError, match="tuple or list of ints"):
        nn.Unflatten(1, 12)


def test_repr():
    assert repr(nn.Flatten()) == "Flatten(start_dim=1, end_dim=-1)"
    assert repr(nn.Unflatten(1, [2, 3])) == "Unflatten(dim=1, unflattened_size=(2, 3))"
    assert np.array_equal(nn.Flatten().forward(np.ones((2, 2, 2))), np.ones((2, 4)))
