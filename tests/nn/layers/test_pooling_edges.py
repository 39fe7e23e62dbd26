"""Max pooling at NaN inputs and with infinite gradients, against PyTorch (a NaN is the maximum
and the last NaN of a window wins; an inf gradient reaches only the maximum), and the adaptive
pooling layers' values, indices and functional forms."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from minitorch.nn import functional as F  # noqa: N812
from tests.helpers import compare_with_torch, to_numpy

NAN, INF = float("nan"), float("inf")

# (layer, kwargs, input shape): the 2x2 fast path, the general path, 1-d, adaptive
POOLS = [
    ("MaxPool2d", {"kernel_size": 2}, (2, 2, 4, 6)),
    ("MaxPool2d", {"kernel_size": 3, "stride": 2, "padding": 1}, (2, 2, 5, 6)),
    ("MaxPool2d", {"kernel_size": 2, "stride": 1}, (1, 2, 4, 4)),
    ("MaxPool1d", {"kernel_size": 3, "stride": 2}, (2, 3, 9)),
    ("AdaptiveMaxPool2d", {"output_size": (2, 3)}, (2, 2, 5, 7)),
    ("AdaptiveMaxPool2d", {"output_size": 2}, (2, 2, 4, 4)),
    ("AdaptiveMaxPool1d", {"output_size": 4}, (2, 3, 9)),
]
IDS = [f"{name}-{kw}" for name, kw, _ in POOLS]


def _with_nans(shape, rng):
    x = rng.standard_normal(shape)
    x.reshape(-1)[rng.choice(x.size, size=max(2, x.size // 5), replace=False)] = NAN
    return x


@pytest.mark.parametrize("name,kwargs,shape", POOLS, ids=IDS)
def test_nan_inputs_route_the_gradient_as_torch(name, kwargs, shape, torch, rng, device):
    x = _with_nans(shape, rng)
    layer, ref = (
        getattr(nn, name)(**kwargs, return_indices=True),
        getattr(torch.nn, name)(**kwargs, return_indices=True),
    )
    xt, tt = mt.tensor(x, device=device, requires_grad=True), torch.tensor(x, requires_grad=True)
    (y, i), (y_ref, i_ref) = layer(xt), ref(tt)
    np.testing.assert_array_equal(to_numpy(i), i_ref.numpy())
    np.testing.assert_allclose(to_numpy(y), y_ref.detach().numpy(), equal_nan=True)
    dy = rng.standard_normal(tuple(y.shape))
    y.backward(mt.tensor(dy, device=device))
    y_ref.backward(torch.tensor(dy))
    np.testing.assert_allclose(to_numpy(xt.grad), tt.grad.numpy())
    # and without indices (MaxPool2d's 2x2 path keeps no indices)
    xt.grad = None
    getattr(nn, name)(**kwargs)(xt).backward(mt.tensor(dy, device=device))
    np.testing.assert_allclose(to_numpy(xt.grad), tt.grad.numpy())


@pytest.mark.parametrize("name,kwargs,shape", POOLS, ids=IDS)
def test_an_infinite_gradient_reaches_only_the_maximum(name, kwargs, shape, torch, rng, device):
    x = rng.standard_normal(shape)
    xt, tt = mt.tensor(x, device=device, requires_grad=True), torch.tensor(x, requires_grad=True)
    y, y_ref = getattr(nn, name)(**kwargs)(xt), getattr(torch.nn, name)(**kwargs)(tt)
    dy = rng.standard_normal(tuple(y.shape))
    dy.reshape(-1)[::3] = INF
    dy.reshape(-1)[1::5] = NAN
    y.backward(mt.tensor(dy, device=device))
    y_ref.backward(torch.tensor(dy))
    np.testing.assert_allclose(to_numpy(xt.grad), tt.grad.numpy(), equal_nan=True)


@pytest.mark.parametrize("size", [(2, 3), 3, (None, 2), (6, 5), 1])
def test_adaptive_max_pool2d_matches_torch(size, torch, rng, device):
    compare_with_torch(nn.AdaptiveMaxPool2d(size), torch.nn.AdaptiveMaxPool2d(size),
                       [rng.standard_normal((2, 3, 5, 4))], device=device)  # fmt: skip


@pytest.mark.parametrize("size", [3, 4, 9, 1, (5,)])
def test_adaptive_1d_pools_match_torch(size, torch, rng, device):
    for name in ("AdaptiveAvgPool1d", "AdaptiveMaxPool1d"):
        compare_with_torch(getattr(nn, name)(size), getattr(torch.nn, name)(size),
                           [rng.standard_normal((2, 3, 8))], device=device)  # fmt: skip


def test_adaptive_functional_forms(rng):
    x = mt.tensor(rng.standard_normal((2, 3, 5, 7)))
    x1 = mt.tensor(rng.standard_normal((2, 3, 7)))
    y, i = F.adaptive_max_pool2d(x, (2, 3), return_indices=True)
    z, j = nn.AdaptiveMaxPool2d((2, 3), return_indices=True)(x)
    np.testing.assert_array_equal(y.numpy(), z.numpy())
    np.testing.assert_array_equal(i.numpy(), j.numpy())
    np.testing.assert_array_equal(F.adaptive_max_pool1d(x1, 3).numpy(),
                                  nn.AdaptiveMaxPool1d(3)(x1).numpy())  # fmt: skip
    np.testing.assert_array_equal(F.adaptive_avg_pool1d(x1, 3).numpy(),
                                  nn.AdaptiveAvgPool1d(3)(x1).numpy())  # fmt: skip


def test_adaptive_output_size_is_checked():
    with pytest.raises(ValueError, match=r"AdaptiveMaxPool2d: output_size must be a positive"):
        nn.AdaptiveMaxPool2d((2, 0))
    with pytest.raises(ValueError, match=r"AdaptiveAvgPool1d: output_size must be .* 1 positive"):
        nn.AdaptiveAvgPool1d((2, 2))
    with pytest.raises(ValueError, match=r"AdaptiveMaxPool1d: output_size must be"):
        nn.AdaptiveMaxPool1d(None)


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_adaptive_average_keeps_a_nan_or_inf_in_its_own_windows(torch, value):
    """The averaging-matrix product would spread one NaN to every output (inf * 0 = NaN)."""
    x = np.arange(2 * 3 * 5 * 7, dtype=np.float64).reshape(2, 3, 5, 7)
    x[0, 1, 2, 3] = value
    cases = [
        (nn.AdaptiveAvgPool2d((3, 4)), torch.nn.AdaptiveAvgPool2d((3, 4)), x),
        (nn.AdaptiveAvgPool1d(4), torch.nn.AdaptiveAvgPool1d(4), x[:, :, 2]),
        (nn.Upsample(size=(3, 4), mode="area"), torch.nn.Upsample(size=(3, 4), mode="area"), x),
    ]
    for ours, theirs, data in cases:
        y = to_numpy(ours(mt.tensor(data)))
        expected = theirs(torch.tensor(data)).numpy()
        np.testing.assert_allclose(y, expected, rtol=1e-12)  # NaN/inf positions included
        assert np.isfinite(y).sum() == np.isfinite(expected).sum() > 0


def test_adaptive_max_pool_of_an_empty_batch(torch):
    x = mt.randn(0, 2, 5, 5, requires_grad=True)
    y = nn.AdaptiveMaxPool2d((2, 2))(x)
    y.sum().backward()
    assert tuple(y.shape) == (0, 2, 2, 2) and tuple(x.grad.shape) == (0, 2, 5, 5)
