"""Dropout and Dropout2d: statistics (not masks), eval identity, seeding, gradients, bad p."""

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from minitorch.nn import functional as F  # noqa: N812
from tests.helpers import assert_keeps_float32, to_numpy


@pytest.mark.parametrize("p", [0.2, 0.5, 0.8])
def test_dropout_statistics(device, p):
    x = mt.ones(200, 500, device=device)
    y = to_numpy(nn.Dropout(p)(x))
    zero = y == 0
    assert abs(zero.mean() - p) < 0.01  # 100k draws: the std of the fraction is < 0.0016
    np.testing.assert_allclose(y[~zero], 1 / (1 - p), rtol=1e-6)  # inverted dropout
    assert abs(y.mean() - 1) < 0.03  # E[y] = x


def test_dropout2d_drops_whole_channels(device):
    x = mt.ones(40, 50, 3, 4, device=device)
    y = to_numpy(nn.Dropout2d(0.3)(x))
    per_channel = y.reshape(40, 50, -1)
    assert (per_channel.min(axis=2) == per_channel.max(axis=2)).all()  # all or nothing
    assert abs((per_channel[:, :, 0] == 0).mean() - 0.3) < 0.05
    assert abs(y.mean() - 1) < 0.1
    y3 = to_numpy(nn.Dropout2d(0.5)(mt.ones(8, 20, 6, device=device)))  # (N, C, L)
    assert (y3.min(axis=2) == y3.max(axis=2)).all()


def test_eval_mode_and_p_zero_are_identity(rng):
    x = mt.tensor(rng.standard_normal((4, 5)))
    layer = nn.Dropout(0.5).eval()
    assert layer(x).array is x.array
    assert nn.Dropout(0.0)(x).array is x.array
    np.testing.assert_array_equal(F.dropout(x, 0.5, training=False).numpy(), x.numpy())
    np.testing.assert_array_equal(nn.Dropout(1.0)(x).numpy(), 0)


def test_reproducible_with_manual_seed(device):
    x = mt.ones(10, 10, device=device)
    mt.manual_seed(3)
    a = to_numpy(nn.Dropout(0.5)(x))
    x4 = mt.ones(4, 6, 2, 2, device=device)
    b = to_numpy(F.dropout2d(x4, 0.5))
    mt.manual_seed(3)
    np.testing.assert_array_equal(a, to_numpy(nn.Dropout(0.5)(x)))
    np.testing.assert_array_equal(b, to_numpy(F.dropout2d(x4, 0.5)))
    assert not np.array_equal(a, to_numpy(nn.Dropout(0.5)(x)))  # the stream moves on


def test_gradient_uses_the_same_mask(rng, device):
    x = mt.tensor(rng.standard_normal((6, 7)), device=device, requires_grad=True)
    y = nn.Dropout(0.4)(x)
    y.sum().backward()
    mask = to_numpy(y.detach()) / to_numpy(x.detach())
    np.testing.assert_allclose(to_numpy(x.grad), mask, rtol=1e-12)
    assert mt.gradcheck(nn.Dropout(0.4), rng.standard_normal((3, 4)))  # same stream per call
    assert mt.gradcheck(nn.Dropout2d(0.4), rng.standard_normal((2, 3, 2, 2)))


def test_keeps_float32(rng, device):
    assert_keeps_float32(nn.Dropout(0.3), rng.standard_normal((4, 5)), device=device)
    assert_keeps_float32(nn.Dropout2d(0.3), rng.standard_normal((2, 3, 4, 5)), device=device)


def test_inplace_under_no_grad_writes_into_the_input():
    x = mt.ones(50, 50)
    with mt.no_grad():
        y = nn.Dropout(0.5, inplace=True)(x)
    assert y.array is x.array and (x.numpy() == 0).any()


@pytest.mark.parametrize("p", [-0.1, 1.5, "0.5"])
def test_bad_p_is_rejected(p):
    with pytest.raises(ValueError, match=r"Dropout: p must be a probability in \[0, 1\]"):
        nn.Dropout(p)
    with pytest.raises(ValueError, match="Dropout2d: p must be"):
        F.dropout2d(mt.ones(2, 2, 2), p)


def test_dropout2d_rejects_wrong_ndim():
    with pytest.raises(ValueError, match=r"Dropout2d: expected a 3D \(N, C, L\) or 4D"):
        nn.Dropout2d()(mt.ones(4, 5))


def test_repr():
    assert repr(nn.Dropout()) == "Dropout(p=0.5, inplace=False)"
