"""The Layer contract: explicit and recorded use, per-call caches, shared layers, frozen params."""

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from tests import fake_device


class Square(nn.Layer):
    """y = x^2, the smallest custom layer."""

    def forward(self, x):
        self.save_for_backward(x)
        return x * x

    def backward(self, dy):
        (x,) = self.saved
        return 2 * x * dy


def test_custom_layer_passes_gradcheck(rng):
    assert mt.gradcheck(Square(), rng.standard_normal((3, 4)))


def test_explicit_forward_backward_on_arrays_fills_parameter_grads(rng):
    layer = nn.Linear(4, 3).double()
    x, dy = rng.standard_normal((5, 4)), rng.standard_normal((5, 3))
    y = layer.forward(x)
    dx = layer.backward(dy)
    W, b = layer.weight.array, layer.bias.array
    np.testing.assert_allclose(y, x @ W.T + b)
    np.testing.assert_allclose(dx, dy @ W)
    np.testing.assert_allclose(layer.weight.grad.numpy(), dy.T @ x)
    np.testing.assert_allclose(layer.bias.grad.numpy(), dy.sum(0))


def test_backward_before_forward_is_a_clear_error():
    with pytest.raises(RuntimeError, match="Linear.backward called with no saved forward"):
        nn.Linear(2, 2).backward(np.ones((1, 2), np.float32))


def test_a_layer_called_twice_in_one_graph_gets_both_contributions(rng):
    layer = nn.Linear(3, 3).double()
    x = mt.tensor(rng.standard_normal((2, 3)), requires_grad=True)
    y = layer(layer(x)).sum()  # W used at two depths: each call has its own cache
    y.backward()
    W = layer.weight.array
    h = x.array @ W.T + layer.bias.array
    dy = np.ones((2, 3))
    dh = dy @ W
    expected = dy.T @ h + dh.T @ x.array
    np.testing.assert_allclose(layer.weight.grad.numpy(), expected)
    np.testing.assert_allclose(x.grad.numpy(), dh @ W)


def test_recorded_call_caches_nothing_under_no_grad(rng):
    seen = []

    class Probe(Square):
        def forward(self, x):
            seen.append(self.caching)
            return super().forward(x)

    layer = Probe()
    with mt.no_grad():
        assert layer(mt.tensor(rng.standard_normal(3))).grad_fn is None
    layer(mt.tensor(rng.standard_normal(3)))  # nothing requires grad: still nothing cached
    layer(mt.tensor(rng.standard_normal(3), requires_grad=True))
    assert seen == [False, False, True]


def test_caches_are_released_by_backward(rng):
    layer = Square()
    x = mt.tensor(rng.standard_normal(3), requires_grad=True)
    out = layer(x)
    node = out.grad_fn
    assert node.fn is layer and node.ctx.saved[0] is x.array
    out.sum().backward()
    assert node.freed and node.ctx is None


def test_frozen_parameter_gets_no_grad_but_the_input_does(rng):
    layer = nn.Linear(3, 2).double()
    layer.weight.requires_grad_(False)
    x = mt.tensor(rng.standard_normal((4, 3)), requires_grad=True)
    layer(x).sum().backward()
    assert layer.weight.grad is None
    assert layer.bias.grad is not None and x.grad is not None


def test_input_gradient_is_skipped_when_not_needed(rng):
    seen = []

    class Probe(nn.Layer):
        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(mt.tensor(2.0, dtype=mt.float64))

        def forward(self, x):
            self.save_for_backward(x)
            return x * self.w.array

        def backward(self, dy):
            (x,) = self.saved
            seen.append(self.needs_input_grad[0])
            self.add_grad(self.w, (dy * x).sum())
            return dy * self.w.array if self.needs_input_grad[0] else None

    probe = Probe()
    probe(mt.tensor(rng.standard_normal(3))).sum().backward()  # recorded for w's sake only
    probe(mt.tensor(rng.standard_normal(3), requires_grad=True)).sum().backward()
    assert seen == [False, True]


def test_layer_with_several_inputs_and_outputs(rng):
    class SumAndProduct(nn.Layer):
        def forward(self, a, b):
            self.save_for_backward(a, b)
            return a + b, a * b

        def backward(self, ds, dp):
            a, b = self.saved
            return ds + dp * b, ds + dp * a

    assert mt.gradcheck(SumAndProduct(), rng.standard_normal(4), rng.standard_normal(4))
    a = mt.tensor([2.0], requires_grad=True)
    s, _ = SumAndProduct()(a, mt.tensor([3.0]))
    s.sum().backward()  # the unused output contributes zero
    assert a.grad.item() == 1


def test_parameter_on_another_device_names_layer_and_parameter(monkeypatch):
    fake_device.install(monkeypatch)
    layer = nn.Linear(2, 2)
    layer.weight.array = fake_device.on_fake_device(layer.weight.array)
    with pytest.raises(
        RuntimeError, match="Linear: parameter 'weight' is on cuda:7 but the input is on cpu"
    ):
        layer(mt.tensor(np.ones((1, 2), np.float32)))


def test_inputs_on_two_devices_are_refused(monkeypatch):
    fake_device.install(monkeypatch)
    a = mt.autograd.Tensor(fake_device.on_fake_device([1.0]))
    with pytest.raises(
        RuntimeError, match="expected all inputs on one device, got cpu and cuda:7"
    ):
        mt.tensor([1.0]) + a
