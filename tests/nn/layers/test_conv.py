"""Conv1d, Conv2d, ConvTranspose2d and their functional forms."""

from __future__ import annotations

import math

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from minitorch.nn import functional as F
from tests.helpers import assert_keeps_float32, compare_with_torch, to_numpy

CONV2D_GRID = [
    dict(in_channels=3, out_channels=4, kernel_size=3),
    dict(in_channels=3, out_channels=4, kernel_size=3, stride=2, padding=1),
    dict(in_channels=2, out_channels=3, kernel_size=(2, 3), stride=(2, 1), padding=(1, 0)),
    dict(in_channels=2, out_channels=2, kernel_size=3, dilation=2, padding=2),
    dict(in_channels=4, out_channels=6, kernel_size=3, groups=2, stride=(1, 2)),
    dict(in_channels=4, out_channels=4, kernel_size=2, groups=4, bias=False),
    dict(in_channels=2, out_channels=3, kernel_size=4, padding="same"),
    dict(in_channels=2, out_channels=3, kernel_size=(2, 3), padding="same", dilation=(1, 2)),
    dict(in_channels=2, out_channels=3, kernel_size=3, padding="valid"),
    dict(in_channels=2, out_channels=3, kernel_size=3, padding=2, padding_mode="reflect"),
    dict(in_channels=2, out_channels=3, kernel_size=3, padding=1, padding_mode="replicate"),
    dict(in_channels=2, out_channels=3, kernel_size=3, padding=(1, 2), padding_mode="circular"),
    # these two fold the kernel's columns into the GEMM (``_ConvSpec.by_rows``)
    dict(in_channels=4, out_channels=6, kernel_size=5, padding=2),
    dict(in_channels=3, out_channels=2, kernel_size=(3, 2), padding=(1, 0), bias=False),
]
CONV1D_GRID = [
    dict(in_channels=3, out_channels=4, kernel_size=3),
    dict(in_channels=4, out_channels=2, kernel_size=2, stride=3, padding=1, dilation=2, groups=2),
    dict(in_channels=2, out_channels=3, kernel_size=4, padding="same", bias=False),
    dict(in_channels=2, out_channels=3, kernel_size=3, padding=2, padding_mode="reflect"),
    dict(in_channels=6, out_channels=2, kernel_size=3, padding=1),
]
CONVT_GRID = [
    dict(in_channels=3, out_channels=2, kernel_size=3),
    dict(in_channels=2, out_channels=3, kernel_size=3, stride=2, padding=1, output_padding=1),
    dict(in_channels=4, out_channels=2, kernel_size=(2, 3), stride=(3, 1), groups=2, bias=False),
    dict(
        in_channels=2,
        out_channels=2,
        kernel_size=2,
        dilation=2,
        padding=1,
        output_padding=(1, 0),
        stride=(2, 1),
    ),
]


def _name(kw: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in kw.items() if k not in ("in_channels", "out_channels"))


@pytest.mark.parametrize("kw", CONV2D_GRID, ids=_name)
def test_conv2d_matches_torch(kw, torch, rng, device):
    x = rng.standard_normal((2, kw["in_channels"], 7, 6))
    compare_with_torch(nn.Conv2d(**kw), torch.nn.Conv2d(**kw), [x], device=device)


@pytest.mark.parametrize("kw", CONV1D_GRID, ids=_name)
def test_conv1d_matches_torch(kw, torch, rng, device):
    x = rng.standard_normal((3, kw["in_channels"], 9))
    compare_with_torch(nn.Conv1d(**kw), torch.nn.Conv1d(**kw), [x], device=device)


@pytest.mark.parametrize("kw", CONVT_GRID, ids=_name)
def test_conv_transpose2d_matches_torch(kw, torch, rng, device):
    x = rng.standard_normal((2, kw["in_channels"], 4, 5))
    compare_with_torch(
        nn.ConvTranspose2d(**kw), torch.nn.ConvTranspose2d(**kw), [x], device=device
    )


@pytest.mark.parametrize("cls", ["Conv1d", "Conv2d", "ConvTranspose2d"])
def test_unbatched_and_batch_one_match_torch(cls, torch, rng):
    shape = (3, 8) if cls == "Conv1d" else (3, 5, 6)
    for x in (rng.standard_normal(shape), rng.standard_normal((1, *shape))):
        compare_with_torch(
            getattr(nn, cls)(3, 2, 3, stride=2), getattr(torch.nn, cls)(3, 2, 3, stride=2), [x]
        )


@pytest.mark.parametrize(
    "kw",
    [CONV2D_GRID[1], CONV2D_GRID[3], CONV2D_GRID[4], CONV2D_GRID[7], CONV2D_GRID[9]],
    ids=_name,
)
def test_conv2d_gradcheck(kw, rng):
    x = rng.standard_normal((1, kw["in_channels"], 5, 5))
    assert mt.gradcheck(nn.Conv2d(**kw), x)


def test_conv1d_and_transpose_gradcheck(rng):
    assert mt.gradcheck(
        nn.Conv1d(4, 2, 3, stride=2, padding=1, groups=2), rng.standard_normal((2, 4, 7))
    )
    convt = nn.ConvTranspose2d(2, 4, 3, stride=2, padding=1, output_padding=1, groups=2)
    assert mt.gradcheck(convt, rng.standard_normal((1, 2, 3, 4)))


def test_functional_conv_gradcheck_weight_and_bias(rng):
    x, w, b = (
        mt.tensor(rng.standard_normal(s), requires_grad=True)
        for s in ((2, 4, 5, 4), (6, 2, 3, 2), (6,))
    )
    assert mt.gradcheck(
        lambda x, w, b: F.conv2d(x, w, b, stride=(2, 1), padding=1, groups=2), x, w, b
    )
    wt = mt.tensor(rng.standard_normal((4, 3, 2, 2)), requires_grad=True)
    assert mt.gradcheck(
        lambda x, w: F.conv_transpose2d(x, w, None, stride=2, output_padding=1), x, wt
    )


@pytest.mark.parametrize(
    "name, x_shape, w_shape, kw",
    [
        ("conv2d", (2, 4, 6, 5), (6, 2, 3, 3), dict(stride=2, padding=1, groups=2)),
        ("conv2d", (2, 3, 6, 5), (4, 3, 2, 3), dict(padding="same", dilation=2)),
        ("conv1d", (2, 3, 9), (4, 3, 3), dict(stride=2, padding=2, dilation=2)),
        (
            "conv_transpose2d",
            (2, 4, 3, 4),
            (4, 3, 3, 3),
            dict(stride=2, padding=1, output_padding=1, groups=1),
        ),
    ],
)
def test_functional_conv_matches_torch_with_weight_grads(name, x_shape, w_shape, kw, torch, rng):
    bias_len = w_shape[1] if name.startswith("conv_transpose") else w_shape[0]
    arrays = [
        rng.standard_normal(x_shape),
        rng.standard_normal(w_shape),
        rng.standard_normal(bias_len),
    ]
    compare_with_torch(
        getattr(F, name),
        getattr(torch.nn.functional, name),
        arrays,
        call=lambda f, x, w, b: f(x, w, b, **kw),
    )


@pytest.mark.parametrize(
    "cls, shape",
    [("Conv1d", (2, 4, 9)), ("Conv2d", (2, 4, 6, 6)), ("ConvTranspose2d", (2, 4, 3, 3))],
)
def test_keeps_float32(cls, shape, rng, device):
    layer = getattr(nn, cls)(4, 6, 3, stride=2, padding=1, groups=2)
    assert layer.weight.dtype == mt.float32
    assert_keeps_float32(layer, rng.standard_normal(shape), device=device)


def test_parameters_shapes_and_init_as_torch():
    conv = nn.Conv2d(4, 6, (3, 2), groups=2)
    assert conv.weight.shape == (6, 2, 3, 2) and conv.bias.shape == (6,)
    bound = 1 / math.sqrt(2 * 3 * 2)
    for p in (conv.weight, conv.bias):  # kaiming_uniform(a=sqrt(5)) is U(-1/sqrt(fan_in), +)
        values = to_numpy(p)
        assert np.abs(values).max() <= bound and np.abs(values).max() > 0.5 * bound
    assert nn.ConvTranspose2d(4, 6, 3, groups=2).weight.shape == (4, 3, 3, 3)
    assert nn.Conv1d(2, 3, 5, bias=False).bias is None
    assert set(dict(nn.Conv1d(2, 3, 5).named_parameters())) == {"weight", "bias"}
    assert (
        repr(nn.Conv2d(1, 16, 5, padding=2))
        == "Conv2d(1, 16, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))"
    )


def test_explicit_forward_backward_on_arrays(rng):
    conv = nn.Conv2d(2, 3, 3, padding=1).double()
    x = rng.standard_normal((2, 2, 5, 5))
    y = conv.forward(x)
    dx = conv.backward(np.ones_like(y))
    assert dx.shape == x.shape and conv.weight.grad is not None
    np.testing.assert_allclose(to_numpy(conv.bias.grad), np.full(3, 2 * 25.0))


def test_no_grad_caches_nothing(rng):
    conv = nn.Conv2d(2, 3, 3)
    x = mt.tensor(rng.standard_normal((1, 2, 5, 5)).astype(np.float32))
    with mt.no_grad():
        y = conv(x)
    assert y.grad_fn is None
    with pytest.raises(RuntimeError, match="no saved forward"):
        conv.backward(np.ones(y.shape, np.float32))  # nothing was cached for it


def test_frozen_weight_input_grad_only(torch, rng):
    conv = nn.Conv2d(2, 3, 3, stride=2).double()
    conv.weight.requires_grad_(False)
    x = mt.tensor(rng.standard_normal((2, 2, 7, 7)), requires_grad=True)
    conv(x).sum().backward()
    assert conv.weight.grad is None and conv.bias.grad is not None and x.grad.shape == x.shape


@pytest.mark.parametrize(
    "make, shape, match",
    [
        (lambda: nn.Conv2d(3, 4, 3), (2, 2, 5, 5), "3 input channels"),
        (lambda: nn.Conv2d(3, 4, 3), (5, 5), r"\(N, C, H, W\)"),
        (lambda: nn.Conv1d(3, 4, 3), (1, 2, 3, 5, 5), r"\(N, C, L\)"),
        (lambda: nn.Conv2d(3, 4, 5, padding=1), (1, 3, 2, 6), "larger than the padded input"),
        (lambda: nn.ConvTranspose2d(3, 4, 3), (1, 4, 5, 5), "3 input channels"),
    ],
)
def test_bad_input(make, shape, match):
    with pytest.raises(ValueError, match=match):
        make()(mt.tensor(np.zeros(shape, np.float32)))


def test_bad_arguments():
    with pytest.raises(ValueError, match="groups=2 must divide"):
        nn.Conv2d(3, 4, 3, groups=2)
    with pytest.raises(ValueError, match="'same' is not supported for strided"):
        nn.Conv2d(3, 4, 3, stride=2, padding="same")
    with pytest.raises(ValueError, match="padding_mode"):
        nn.Conv2d(3, 4, 3, padding_mode="mirror")
    with pytest.raises(ValueError, match="output_padding"):
        nn.ConvTranspose2d(3, 4, 3, stride=2, output_padding=2)
    with pytest.raises(ValueError, match="kernel_size"):
        nn.Conv2d(3, 4, (3, 3, 3))
    with pytest.raises(TypeError, match="dtype"):
        nn.Conv2d(3, 4, 3)(mt.tensor(np.zeros((1, 3, 5, 5))))
    with pytest.raises(ValueError, match="groups=3 must divide"):
        F.conv2d(mt.tensor(np.zeros((1, 6, 5, 5))), mt.tensor(np.zeros((4, 2, 3, 3))), groups=3)


@pytest.mark.parametrize("out_channels", [2, 40])  # the row-window GEMM and plain im2col
def test_conv2d_non_contiguous_input(out_channels, rng):
    conv = nn.Conv2d(3, out_channels, 3).double()
    x = rng.standard_normal((2, 7, 6, 3))  # NHWC, seen as NCHW through a permuted view
    view = mt.tensor(x, requires_grad=True)
    copy = mt.tensor(np.ascontiguousarray(x.transpose(0, 3, 1, 2)), requires_grad=True)
    y_view, y_copy = conv(view.permute(0, 3, 1, 2)), conv(copy)
    np.testing.assert_allclose(to_numpy(y_view), to_numpy(y_copy), rtol=1e-12, atol=1e-12)
    y_view.sum().backward()
    y_copy.sum().backward()
    np.testing.assert_allclose(
        to_numpy(view.grad).transpose(0, 3, 1, 2), to_numpy(copy.grad), rtol=1e-12, atol=1e-12
    )
