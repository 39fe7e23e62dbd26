"""State dicts (minitorch/nn/state_dict.py): keys, prefixes, shared data, and loads that either
change everything or nothing."""

import re

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from minitorch.nn.state_dict import IncompatibleKeys, load_state_dict_into, state_dict_of


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)
        self.register_buffer("steps", mt.zeros(1))
        self.register_buffer("cache", mt.zeros(2), persistent=False)


def test_keys_prefix_destination_and_shared_data():
    net = Net()
    assert list(net.state_dict()) == ["steps", "fc.weight", "fc.bias"]
    out = {"other": 1}
    assert state_dict_of(net, out, prefix="model.") is out
    assert list(out) == ["other", "model.steps", "model.fc.weight", "model.fc.bias"]
    sd = net.state_dict()
    assert sd["fc.weight"] is not net.fc.weight and not sd["fc.weight"].requires_grad
    assert np.shares_memory(sd["fc.weight"].array, net.fc.weight.array)
    assert net.state_dict(keep_vars=True)["fc.weight"] is net.fc.weight


def test_load_converts_to_each_tensors_dtype_in_place():
    net = Net()
    weight = net.fc.weight.array
    values = {k: np.full(v.shape, 0.5, dtype=np.float64) for k, v in net.state_dict().items()}
    result = load_state_dict_into(net, values)
    assert result == IncompatibleKeys([], []) and net.fc.weight.array is weight
    assert net.fc.weight.dtype == mt.float32
    np.testing.assert_array_equal(net.fc.weight.detach().numpy(), np.full((2, 3), 0.5))


def test_a_failed_load_changes_nothing():
    net = Net()
    before = {k: v.numpy().copy() for k, v in net.state_dict().items()}
    bad = {k: np.zeros(v.shape) for k, v in net.state_dict().items()}
    bad["fc.bias"] = np.zeros(5)
    with pytest.raises(RuntimeError, match=r"size mismatch for fc.bias.*\(5,\).*\(2,\)"):
        net.load_state_dict(bad)
    for key, value in net.state_dict().items():
        np.testing.assert_array_equal(value.numpy(), before[key])


@pytest.mark.parametrize(
    "bad, message",
    [
        (np.array(["a", "b", "c"]), "dtype mismatch for 1.bias: a value of dtype <U1"),
        (np.ones(3, np.complex128), "dtype mismatch for 1.bias: a value of dtype complex128"),
        ("not an array", "dtype mismatch for 1.bias: a value of dtype <U12"),
        (object(), "value for 1.bias is not an array of numbers"),
        (np.zeros(4), "size mismatch for 1.bias: copying a value of shape (4,)"),
    ],
)
def test_values_that_cannot_be_cast_are_found_before_anything_changes(bad, message):
    model = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 3))
    before = {k: v.numpy().copy() for k, v in model.state_dict().items()}
    state = {k: np.zeros(v.shape) for k, v in before.items()}  # valid for every key but one
    state["1.bias"] = bad
    with pytest.raises(RuntimeError, match=re.escape(message)):
        model.load_state_dict(state)
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), before[k])  # '0.weight' etc. untouched
