"""``ParameterList`` and ``ParameterDict``: registration (``parameters()``, ``state_dict()``
with PyTorch's keys), list/dict behaviour, optimizers see them, and the repr."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn


class Owner(nn.Module):
    def __init__(self, lib):
        super().__init__()
        self.scales = lib.nn.ParameterList([lib.nn.Parameter(lib.ones(2)), lib.zeros(3)])
        self.table = lib.nn.ParameterDict({"b": lib.nn.Parameter(lib.ones(1)), "a": lib.zeros(2)})


def test_state_dict_keys_and_shapes_match_torch(torch):
    ours = Owner(mt).state_dict()
    ref = torch.nn.Module()
    ref.scales = torch.nn.ParameterList([torch.nn.Parameter(torch.ones(2)), torch.zeros(3)])
    ref.table = torch.nn.ParameterDict({"b": torch.nn.Parameter(torch.ones(1)),
                                        "a": torch.zeros(2)})  # fmt: skip
    theirs = ref.state_dict()
    assert list(ours) == list(theirs) == ["scales.0", "scales.1", "table.a", "table.b"]
    assert [tuple(v.shape) for v in ours.values()] == [tuple(v.shape) for v in theirs.values()]


def test_plain_tensors_become_parameters_and_are_trained():
    owner = Owner(mt)
    assert all(isinstance(p, nn.Parameter) for p in owner.parameters())
    assert len(list(owner.parameters())) == 4
    opt = mt.optim.SGD(owner.parameters(), lr=0.5)
    loss = owner.scales[1].sum() + (owner.table["a"] * 2).sum()
    loss.backward()
    opt.step()
    np.testing.assert_allclose(owner.scales[1].detach().numpy(), -0.5)
    np.testing.assert_allclose(owner.table["a"].detach().numpy(), -1.0)


def test_parameter_list_behaves_like_a_list():
    pl = nn.ParameterList()
    pl.append(mt.zeros(1)).extend([mt.ones(2), mt.ones(3)])
    pl += [mt.ones(4)]
    assert len(pl) == 4 and [p.shape for p in pl] == [(1,), (2,), (3,), (4,)]
    assert pl[-1].shape == (4,) and len(pl[1:3]) == 2
    pl[0] = mt.full((5,), 2.0)
    assert pl[0].shape == (5,) and isinstance(pl[0], nn.Parameter)
    with pytest.raises(IndexError, match="ParameterList index 4 is out of range for length 4"):
        pl[4]
    with pytest.raises(TypeError, match="ParameterList.extend expects an iterable"):
        pl.extend(mt.zeros(2))
    with pytest.raises(RuntimeError, match="ParameterList should not be called"):
        pl()


def test_parameter_dict_behaves_like_a_dict():
    pd = nn.ParameterDict([("x", mt.zeros(1)), ("w", mt.ones(2))])  # pairs keep their order
    assert list(pd) == ["x", "w"] and "w" in pd and len(pd) == 2
    pd.update(OrderedDict([("z", mt.ones(3)), ("a", mt.ones(1))]))
    assert list(pd.keys()) == ["x", "w", "z", "a"]
    assert pd.get("missing") is None and pd.setdefault("x") is pd["x"]
    assert pd.pop("z").shape == (3,) and "z" not in pd
    key, value = pd.popitem()
    assert key == "a" and value.shape == (1,)
    copy = pd.copy()
    assert list(copy.items())[0][1] is pd["x"]
    assert list(pd.fromkeys(["p", "q"], mt.zeros(1)).keys()) == ["p", "q"]
    del pd["x"]
    assert list(pd) == ["w"] and list(pd.state_dict()) == ["w"]
    pd.clear()
    assert len(pd) == 0 and list(pd.parameters()) == []
    with pytest.raises(TypeError, match="ParameterDict keys must be strings, got int"):
        pd[1] = mt.zeros(1)
    with pytest.raises(KeyError, match="contain no '.'"):
        pd["a.b"] = mt.zeros(1)
    with pytest.raises(KeyError, match="not be the name of a ParameterDict method"):
        pd["keys"] = mt.zeros(1)
    with pytest.raises(KeyError, match="method or attribute"):
        pd["training"] = mt.zeros(1)


def test_repr_matches_torch(torch):
    ours = nn.ParameterList([nn.Parameter(mt.zeros(2, 3)), mt.zeros(3, dtype=mt.float64)])
    theirs = torch.nn.ParameterList([torch.nn.Parameter(torch.zeros(2, 3, dtype=torch.float32)),
                                     torch.zeros(3, dtype=torch.float64)])  # fmt: skip
    assert repr(ours) == repr(theirs).replace("torch.", "minitorch.")
    single = repr(nn.ParameterDict({"x": mt.zeros(1)}))
    assert single == "ParameterDict(  (x): Parameter containing: [minitorch.float32 of size 1])"
    assert repr(nn.ParameterList()) == "ParameterList()"
