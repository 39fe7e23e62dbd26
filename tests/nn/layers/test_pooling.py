"""MaxPool1d/2d, AvgPool1d/2d, AdaptiveAvgPool2d and their functional forms."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from minitorch.nn import functional as F
from tests.helpers import assert_keeps_float32, compare_with_torch, to_numpy

POOL2D_GRID = [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2, padding=1),
    dict(kernel_size=(2, 3), stride=(1, 2), padding=(1, 0)),
    dict(kernel_size=3, stride=2, ceil_mode=True),
    dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
    dict(kernel_size=2, stride=1),
]


def _name(kw: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in kw.items())


@pytest.mark.parametrize(
    "kw",
    [
        *POOL2D_GRID,
        dict(kernel_size=2, dilation=2, stride=1),
        dict(kernel_size=(3, 2), dilation=(1, 2), padding=1),
    ],
    ids=_name,
)
def test_max_pool2d_matches_torch(kw, torch, rng, device):
    x = rng.standard_normal((2, 3, 9, 8))
    compare_with_torch(nn.MaxPool2d(**kw), torch.nn.MaxPool2d(**kw), [x], device=device)


@pytest.mark.parametrize("kw", POOL2D_GRID, ids=_name)
@pytest.mark.parametrize("count_include_pad", [True, False])
def test_avg_pool2d_matches_torch(kw, count_include_pad, torch, rng, device):
    x = rng.standard_normal((2, 3, 9, 8))
    pools = [m.AvgPool2d(**kw, count_include_pad=count_include_pad) for m in (nn, torch.nn)]
    compare_with_torch(*pools, [x], device=device)


@pytest.mark.parametrize("cls", ["MaxPool1d", "AvgPool1d"])
@pytest.mark.parametrize(
    "kw",
    [
        dict(kernel_size=2),
        dict(kernel_size=3, stride=2, padding=1),
        dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
    ],
    ids=_name,
)
def test_pool1d_matches_torch(cls, kw, torch, rng, device):
    x = rng.standard_normal((2, 3, 11))
    compare_with_torch(getattr(nn, cls)(**kw), getattr(torch.nn, cls)(**kw), [x], device=device)


def test_unbatched_divisor_override_and_batch_one(torch, rng):
    x = rng.standard_normal((3, 7, 6))
    compare_with_torch(nn.MaxPool2d(3, 2, 1), torch.nn.MaxPool2d(3, 2, 1), [x])
    compare_with_torch(
        nn.AvgPool2d(3, 2, 1, divisor_override=4),
        torch.nn.AvgPool2d(3, 2, 1, divisor_override=4),
        [x[None]],
    )
    compare_with_torch(nn.MaxPool1d(2), torch.nn.MaxPool1d(2), [x[0]])


@pytest.mark.parametrize("size", [1, 2, (3, 2), (4, 5), (None, 4), 7])
def test_adaptive_avg_pool2d_matches_torch(size, torch, rng, device):
    x = rng.standard_normal((2, 3, 6, 8))
    compare_with_torch(
        nn.AdaptiveAvgPool2d(size), torch.nn.AdaptiveAvgPool2d(size), [x], device=device
    )


def test_max_pool_return_indices_match_torch(torch, rng):
    x = rng.standard_normal((2, 3, 7, 8))
    for mt_pool, th_pool, data in [
        (
            nn.MaxPool2d(3, 2, 1, return_indices=True),
            torch.nn.MaxPool2d(3, 2, 1, return_indices=True),
            x,
        ),
        (
            nn.MaxPool1d(2, dilation=2, return_indices=True),
            torch.nn.MaxPool1d(2, dilation=2, return_indices=True),
            x[0],
        ),
    ]:
        y, idx = mt_pool(mt.tensor(data))
        y_t, idx_t = th_pool(torch.tensor(data))
        np.testing.assert_array_equal(to_numpy(idx), idx_t.numpy())
        np.testing.assert_array_equal(to_numpy(y), y_t.numpy())
    y, idx = F.max_pool2d(mt.tensor(x, requires_grad=True), 2, return_indices=True)
    y.sum().backward()  # the indices output carries no gradient


def test_max_pool_ties_send_gradient_to_first_maximum(torch):
    x = np.zeros((1, 1, 4, 4))
    compare_with_torch(nn.MaxPool2d(2), torch.nn.MaxPool2d(2), [x])
    compare_with_torch(nn.MaxPool2d(3, 1), torch.nn.MaxPool2d(3, 1), [x])


def test_max_pool_2x2_ties_in_every_position_match_torch(torch, rng):
    # the 2x2 / stride-2 path; small integers make ties in every arrangement of a window
    for shape in ((2, 3, 8, 6), (3, 4, 6)):
        x = rng.integers(0, 3, shape).astype(np.float64)
        compare_with_torch(nn.MaxPool2d(2), torch.nn.MaxPool2d(2), [x])
        compare_with_torch(nn.MaxPool2d(2, 2), torch.nn.MaxPool2d(2, 2), [-x])


@pytest.mark.parametrize(
    "pool",
    [
        nn.MaxPool2d(3, 2, 1),
        nn.MaxPool2d(2, 1, dilation=2),
        nn.AvgPool2d(3, 2, 1, ceil_mode=True),
        nn.AvgPool2d(2, count_include_pad=False, padding=1),
        nn.AdaptiveAvgPool2d((2, 3)),
    ],
    ids=repr,
)
def test_gradcheck(pool, rng):
    assert mt.gradcheck(pool, rng.standard_normal((2, 2, 5, 5)))


def test_gradcheck_1d(rng):
    x = rng.standard_normal((2, 2, 7))
    assert mt.gradcheck(nn.MaxPool1d(3, 2, 1), x)
    assert mt.gradcheck(nn.AvgPool1d(3, 2, 1, count_include_pad=False), x)


@pytest.mark.parametrize(
    "pool",
    [
        nn.MaxPool2d(2),
        nn.MaxPool2d(3, 2, 1),
        nn.AvgPool2d(3, 2, 1),
        nn.AvgPool1d(2),
        nn.MaxPool1d(2),
        nn.AdaptiveAvgPool2d(1),
        nn.AdaptiveAvgPool2d((3, 2)),
    ],
    ids=repr,
)
def test_keeps_float32(pool, rng, device):
    shape = (2, 3, 8) if "1d" in type(pool).__name__ else (2, 3, 6, 8)
    assert_keeps_float32(pool, rng.standard_normal(shape), device=device)


def test_functional_forms_match_layers(rng):
    x = mt.tensor(rng.standard_normal((2, 3, 8, 6)).astype(np.float32))
    pairs = [
        (F.max_pool2d(x, 3, 2, 1), nn.MaxPool2d(3, 2, 1)(x)),
        (
            F.avg_pool2d(x, 2, ceil_mode=True, count_include_pad=False),
            nn.AvgPool2d(2, ceil_mode=True, count_include_pad=False)(x),
        ),
        (F.adaptive_avg_pool2d(x, (3, 4)), nn.AdaptiveAvgPool2d((3, 4))(x)),
        (F.max_pool1d(x[0], 2), nn.MaxPool1d(2)(x[0])),
        (F.avg_pool1d(x[0], 3, 1, 1), nn.AvgPool1d(3, 1, 1)(x[0])),
    ]
    for a, b in pairs:
        np.testing.assert_array_equal(to_numpy(a), to_numpy(b))


def test_repr_and_default_stride():
    assert nn.MaxPool2d(2).stride == 2
    assert (
        repr(nn.MaxPool2d(2))
        == "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"
    )
    assert repr(nn.AdaptiveAvgPool2d((1, 1))) == "AdaptiveAvgPool2d(output_size=(1, 1))"


@pytest.mark.parametrize(
    "pool, shape, match",
    [
        (nn.MaxPool2d(2), (4, 4), r"\(N, C, H, W\)"),
        (nn.AvgPool1d(2), (1, 2, 4, 4), r"\(N, C, L\)"),
        (nn.MaxPool2d(5), (1, 1, 3, 8), "larger than the padded input"),
        (nn.AvgPool2d(4, padding=1), (1, 1, 1, 8), "larger than the padded input"),
        (nn.AdaptiveAvgPool2d(2), (2, 3, 4, 4, 4), r"\(N, C, H, W\)"),
    ],
    ids=repr,
)
def test_bad_input(pool, shape, match):
    with pytest.raises(ValueError, match=match):
        pool(mt.tensor(np.zeros(shape, np.float32)))


def test_bad_arguments():
    with pytest.raises(ValueError, match="at most half the kernel"):
        nn.MaxPool2d(2, padding=2)
    with pytest.raises(ValueError, match="stride"):
        nn.AvgPool2d(2, stride=0)
    with pytest.raises(ValueError, match="output_size"):
        nn.AdaptiveAvgPool2d((2, 0))


# --- Sequential runs ReLU -> max-pool as max-pool -> ReLU (MaxPool*.runs_first) -----------------
def _relu_pool_input(shape: tuple) -> np.ndarray:
    """Ties, zeros, -0.0, all-negative windows and a NaN: every case the two orders could split."""
    rng = np.random.default_rng(7)
    x = rng.integers(-3, 3, size=shape).astype(np.float64)  # many ties and zeros
    x.flat[::7] = -0.0
    x.flat[5] = np.nan
    x[..., :2] = -1.5  # whole windows below zero
    return x


@pytest.mark.parametrize(
    "pool",
    [dict(kw) for kw in POOL2D_GRID] + [dict(kernel_size=3, stride=1, dilation=2), None],
    ids=[_name(kw) for kw in POOL2D_GRID] + ["dilation=2", "MaxPool1d"],
)  # fmt: skip
def test_relu_then_max_pool_runs_pool_first_with_the_same_values_and_gradients(pool):
    one = nn.MaxPool1d(3, stride=2, padding=1) if pool is None else nn.MaxPool2d(**pool)
    relu = nn.ReLU()
    shape = (2, 3, 9, 8) if isinstance(one, nn.MaxPool2d) else (2, 3, 11)
    x_np = _relu_pool_input(shape)
    x, ref = mt.tensor(x_np, requires_grad=True), mt.tensor(x_np, requires_grad=True)
    y = nn.Sequential(relu, one)(x)
    expected = one(relu(ref))  # called one by one: ReLU first, as written
    assert y.grad_fn.name() == "ReLUBackward0"  # the pool ran first
    np.testing.assert_array_equal(to_numpy(y), to_numpy(expected))
    dy = np.random.default_rng(1).standard_normal(y.shape)
    dy.flat[3] = np.inf  # an inf gradient must still reach only its window's maximum
    y.backward(mt.tensor(dy))
    expected.backward(mt.tensor(dy))
    np.testing.assert_array_equal(to_numpy(x.grad), to_numpy(ref.grad))


def test_relu_then_max_pool_keeps_its_order_where_it_could_be_seen():
    x = mt.tensor(_relu_pool_input((1, 2, 4, 4)), requires_grad=True)
    seen = []
    relu = nn.ReLU()
    relu.register_forward_hook(lambda module, args, out: seen.append(out.shape))
    y = nn.Sequential(relu, nn.MaxPool2d(2))(x)
    assert seen == [(1, 2, 4, 4)] and y.grad_fn.name() == "MaxPool2dBackward0"
    y, indices = nn.Sequential(nn.ReLU(), nn.MaxPool2d(2, return_indices=True))(x)
    assert y.grad_fn.name() == "MaxPool2dBackward0" and indices.shape == y.shape
    with pytest.raises(RuntimeError, match="leaf"):  # an in-place ReLU on a leaf, as in PyTorch
        nn.Sequential(nn.ReLU(inplace=True), nn.MaxPool2d(2))(x)
    z = mt.tensor(_relu_pool_input((1, 2, 4, 4)))
    with mt.no_grad():  # in place when nothing is recorded: the caller's tensor changes
        nn.Sequential(nn.ReLU(inplace=True), nn.MaxPool2d(2))(z)
    assert float(to_numpy(z).min()) == 0.0
    with pytest.raises(TypeError, match="ReLU"):  # the first layer still refuses bool input
        nn.Sequential(nn.ReLU(), nn.MaxPool2d(2))(mt.tensor(np.ones((1, 2, 4, 4), dtype=bool)))
    h = x * 1.0  # a recorded non-leaf: the in-place ReLU works out of place and may go second
    y = nn.Sequential(nn.ReLU(inplace=True), nn.MaxPool2d(2))(h)
    assert y.grad_fn.name() == "ReLUBackward0" and float(np.nanmin(to_numpy(h))) < 0
