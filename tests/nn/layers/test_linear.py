"""Linear: reference forward, gradcheck, PyTorch parity, float32, bad input."""

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from tests.helpers import assert_keeps_float32, compare_with_torch


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("shape", [(4, 3), (1, 3), (2, 5, 3), (3,)])
def test_linear_gradcheck(shape, bias, rng):
    assert mt.gradcheck(nn.Linear(3, 2, bias=bias), rng.standard_normal(shape))


@pytest.mark.parametrize("bias", [True, False])
def test_linear_matches_torch(torch, device, bias, rng):
    compare_with_torch(nn.Linear(5, 4, bias=bias), torch.nn.Linear(5, 4, bias=bias),
                       [rng.standard_normal((2, 3, 5))], device=device)  # fmt: skip


@pytest.mark.parametrize("name", ["ReLU", "Sigmoid", "Tanh"])
def test_activation_matches_torch(torch, device, name, rng):
    x = rng.standard_normal((4, 5)) * 3
    compare_with_torch(getattr(nn, name)(), getattr(torch.nn, name)(), [x], device=device)


@pytest.mark.parametrize("name", ["ReLU", "Sigmoid", "Tanh"])
def test_activation_gradcheck_and_float32(name, rng, device):
    x = rng.standard_normal((3, 4)) + 0.1  # away from ReLU's kink
    assert mt.gradcheck(getattr(nn, name)(), x)
    assert_keeps_float32(getattr(nn, name)(), x, device=device)


def test_sigmoid_does_not_overflow_on_extreme_inputs():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = nn.Sigmoid()(mt.tensor([-1e4, 0.0, 1e4])).numpy()
    np.testing.assert_array_equal(y, [0.0, 0.5, 1.0])


def test_linear_keeps_float32(device, rng):
    assert_keeps_float32(nn.Linear(3, 2), rng.standard_normal((4, 3)), device=device)


def test_linear_shape_mismatch_names_expected_and_given():
    with pytest.raises(
        ValueError, match=r"Linear\(3, 2\) expects input of shape \(\*, 3\), got \(4, 5\)"
    ):
        nn.Linear(3, 2)(mt.randn(4, 5))


def test_linear_dtype_mismatch_is_explained():
    with pytest.raises(TypeError, match="input dtype float64 differs from weight dtype float32"):
        nn.Linear(3, 2)(mt.randn(4, 3, dtype=mt.float64))


def test_linear_repr_and_weight_shape():
    layer = nn.Linear(4, 3, bias=False)
    assert repr(layer) == "Linear(in_features=4, out_features=3, bias=False)"
    assert layer.weight.shape == (3, 4) and layer.bias is None


def test_zero_features_in_or_out(torch):
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        layer = nn.Linear(0, 3)  # as PyTorch: no ZeroDivisionError from the fan-in
    x = mt.randn(2, 0, requires_grad=True)
    y = layer(x)
    y.sum().backward()
    assert tuple(y.shape) == (2, 3) and tuple(layer.weight.grad.shape) == (3, 0)
    np.testing.assert_array_equal(layer.bias.grad.numpy(), [2.0, 2.0, 2.0])
    x = mt.randn(2, 3, requires_grad=True)
    nn.Linear(3, 0)(x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros((2, 3)))
