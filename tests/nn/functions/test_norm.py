"""nn/functions/norm.py: ``F.layer_norm``, ``F.group_norm`` and ``F.batch_norm`` against torch with
weight and bias gradients, gradchecks, the layers' kernel, and the channel-sum kernel."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from minitorch.nn import functional as F  # noqa: N812
from minitorch.nn.functions.norm import channel_sum, per_channel
from tests.helpers import compare_with_torch, to_numpy
from tests.nn.functions.twins import assert_layer_equals_functional


def _randomise(layer: nn.Module, rng: np.random.Generator) -> nn.Module:
    for p in layer.parameters():
        p.array[...] = rng.standard_normal(p.shape)
    return layer


@pytest.mark.parametrize("shape", [(5,), (3, 5)])
def test_layer_norm_matches_torch_with_weight_and_bias_grads(shape, torch, rng, device):
    x, w, b = (rng.standard_normal(s) for s in ((2, 4, *shape), shape, shape))
    compare_with_torch(F.layer_norm, torch.nn.functional.layer_norm, [x, w, b], device=device,
                       call=lambda f, x, w, b: f(x, shape, w, b, eps=1e-3))  # fmt: skip


def test_group_norm_matches_torch_with_weight_and_bias_grads(torch, rng, device):
    x, w, b = (rng.standard_normal(s) for s in ((3, 6, 2, 4), (6,), (6,)))
    compare_with_torch(F.group_norm, torch.nn.functional.group_norm, [x, w, b], device=device,
                       call=lambda f, x, w, b: f(x, 3, w, b))  # fmt: skip


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("shape", [(6, 3), (4, 3, 5), (2, 3, 4, 4)])
def test_batch_norm_matches_torch_with_weight_and_bias_grads(shape, training, torch, rng,
                                                             device):  # fmt: skip
    x, w, b = (rng.standard_normal(s) for s in (shape, (3,), (3,)))
    mean, var = rng.standard_normal(3), rng.random(3) + 0.5
    mine = (mt.tensor(mean, device=device), mt.tensor(var, device=device))
    theirs = (torch.tensor(mean), torch.tensor(var))

    def call(f, x, w, b):
        stats = mine if f is F.batch_norm else theirs
        return f(x, *stats, w, b, training=training, momentum=0.3, eps=1e-4)

    compare_with_torch(F.batch_norm, torch.nn.functional.batch_norm, [x, w, b], device=device,
                       call=call)  # fmt: skip
    for a, t in zip(mine, theirs):  # running statistics updated (training) or left alone
        np.testing.assert_allclose(to_numpy(a), t.numpy(), rtol=0, atol=1e-12)


def test_gradcheck_input_weight_bias(rng):
    x = rng.standard_normal((4, 3, 5))
    w, b = rng.standard_normal(3), rng.standard_normal(3)
    stats = mt.zeros(3, dtype=mt.float64), mt.ones(3, dtype=mt.float64)
    assert mt.gradcheck(lambda x, w, b: F.batch_norm(x, *stats, w, b, training=True), x, w, b)
    assert mt.gradcheck(lambda x, w, b: F.batch_norm(x, *stats, w, b), x, w, b)
    w2, b2 = rng.standard_normal((3, 5)), rng.standard_normal((3, 5))
    assert mt.gradcheck(lambda x, w, b: F.layer_norm(x, (3, 5), w, b), x, w2, b2)
    assert mt.gradcheck(lambda x, w, b: F.group_norm(x, 3, w, b), x, w, b)


@pytest.mark.parametrize(
    "layer, x_shape, functional",
    [
        (nn.LayerNorm((3, 4)), (2, 3, 4), lambda x, m: F.layer_norm(x, (3, 4), m.weight, m.bias)),
        (nn.LayerNorm(4, bias=False), (5, 4), lambda x, m: F.layer_norm(x, 4, m.weight)),
        (nn.GroupNorm(2, 4), (3, 4, 5), lambda x, m: F.group_norm(x, 2, m.weight, m.bias)),
        (nn.BatchNorm2d(3, track_running_stats=False), (4, 3, 2, 3),
         lambda x, m: F.batch_norm(x, None, None, m.weight, m.bias, training=True)),
        (nn.BatchNorm1d(3).eval(), (6, 3),
         lambda x, m: F.batch_norm(x, m.running_mean, m.running_var, m.weight, m.bias)),
    ],
    ids=["layer_norm", "layer_norm-no-bias", "group_norm", "batch_norm-train", "batch_norm-eval"],
)  # fmt: skip
def test_layer_and_functional_form_run_one_kernel(layer, x_shape, functional, rng, device):
    layer = _randomise(layer, rng)
    assert_layer_equals_functional(layer, functional, rng.standard_normal(x_shape), device)


def test_batch_norm_layer_and_functional_update_the_same_running_stats(rng):
    layer = _randomise(nn.BatchNorm1d(3, momentum=0.25), rng).double()
    mean, var = mt.zeros(3, dtype=mt.float64), mt.ones(3, dtype=mt.float64)
    for _ in range(3):
        x = mt.tensor(rng.standard_normal((5, 3, 2)))
        y1 = layer(x)
        y2 = F.batch_norm(x, mean, var, layer.weight, layer.bias, training=True, momentum=0.25)
        np.testing.assert_array_equal(to_numpy(y1), to_numpy(y2))
    np.testing.assert_array_equal(layer.running_mean.numpy(), mean.numpy())
    np.testing.assert_array_equal(layer.running_var.numpy(), var.numpy())


@pytest.mark.parametrize("k", [1, 6])
def test_channel_sum_and_per_channel(k, rng):
    a, b = rng.standard_normal((4, 3, k)), rng.standard_normal((4, 3, k))
    np.testing.assert_allclose(channel_sum(a), a.sum(axis=(0, 2)), rtol=1e-12)
    np.testing.assert_allclose(channel_sum(a, b), (a * b).sum(axis=(0, 2)), rtol=1e-12)
    v = rng.standard_normal(3)
    np.testing.assert_array_equal(a * per_channel(v, k), a * v[:, None])
