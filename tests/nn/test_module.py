"""Module: registration, traversal, modes, devices/dtypes, state dicts, repr, containers."""

from collections import OrderedDict

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 3)
        self.register_buffer("count", mt.zeros(1))
        self.register_buffer("scratch", mt.zeros(2), persistent=False)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = Block()
        self.layers = nn.ModuleList([nn.Linear(3, 4), nn.Linear(4, 2)])
        self.head = nn.Sequential(OrderedDict(act=nn.ReLU(), out=nn.Linear(2, 1, bias=False)))
        self.scale = nn.Parameter(mt.ones(1))


def test_named_parameters_use_pytorch_dotted_names():
    names = [n for n, _ in Net().named_parameters()]
    assert names == [
        "scale", "block.fc.weight", "block.fc.bias", "layers.0.weight", "layers.0.bias",
        "layers.1.weight", "layers.1.bias", "head.out.weight",
    ]  # fmt: skip


def test_shared_parameters_are_listed_once():
    net = nn.Module()
    shared = nn.Linear(2, 2)
    net.a, net.b = shared, shared
    assert len(list(net.parameters())) == 2


def test_buffers_children_modules_and_state_dict_keys():
    net = Net()
    assert [n for n, _ in net.named_buffers()] == ["block.count", "block.scratch"]
    assert [n for n, _ in net.named_children()] == ["block", "layers", "head"]
    assert len(list(net.modules())) == 9
    keys = list(net.state_dict())
    assert "block.count" in keys and "block.scratch" not in keys  # non-persistent stays out


def test_train_eval_propagate():
    net = Net().eval()
    assert not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())


def test_zero_grad_sets_to_none_or_zero():
    net = Net()
    net.block.fc(mt.randn(2, 3)).sum().backward()
    assert net.block.fc.weight.grad is not None
    net.zero_grad(set_to_none=False)
    assert float(net.block.fc.weight.grad.numpy().sum()) == 0
    net.zero_grad()
    assert net.block.fc.weight.grad is None


def test_to_double_keeps_parameter_identity_and_apply_visits_all():
    net = Net()
    weight = net.block.fc.weight
    net.double()
    assert net.block.fc.weight is weight and weight.dtype == mt.float64
    assert net.block.count.dtype == mt.float64
    visited = []
    net.apply(lambda m: visited.append(type(m).__name__))
    assert visited[-1] == "Net" and "Linear" in visited


def test_state_dict_round_trip_copies_values():
    a, b = Net(), Net()
    b.load_state_dict(a.state_dict())
    for (name, pa), (_, pb) in zip(a.named_parameters(), b.named_parameters()):
        np.testing.assert_array_equal(pa.numpy() if not pa.requires_grad else pa.detach().numpy(),
                                      pb.detach().numpy(), err_msg=name)  # fmt: skip
        assert pa is not pb


def test_state_dict_accepts_numpy_arrays_as_from_pytorch():
    a, b = Net(), Net()
    b.load_state_dict({k: v.numpy() for k, v in a.state_dict().items()})
    np.testing.assert_array_equal(a.scale.detach().numpy(), b.scale.detach().numpy())


def test_load_state_dict_reports_missing_and_unexpected_keys():
    net = Net()
    state = net.state_dict()
    del state["scale"]
    state["bogus.weight"] = mt.zeros(1)
    with pytest.raises(RuntimeError) as err:
        net.load_state_dict(state)
    assert "Missing key(s) in state_dict: 'scale'" in str(err.value)
    assert "Unexpected key(s) in state_dict: 'bogus.weight'" in str(err.value)
    result = net.load_state_dict(state, strict=False)
    assert result.missing_keys == ["scale"] and result.unexpected_keys == ["bogus.weight"]


def test_load_state_dict_shape_mismatch_names_key_and_both_shapes():
    net = Net()
    before = net.block.fc.weight.detach().numpy().copy()
    state = net.state_dict()
    state["block.fc.weight"] = mt.zeros(3, 4)
    state["layers.0.bias"] = mt.ones(4)
    with pytest.raises(
        RuntimeError, match=r"size mismatch for block.fc.weight: .*\(3, 4\).*\(3, 3\)"
    ):
        net.load_state_dict(state, strict=False)
    np.testing.assert_array_equal(net.block.fc.weight.detach().numpy(), before)  # nothing changed


def test_assigning_a_plain_tensor_to_a_parameter_name_is_refused():
    layer = nn.Linear(2, 2)
    with pytest.raises(TypeError, match="cannot assign Tensor as parameter 'weight'"):
        layer.weight = mt.zeros(2, 2)
    layer.bias = None
    assert [n for n, _ in layer.named_parameters()] == ["weight"]


def test_assignment_before_init_is_explained():
    class Broken(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(1, 1)

    with pytest.raises(AttributeError, match="super\\(\\).__init__\\(\\)"):
        Broken()


def test_repr_is_a_readable_tree():
    text = repr(Net())
    assert "(fc): Linear(in_features=3, out_features=3, bias=True)" in text
    assert "(out): Linear(in_features=2, out_features=1, bias=False)" in text
    assert text.startswith("Net(\n")


def test_sequential_indexing_len_slicing_and_append():
    seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    assert len(seq) == 3 and isinstance(seq[-1], nn.Linear)
    assert len(seq[:2]) == 2
    seq.append(nn.Sigmoid())
    assert isinstance(seq[3], nn.Sigmoid)
    with pytest.raises(IndexError, match="out of range"):
        seq[10]
    assert seq(mt.randn(4, 2)).shape == (4, 1)


def test_replacing_a_child_or_parameter_keeps_its_place():
    seq = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Tanh())
    seq[1], seq[2] = seq[2], seq[1]  # a swap, as PyTorch programs write it
    assert list(seq._modules) == ["0", "1", "2"]
    assert [type(m) for m in seq] == [nn.Linear, nn.Tanh, nn.ReLU]
    net = Net()
    net.block = Block()
    net.block.fc.weight = nn.Parameter(mt.zeros(3, 3))
    net.block.register_buffer("count", mt.ones(1))
    assert list(net._modules) == ["block", "layers", "head"]
    assert list(net.state_dict())[:5] == ["scale", "block.count", "block.fc.weight",
                                          "block.fc.bias", "layers.0.weight"]  # fmt: skip
    net.head = nn.Parameter(mt.ones(1))  # a child turned parameter: moves to the parameters
    assert "head" not in net._modules and list(net._parameters) == ["scale", "head"]


def test_sequential_explicit_backward_matches_recorded(rng):
    seq = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).double()
    x, dy = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    seq.forward(x)
    dx = seq.backward(dy)
    explicit = [p.grad.numpy().copy() for p in seq.parameters()]
    seq.zero_grad()
    xt = mt.tensor(x, requires_grad=True)
    seq(xt).backward(mt.tensor(dy))
    np.testing.assert_allclose(xt.grad.numpy(), dx)
    for e, p in zip(explicit, seq.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), e)


def test_module_dict_and_list():
    d = nn.ModuleDict({"a": nn.Linear(1, 1)})
    d["b"] = nn.Linear(1, 2)
    assert list(d.keys()) == ["a", "b"] and "b" in d
    assert [n for n, _ in d.named_parameters()][:2] == ["a.weight", "a.bias"]
    lst = nn.ModuleList()
    lst.append(nn.Linear(1, 1)).extend([nn.ReLU()])
    lst.insert(0, nn.Tanh())
    assert [type(m).__name__ for m in lst] == ["Tanh", "Linear", "ReLU"]
    assert [n for n, _ in lst.named_parameters()] == ["1.weight", "1.bias"]


def test_linear_init_matches_pytorch_bounds():
    layer = nn.Linear(400, 50)
    bound = 1 / np.sqrt(400)
    w = layer.weight.detach().numpy()
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.95 * bound
    assert abs(w.std() - bound / np.sqrt(3)) < 0.05 * bound


def test_manual_seed_makes_init_reproducible():
    mt.manual_seed(3)
    a = nn.Linear(5, 5).weight.detach().numpy()
    mt.manual_seed(3)
    b = nn.Linear(5, 5).weight.detach().numpy()
    np.testing.assert_array_equal(a, b)


def test_get_parameter_and_get_buffer_by_dotted_path():
    net = Net()
    assert net.get_parameter("block.fc.weight") is net.block.fc.weight
    assert net.get_parameter("scale") is net.scale
    assert net.get_buffer("block.count") is net.block.count
    with pytest.raises(AttributeError, match=r"'block.fc.nope': Linear.nope does not exist"):
        net.get_parameter("block.fc.nope")
    with pytest.raises(AttributeError, match=r"'block.count': Block.count is not a Parameter"):
        net.get_parameter("block.count")
    with pytest.raises(AttributeError, match=r"Linear.weight is not a buffer"):
        net.get_buffer("block.fc.weight")


def test_named_modules_can_keep_duplicates():
    net = nn.Module()
    shared = nn.Linear(2, 2)
    net.a, net.b = shared, shared
    assert [n for n, _ in net.named_modules()] == ["", "a"]
    assert [n for n, _ in net.named_modules(remove_duplicate=False)] == ["", "a", "b"]
    assert [n for n, _ in net.named_modules(prefix="m")] == ["m", "m.a"]


def test_bfloat16_is_refused_with_a_hint():
    with pytest.raises(TypeError, match=r"Linear.bfloat16\(\): minitorch has no bfloat16"):
        nn.Linear(2, 2).bfloat16()
    assert nn.Linear(2, 2).half().weight.dtype == mt.float16


def test_repr_layout_matches_torch_with_extra_repr_and_children(torch):
    def build(lib):
        class Box(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = lib.nn.Linear(2, 3)
                self.seq = lib.nn.Sequential(lib.nn.ReLU(), lib.nn.Dropout(0.1))

            def extra_repr(self):
                return "width=3,\nscale=2"

        return Box()

    assert repr(build(mt)) == repr(build(torch))
    assert repr(nn.Module()) == repr(torch.nn.Module()) == "Module()"
