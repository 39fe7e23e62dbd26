"""minitorch.onnx.export's API (PyTorch's signature): files and names, parameters as initializers
or inputs, constant folding, modes put back, and clear errors."""

import io
import sys

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from minitorch.autograd import Function
from tests.onnx._roundtrip import assert_matches, randn, session

onnx = pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")
from minitorch import onnx as mt_onnx  # noqa: E402


def _mlp():
    mt.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))


def test_path_or_file_object_and_parameter_names(tmp_path):
    model, x = _mlp(), mt.randn(2, 3)
    mt_onnx.export(model, x, tmp_path / "m.onnx")
    buf = io.BytesIO()
    mt_onnx.export(model, (x,), buf)
    proto = onnx.load(str(tmp_path / "m.onnx"))
    assert proto.SerializeToString() == buf.getvalue()
    graph = proto.graph
    assert {i.name for i in graph.initializer} == {n for n, _ in model.named_parameters()}
    assert [i.name for i in graph.input] == ["x"]  # the forward's argument: Sequential's x
    assert [o.name for o in graph.output] == ["output"]
    assert proto.opset_import[0].version == 17 and proto.producer_name == "minitorch"


def test_export_params_false_makes_parameters_graph_inputs():
    model = _mlp()
    x = randn(2, 3)
    sess = session(model, mt.tensor(x), export_params=False)
    names = [i.name for i in sess.get_inputs()]
    assert names == ["x", "0.weight", "0.bias", "2.weight", "2.bias"]
    feed = {"x": x, **{n: p.detach().numpy() for n, p in model.named_parameters()}}
    with mt.no_grad():
        want = model(mt.tensor(x)).numpy()
    np.testing.assert_allclose(sess.run(None, feed)[0], want, rtol=1e-6, atol=1e-6)


def test_without_constant_folding_parameters_keep_their_names():
    mt.manual_seed(0)
    layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16)
    buf = io.BytesIO()
    x = mt.randn(4, 2, 8)
    mt_onnx.export(layer, x, buf, do_constant_folding=False)
    names = {i.name for i in onnx.load_from_string(buf.getvalue()).graph.initializer}
    assert "self_attn.in_proj_weight" in names  # sliced in the graph, not folded
    assert_matches(layer, lambda n: [randn(4, 2, 8, seed=n)], do_constant_folding=False)


def test_names_outputs_and_keyword_arguments():
    class Two(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3, 3)

        def forward(self, x, scale=1.0, extra=None):
            y = self.fc(x) * scale
            return x, (y, y + extra)

    model = Two()
    x, e = randn(2, 3), randn(2, 3, seed=1)
    sess = session(model, (mt.tensor(x), {"extra": mt.tensor(e), "scale": 3.0}),
                   input_names=["x", "extra"], output_names=["same", "y"])  # fmt: skip
    assert [o.name for o in sess.get_outputs()] == ["same", "y", "output_2"]
    same, y, z = sess.run(None, {"x": x, "extra": e})
    with mt.no_grad():
        want = model.fc(mt.tensor(x)).numpy() * 3
    np.testing.assert_array_equal(same, x)
    np.testing.assert_allclose(y, want, rtol=1e-6)
    np.testing.assert_allclose(z, want + e, rtol=1e-6)


def test_the_model_is_left_as_it_was():
    model = nn.Sequential(nn.Linear(3, 3), nn.BatchNorm1d(3), nn.Dropout(0.5))
    model[0].bias.requires_grad_(False)
    model.train()
    call = Function.__call__
    mt_onnx.export(model, mt.randn(4, 3), io.BytesIO())
    assert all(m.training for m in model.modules())
    assert model[0].weight.requires_grad and not model[0].bias.requires_grad
    assert not model[1].running_mean.requires_grad
    assert Function.__call__ is call and mt.autograd.ops.compare.__name__ == "compare"
    assert not mt.autograd.is_anomaly_enabled()


class Clamp(nn.Layer):  # a custom layer: its own forward/backward, no ONNX mapping
    def forward(self, x):
        return x.clip(0, 1)

    def backward(self, dy):
        return dy


class Relu6(nn.ReLU):  # a catalogue subclass that computes something else
    def forward(self, x):
        return x.clip(0, 6)


@pytest.mark.parametrize("layer, name", [(Clamp(), "Clamp"), (Relu6(), "Relu6")])
def test_an_op_without_mapping_names_itself_and_its_module(layer, name):
    model = nn.Sequential(nn.Linear(3, 3), nn.Sequential(nn.Tanh(), layer))
    call = Function.__call__
    with pytest.raises(mt_onnx.UnsupportedOperatorError, match=rf"{name}.*'1\.1' \({name}\)"):
        mt_onnx.export(model, mt.randn(2, 3), io.BytesIO())
    assert Function.__call__ is call


class Cube(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x * x

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return 3 * x * x * dy


def test_a_pytorch_style_function_is_named():
    class Model(nn.Module):
        def forward(self, x):
            return Cube.apply(x) + 1

    with pytest.raises(mt_onnx.UnsupportedOperatorError, match=r"Cube \(a Function.apply\)"):
        mt_onnx.export(Model(), mt.randn(2, 3), io.BytesIO())


def test_dict_outputs_are_flattened_in_order():
    class Model(nn.Module):
        def forward(self, x):
            return {"double": x * 2, "none": None, "pair": (x + 1, x - 1)}

    x = randn(2, 3)
    sess = session(Model(), mt.tensor(x))
    double, plus, minus = sess.run(None, {"x": x})
    np.testing.assert_allclose(double, x * 2)
    np.testing.assert_allclose(plus, x + 1)
    np.testing.assert_allclose(minus, x - 1)


def test_unsupported_configurations_are_named():
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.MaxPool2d(2, return_indices=True))
    with pytest.raises(mt_onnx.UnsupportedOperatorError, match=r"return_indices.*'1'"):
        mt_onnx.export(model, mt.randn(1, 1, 6, 6), io.BytesIO())


def test_tensors_made_inside_forward_are_constants_with_a_warning():
    class Shift(nn.Module):
        def forward(self, x):
            return x + mt.ones(3)

    with pytest.warns(UserWarning, match=r"input 1 of Add .* exported as a constant"):
        assert_matches(Shift(), lambda n: [randn(2, 3)])


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"opset_version": 12}, ValueError, r"opset_version must be an int in \[13, "),
        ({"dynamic_axes": {"y": {0: "b"}}}, ValueError, r"\['y'\] are neither input nor output"),
        ({"dynamic_axes": {"x": {2: "b"}}}, ValueError, "dynamic axis 2 of 'x'"),
        ({"input_names": ["a", "b"]}, ValueError, "2 input_names given for 1 inputs"),
        ({"args": 3}, TypeError, "args must be a Tensor or a tuple of Tensors, got int"),
    ],
)
def test_bad_arguments(kwargs, error, message):
    args = kwargs.pop("args", mt.randn(2, 3))
    with pytest.raises(error, match=message):
        mt_onnx.export(_mlp(), args, io.BytesIO(), **kwargs)


def test_verbose_prints_the_graph(capsys):
    mt_onnx.export(_mlp(), mt.randn(2, 3), io.BytesIO(), verbose=True)
    assert "Gemm" in capsys.readouterr().out


def test_missing_package_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)
    with pytest.raises(ImportError, match="pip install onnx"):
        mt_onnx.export(_mlp(), mt.randn(2, 3), io.BytesIO())
