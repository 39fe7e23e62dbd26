"""LayerNorm and GroupNorm: PyTorch parity (layers and functional), gradients, errors."""

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from minitorch.nn import functional as F  # noqa: N812
from tests.helpers import assert_keeps_float32, compare_with_torch


def _randomise(layer, rng):
    with mt.no_grad():
        for p in layer.parameters():
            p.copy_(rng.standard_normal(p.shape))
    return layer


LAYER_NORMS = [
    (5, (2, 3, 5), {}),
    ((3, 5), (2, 3, 5), {}),
    ([4], (4,), {}),
    (5, (2, 5), {"elementwise_affine": False}),
    ((2, 3), (4, 2, 3), {"bias": False}),
    (5, (3, 5), {"eps": 1e-2}),
]


@pytest.mark.parametrize("shape,x_shape,kwargs", LAYER_NORMS)
def test_layer_norm_matches_torch(torch, device, shape, x_shape, kwargs, rng):
    layer = _randomise(nn.LayerNorm(shape, **kwargs), rng)
    compare_with_torch(layer, torch.nn.LayerNorm(shape, **kwargs),
                       [rng.standard_normal(x_shape) * 3 + 1], device=device)  # fmt: skip


@pytest.mark.parametrize("shape,x_shape,kwargs", LAYER_NORMS)
def test_layer_norm_gradcheck_and_float32(shape, x_shape, kwargs, rng, device):
    layer = _randomise(nn.LayerNorm(shape, **kwargs), rng)
    assert mt.gradcheck(layer, rng.standard_normal(x_shape))
    assert_keeps_float32(layer, rng.standard_normal(x_shape), device=device)


GROUP_NORMS = [
    (2, 4, (3, 4, 5), {}),
    (1, 3, (2, 3), {}),
    (3, 3, (2, 3, 2, 2), {}),
    (2, 6, (2, 6, 3, 2), {"affine": False}),
    (2, 4, (2, 4, 3), {"eps": 0.1}),
]


@pytest.mark.parametrize("groups,channels,x_shape,kwargs", GROUP_NORMS)
def test_group_norm_matches_torch(torch, device, groups, channels, x_shape, kwargs, rng):
    layer = _randomise(nn.GroupNorm(groups, channels, **kwargs), rng)
    compare_with_torch(layer, torch.nn.GroupNorm(groups, channels, **kwargs),
                       [rng.standard_normal(x_shape) * 2 - 1], device=device)  # fmt: skip


@pytest.mark.parametrize("groups,channels,x_shape,kwargs", GROUP_NORMS)
def test_group_norm_gradcheck_and_float32(groups, channels, x_shape, kwargs, rng, device):
    layer = _randomise(nn.GroupNorm(groups, channels, **kwargs), rng)
    assert mt.gradcheck(layer, rng.standard_normal(x_shape))
    assert_keeps_float32(layer, rng.standard_normal(x_shape), device=device)


def test_functional_layer_norm_differentiates_weight_and_bias(torch, device, rng):
    x = rng.standard_normal((2, 3, 4))
    w, b = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))

    def call(f, x, w, b):
        return f(x, (3, 4), w, b, eps=1e-3)

    compare_with_torch(F.layer_norm, torch.nn.functional.layer_norm, [x, w, b], device=device,
                       call=call)  # fmt: skip
    compare_with_torch(F.layer_norm, torch.nn.functional.layer_norm, [x], device=device,
                       call=lambda f, x: f(x, [4]))  # fmt: skip


def test_functional_group_norm_differentiates_weight_and_bias(torch, device, rng):
    x, w, b = rng.standard_normal((2, 6, 3)), rng.standard_normal(6), rng.standard_normal(6)
    compare_with_torch(F.group_norm, torch.nn.functional.group_norm, [x, w, b], device=device,
                       call=lambda f, x, w, b: f(x, 3, w, b))  # fmt: skip
    compare_with_torch(F.group_norm, torch.nn.functional.group_norm, [x], device=device,
                       call=lambda f, x: f(x, 2))  # fmt: skip


def test_functional_gradcheck_with_weight_tensors(rng):
    w = mt.tensor(rng.standard_normal(4), requires_grad=True)
    b = mt.tensor(rng.standard_normal(4), requires_grad=True)
    x = rng.standard_normal((3, 4))
    assert mt.gradcheck(lambda x, w, b: F.layer_norm(x, 4, w, b), x, w, b)
    assert mt.gradcheck(lambda x, w, b: F.group_norm(x, 2, w, b), x, w, b)


def test_statistics_of_the_output(rng):
    x = mt.tensor(rng.standard_normal((8, 64)) * 5 + 3, dtype=mt.float32)
    y = nn.LayerNorm(64)(x).detach().numpy()
    np.testing.assert_allclose(y.mean(axis=1), 0, atol=1e-5)
    np.testing.assert_allclose(y.std(axis=1), 1, atol=1e-3)


def test_layer_norm_wrong_shape_is_explained():
    message = r"LayerNorm\(\(3, 4\)\) expects input of shape \(\*, 3, 4\), got \(2, 4, 3\)"
    with pytest.raises(ValueError, match=message):
        nn.LayerNorm((3, 4))(mt.randn(2, 4, 3))
    with pytest.raises(TypeError, match="input dtype float64 differs from weight dtype float32"):
        nn.LayerNorm(3)(mt.randn(2, 3, dtype=mt.float64))


def test_group_norm_bad_arguments_are_explained():
    with pytest.raises(ValueError, match=r"num_channels \(5\) must be divisible by num_groups"):
        nn.GroupNorm(2, 5)
    message = r"GroupNorm\(2, 4\) expects input of shape \(N, 4, \*\), got \(2, 6\)"
    with pytest.raises(ValueError, match=message):
        nn.GroupNorm(2, 4)(mt.randn(2, 6))
    with pytest.raises(ValueError, match="C divisible by 4"):
        F.group_norm(mt.randn(2, 6), 4)


def test_repr_and_parameters():
    assert repr(nn.LayerNorm(4)) == (
        "LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=True)"
    )
    assert repr(nn.GroupNorm(2, 4)) == "GroupNorm(2, 4, eps=1e-05, affine=True, bias=True)"
    assert repr(nn.GroupNorm(2, 4, bias=False)).endswith("bias=False)")
    layer = nn.LayerNorm([2, 3], bias=False)
    assert layer.weight.shape == (2, 3) and layer.bias is None
    np.testing.assert_array_equal(layer.weight.detach().numpy(), 1)
    assert list(nn.GroupNorm(1, 3).state_dict()) == ["weight", "bias"]


def test_an_overflowed_variance_gives_nan_not_zeros():
    """Deviations above ~1.8e19 (float32) overflow the variance: NaN, as PyTorch's LayerNorm."""
    x = mt.tensor([[1e20, -1e20, 3e19, 0.0]])
    for layer in (nn.LayerNorm(4), nn.GroupNorm(1, 4)):
        y = layer(x if isinstance(layer, nn.LayerNorm) else x[:, :, None])
        assert np.isnan(y.detach().numpy()).all(), type(layer).__name__
    np.testing.assert_allclose(nn.LayerNorm(4)(x / 1e19).detach().numpy().std(), 1, rtol=1e-3)


def test_group_norm_of_an_empty_batch():
    x = mt.randn(0, 4, 3, requires_grad=True)
    y = nn.GroupNorm(2, 4)(x)
    y.sum().backward()
    assert tuple(y.shape) == (0, 4, 3) and tuple(x.grad.shape) == (0, 4, 3)
