"""nn/functions/conv.py: ``ConvSpec`` (both GEMM layouts) and ``F.conv1d/conv2d/conv_transpose2d``
against torch, with the weight and bias gradients, and the layers' kernel."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from minitorch.nn import functional as F  # noqa: N812
from minitorch.nn.functions.conv import ConvSpec, conv_spec
from tests.helpers import compare_with_torch
from tests.nn.functions.twins import assert_layer_equals_functional

CASES = [  # (functional name, x shape, weight shape, keyword arguments)
    ("conv2d", (2, 3, 7, 6), (4, 3, 3, 3), dict(stride=2, padding=1)),
    ("conv2d", (2, 4, 6, 6), (6, 2, 3, 2), dict(stride=(2, 1), padding=(1, 0), groups=2)),
    ("conv2d", (2, 2, 7, 7), (3, 2, 3, 3), dict(dilation=2, padding="same")),
    ("conv2d", (2, 4, 6, 6), (6, 4, 5, 5), dict(padding=2)),  # the row-window layout
    ("conv1d", (2, 4, 9), (2, 2, 3), dict(stride=3, padding=1, dilation=2, groups=2)),
    ("conv1d", (3, 9), (4, 3, 3), dict(padding="same")),  # unbatched
    ("conv_transpose2d", (2, 4, 3, 4), (4, 3, 3, 3), dict(stride=2, padding=1, output_padding=1)),
    ("conv_transpose2d", (2, 4, 3, 3), (4, 1, 2, 3), dict(stride=(3, 1), groups=2)),
]


def _id(case: tuple) -> str:
    return f"{case[0]}-{case[3]}"


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_functional_matches_torch_with_weight_and_bias_grads(case, torch, rng, device):
    name, x_shape, w_shape, kw = case
    bias = w_shape[1] * kw.get("groups", 1) if name.startswith("conv_transpose") else w_shape[0]
    arrays = [rng.standard_normal(s) for s in (x_shape, w_shape, (bias,))]
    compare_with_torch(getattr(F, name), getattr(torch.nn.functional, name), arrays,
                       device=device, call=lambda f, x, w, b: f(x, w, b, **kw))  # fmt: skip


@pytest.mark.parametrize("case", CASES[::2], ids=_id)
def test_functional_gradcheck_input_weight_bias(case, rng):
    name, x_shape, w_shape, kw = case
    bias = w_shape[1] * kw.get("groups", 1) if name.startswith("conv_transpose") else w_shape[0]
    x, w, b = (rng.standard_normal(s) for s in (x_shape, w_shape, (bias,)))
    fn = getattr(F, name)
    assert mt.gradcheck(lambda x, w, b: fn(x, w, b, **kw), x, w, b)


@pytest.mark.parametrize(
    "layer, x_shape, functional",
    [
        (nn.Conv2d(3, 4, 3, stride=2, padding=1), (2, 3, 7, 6),
         lambda x, m: F.conv2d(x, m.weight, m.bias, stride=2, padding=1)),
        (nn.Conv2d(4, 6, 5, padding=2, bias=False), (2, 4, 6, 6),
         lambda x, m: F.conv2d(x, m.weight, None, padding=2)),
        (nn.Conv1d(4, 2, 3, dilation=2, groups=2), (2, 4, 9),
         lambda x, m: F.conv1d(x, m.weight, m.bias, dilation=2, groups=2)),
        (nn.ConvTranspose2d(2, 4, 3, stride=2, output_padding=1), (2, 2, 3, 4),
         lambda x, m: F.conv_transpose2d(x, m.weight, m.bias, stride=2, output_padding=1)),
    ],
    ids=["conv2d", "conv2d-rows", "conv1d", "conv_transpose2d"],
)  # fmt: skip
def test_layer_and_functional_form_run_one_kernel(layer, x_shape, functional, rng, device):
    assert_layer_equals_functional(layer, functional, rng.standard_normal(x_shape), device)


class _Im2colOnly(ConvSpec):
    def by_rows(self, c: int, o: int, kernel: tuple) -> bool:
        return False


@pytest.mark.parametrize("kernel, padding", [((5, 5), 2), ((3, 3), (1, 0)), ((4, 3), 0)])
def test_row_windows_equal_im2col(kernel, padding, rng):
    """Both GEMM layouts of a stride-1 convolution give the same output and gradients."""
    x = rng.standard_normal((2, 4, 7, 6))
    W = rng.standard_normal((6, 4, *kernel))
    b = rng.standard_normal(6)
    rows = conv_spec("conv2d", 2, kernel, padding=padding)
    cols = _Im2colOnly(2, rows.stride, rows.pads, rows.dilation, rows.groups)
    assert rows.by_rows(4, 6, kernel) and not cols.by_rows(4, 6, kernel)
    y1, saved1 = rows.forward("conv2d", x, W, b, True)
    y2, saved2 = cols.forward("conv2d", x, W, b, True)
    np.testing.assert_allclose(y1, y2, rtol=0, atol=1e-12)
    dy = rng.standard_normal(y1.shape)
    for g1, g2 in zip(rows.backward(dy, W, saved1, (True,) * 3),
                      cols.backward(dy, W, saved2, (True,) * 3)):  # fmt: skip
        np.testing.assert_allclose(g1, g2, rtol=0, atol=1e-12)


def test_backward_computes_only_what_is_needed(rng):
    spec = conv_spec("conv2d", 2, (3, 3), padding=1)
    x, W = rng.standard_normal((1, 2, 5, 5)), rng.standard_normal((3, 2, 3, 3))
    y, saved = spec.forward("conv2d", x, W, None, keep=False)  # no weight gradient wanted
    dx, dW, db = spec.backward(np.ones_like(y), W, saved, (True, False, False))
    assert dx.shape == x.shape and dW is None and db is None


def test_functional_bad_weight_is_explained():
    x = mt.tensor(np.zeros((1, 4, 5, 5)))
    with pytest.raises(ValueError, match="conv2d: weight must have 4 dims"):
        F.conv2d(x, mt.tensor(np.zeros((2, 4, 3))))
    with pytest.raises(ValueError, match="conv2d expects 3 input channels"):
        F.conv2d(x, mt.tensor(np.zeros((2, 3, 3, 3))))
