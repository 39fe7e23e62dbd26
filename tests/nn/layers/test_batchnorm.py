"""BatchNorm1d/2d: train and eval parity with PyTorch, running statistics, gradients, errors."""

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from minitorch.nn import functional as F  # noqa: N812
from tests.helpers import assert_keeps_float32, compare_with_torch, to_numpy

SHAPES = [("BatchNorm1d", (8, 3)), ("BatchNorm1d", (4, 3, 5)), ("BatchNorm2d", (4, 3, 2, 5))]


def _randomise(layer, rng):
    """Non-trivial affine parameters and running statistics."""
    with mt.no_grad():
        for t in (layer.weight, layer.bias, layer.running_mean):
            if t is not None:
                t.copy_(rng.standard_normal(t.shape))
        if layer.running_var is not None:
            layer.running_var.copy_(rng.uniform(0.5, 2.0, layer.running_var.shape))
    return layer


@pytest.mark.parametrize("name,shape", SHAPES)
@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("affine", [True, False])
def test_matches_torch(torch, device, name, shape, training, affine, rng):
    layer = _randomise(getattr(nn, name)(3, affine=affine), rng)
    ref = getattr(torch.nn, name)(3, affine=affine)
    layer.train(training)
    ref.train(training)
    x = rng.standard_normal(shape) * 2 + 1
    compare_with_torch(layer, ref, [x], device=device)
    if training:  # the running statistics were updated identically
        for key in ("running_mean", "running_var", "num_batches_tracked"):
            np.testing.assert_allclose(to_numpy(getattr(layer, key)),
                                       getattr(ref, key).numpy(), rtol=0, atol=1e-12)  # fmt: skip


@pytest.mark.parametrize("momentum", [0.1, 0.3, None])
def test_running_stats_after_several_steps(torch, device, momentum, rng):
    layer = nn.BatchNorm2d(4, momentum=momentum).double().to(device)
    ref = torch.nn.BatchNorm2d(4, momentum=momentum)
    for _ in range(5):
        x = rng.standard_normal((3, 4, 2, 3)) * 3 + 2
        layer(mt.tensor(x, device=device))
        ref(torch.tensor(x))
    for key in ("running_mean", "running_var"):
        np.testing.assert_allclose(to_numpy(getattr(layer, key)), getattr(ref, key).numpy(),
                                   rtol=0, atol=1e-12)  # fmt: skip
    assert int(layer.num_batches_tracked.item()) == 5
    layer.eval()
    ref.eval()
    x = rng.standard_normal((2, 4, 2, 3))
    got = to_numpy(layer(mt.tensor(x, device=device)))
    np.testing.assert_allclose(got, ref(torch.tensor(x)).detach().numpy(), rtol=0, atol=1e-10)


def test_without_running_stats_uses_batch_statistics_in_eval(torch, rng):
    layer = nn.BatchNorm1d(3, track_running_stats=False).eval()
    assert layer.running_mean is None and list(layer.state_dict()) == ["weight", "bias"]
    compare_with_torch(layer, torch.nn.BatchNorm1d(3, track_running_stats=False).eval(),
                       [rng.standard_normal((5, 3))])  # fmt: skip


@pytest.mark.parametrize("name,shape", SHAPES)
def test_gradcheck_train_and_eval(name, shape, rng):
    layer = _randomise(getattr(nn, name)(3), rng)
    x = rng.standard_normal(shape)
    assert mt.gradcheck(layer, x)
    assert mt.gradcheck(layer.eval(), x)


@pytest.mark.parametrize("name,shape", SHAPES)
def test_keeps_float32(name, shape, rng, device):
    layer = getattr(nn, name)(3)
    assert_keeps_float32(layer, rng.standard_normal(shape), device=device)
    assert layer.running_mean.dtype == mt.float32 and layer.num_batches_tracked.dtype == mt.int64
    assert_keeps_float32(layer.eval(), rng.standard_normal(shape), device=device)


def test_functional_batch_norm_gives_gradients_to_weight_and_bias(torch, rng):
    x = rng.standard_normal((6, 3, 4))
    mean, var = np.zeros(3), np.ones(3)
    t_mean, t_var = torch.zeros(3), torch.ones(3)
    m_mean, m_var = mt.zeros(3, dtype=mt.float64), mt.ones(3, dtype=mt.float64)

    def call(f, x, w, b):
        if f is F.batch_norm:
            return f(x, m_mean, m_var, w, b, training=True, momentum=0.2)
        return f(x, t_mean, t_var, w, b, training=True, momentum=0.2)

    w, b = rng.standard_normal(3), rng.standard_normal(3)
    compare_with_torch(F.batch_norm, torch.nn.functional.batch_norm, [x, w, b], call=call)
    np.testing.assert_allclose(m_mean.numpy(), t_mean.numpy(), atol=1e-12)
    np.testing.assert_allclose(m_var.numpy(), t_var.numpy(), atol=1e-12)
    assert not np.allclose(m_var.numpy(), var) and not np.allclose(m_mean.numpy(), mean)
    y = F.batch_norm(mt.tensor(x), m_mean, m_var)  # eval: running statistics
    ref = torch.nn.functional.batch_norm(torch.tensor(x), t_mean, t_var)
    np.testing.assert_allclose(y.numpy(), ref.numpy(), atol=1e-10)


def test_shared_layer_called_twice_gets_both_gradients(rng):
    layer = nn.BatchNorm1d(3).double()
    xa, xb = rng.standard_normal((4, 3)), rng.standard_normal((5, 3))

    def weight_grad(*xs):
        layer.zero_grad()
        sum((layer(mt.tensor(x)) ** 2 * mt.tensor(rng.standard_normal(3))).sum() for x in xs
            ).backward()  # fmt: skip
        return layer.weight.grad.numpy().copy()

    state = rng.bit_generator.state
    both = weight_grad(xa, xb)
    rng.bit_generator.state = state
    np.testing.assert_allclose(both, weight_grad(xa) + weight_grad(xb), rtol=1e-12)


def test_bad_inputs_are_explained():
    with pytest.raises(ValueError, match=r"BatchNorm1d\(3\): expected 2D or 3D input, got 4D"):
        nn.BatchNorm1d(3)(mt.randn(2, 3, 4, 5))
    with pytest.raises(ValueError, match=r"BatchNorm2d\(3\): expected 4D input, got 2D"):
        nn.BatchNorm2d(3)(mt.randn(2, 3))
    with pytest.raises(ValueError, match=r"expected 3 channels in dim 1, got input of shape"):
        nn.BatchNorm1d(3)(mt.randn(2, 4))
    with pytest.raises(ValueError, match="expected more than 1 value per channel when training"):
        nn.BatchNorm1d(3)(mt.randn(1, 3))
    nn.BatchNorm1d(3).eval()(mt.randn(1, 3))  # fine with running statistics
    with pytest.raises(TypeError, match="input dtype float64 differs from weight dtype float32"):
        nn.BatchNorm1d(3)(mt.randn(2, 3, dtype=mt.float64))


def test_repr_and_state_dict_keys():
    layer = nn.BatchNorm2d(5)
    assert repr(layer) == ("BatchNorm2d(5, eps=1e-05, momentum=0.1, affine=True, bias=True, "
                           "track_running_stats=True)")  # fmt: skip
    assert list(layer.state_dict()) == [
        "weight", "bias", "running_mean", "running_var", "num_batches_tracked"]  # fmt: skip
    np.testing.assert_array_equal(layer.running_var.numpy(), 1)
