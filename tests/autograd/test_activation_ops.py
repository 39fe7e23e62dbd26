"""autograd/ops/activation.py: the Functions behind ``Tensor.relu()`` ... ``.log_softmax()``
against torch, the nn layers that reuse them, and autograd loading no ``minitorch.nn``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from minitorch.autograd.ops import activation
from tests.helpers import compare_with_torch

METHODS = [("relu", {}), ("sigmoid", {}), ("tanh", {}), ("softmax", {"dim": 1}),
           ("log_softmax", {"dim": 0}), ("softmax", {"dim": -1})]  # fmt: skip


@pytest.mark.parametrize("name, kw", METHODS, ids=lambda v: str(v))
def test_tensor_methods_match_torch(name, kw, torch, rng, device):
    x = rng.standard_normal((3, 4, 2)) * 3
    compare_with_torch(lambda t: getattr(t, name)(**kw), lambda t: getattr(t, name)(**kw), [x],
                       device=device)  # fmt: skip


@pytest.mark.parametrize("name, kw", METHODS, ids=lambda v: str(v))
def test_gradcheck(name, kw, rng):
    assert mt.gradcheck(lambda t: getattr(t, name)(**kw), rng.standard_normal((3, 4)))


def test_sigmoid_and_softmax_do_not_overflow():
    x = mt.tensor([-1000.0, 0.0, 1000.0], requires_grad=True)
    np.testing.assert_array_equal(x.sigmoid().detach().numpy(), [0.0, 0.5, 1.0])
    np.testing.assert_allclose(x.softmax(0).detach().numpy(), [0, 0, 1])
    assert np.isfinite(x.log_softmax(0).detach().numpy()).all()


@pytest.mark.parametrize(
    "layer, fn", [(nn.ReLU(), activation.ReLU()), (nn.Sigmoid(), activation.Sigmoid()),
                  (nn.Tanh(), activation.Tanh()), (nn.Softmax(1), activation.Softmax(1)),
                  (nn.LogSoftmax(1), activation.LogSoftmax(1))],
    ids=repr,
)  # fmt: skip
def test_layers_are_the_same_functions_with_module_parts(layer, fn, rng):
    assert isinstance(layer, type(fn)) and isinstance(layer, nn.Layer)
    assert list(layer.parameters()) == [] and layer.training
    x = mt.tensor(rng.standard_normal((2, 5)), requires_grad=True)
    y1, y2 = layer(x), fn(x)
    np.testing.assert_array_equal(y1.detach().numpy(), y2.detach().numpy())
    assert type(y1._node.fn) is type(layer) and type(y2._node.fn) is type(fn)


def test_softmax_layers_repr_and_dim():
    assert repr(nn.Softmax(dim=-1)) == "Softmax(dim=-1)"
    assert repr(nn.LogSoftmax(0)) == "LogSoftmax(dim=0)"
    with pytest.raises(IndexError, match="Softmax: dim 2 is out of range"):
        mt.randn(3, 4).softmax(2)
    with pytest.warns(UserWarning, match="Implicit dimension"):
        activation.Softmax()(mt.randn(3, 4))


def test_importing_autograd_loads_no_nn():
    code = (
        "import sys, minitorch.autograd as ag; x = ag.Tensor([1.0, -2.0]); x.relu(); "
        "x.softmax(0); print([m for m in sys.modules if m.startswith('minitorch.nn')])"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=root).stdout  # fmt: skip
    assert out.strip() == "[]"
