"""Safetensors interop (minitorch/utils/safetensors.py): PyTorch-trained weights load into the
same architecture written with minitorch and give the same outputs, and back; dtypes survive;
what safetensors.torch refuses is refused."""

import sys

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from minitorch.utils import safetensors as st


@pytest.fixture(autouse=True)
def _needs_safetensors(request):
    """Every test but the missing-package one needs the package (skipped cleanly without)."""
    if request.node.name != "test_missing_package_says_what_to_install":
        pytest.importorskip("safetensors")


def _pair(name: str):
    """(torch module, minitorch module, input shape) of one architecture, both in eval mode."""
    import torch

    tnn = torch.nn
    if name == "mlp":
        return (tnn.Sequential(tnn.Linear(4, 8), tnn.ReLU(), tnn.Linear(8, 3)),
                nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3)), (5, 4))  # fmt: skip
    if name == "cnn":

        def layers(m):
            return m.Sequential(m.Conv2d(1, 4, 3, padding=1), m.BatchNorm2d(4), m.ReLU(),
                                m.MaxPool2d(2), m.Flatten(), m.Linear(4 * 4 * 4, 3))  # fmt: skip

        return layers(tnn), layers(nn), (3, 1, 8, 8)
    if name == "lstm":
        return (tnn.LSTM(5, 6, num_layers=2, batch_first=True),
                nn.LSTM(5, 6, num_layers=2, batch_first=True), (2, 7, 5))  # fmt: skip
    kw = {"dim_feedforward": 16, "dropout": 0.0, "batch_first": True}
    return (tnn.TransformerEncoderLayer(8, 2, **kw), nn.TransformerEncoderLayer(8, 2, **kw),
            (2, 5, 8))  # fmt: skip


def _out(y):
    return y[0] if isinstance(y, tuple) else y  # the RNN's (output, state): compare the output


def _train_torch(model, shape):
    import torch

    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(3):  # moves the weights off their init and BatchNorm's running statistics
        opt.zero_grad()
        _out(model(torch.randn(*shape))).square().mean().backward()
        opt.step()
    return model.eval()


ARCHS = ["mlp", "cnn", "lstm", "transformer"]


@pytest.mark.parametrize("arch", ARCHS)
def test_torch_trained_weights_give_the_same_outputs_in_minitorch(arch, tmp_path):
    torch = pytest.importorskip("torch")
    from safetensors.torch import save_file

    torch.manual_seed(0)
    tmodel, model, shape = _pair(arch)
    tmodel = _train_torch(tmodel, shape)
    path = tmp_path / "model.safetensors"
    save_file(tmodel.state_dict(), path)
    state = st.load_file(path)
    assert list(state) and all(isinstance(v, mt.Tensor) for v in state.values())
    model.load_state_dict(state)
    model.eval()
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    with torch.no_grad():
        want = _out(tmodel(torch.from_numpy(x))).numpy()
    with mt.no_grad():
        got = _out(model(mt.tensor(x))).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    for key, value in model.state_dict().items():
        assert value.dtype.name == str(tmodel.state_dict()[key].dtype).removeprefix("torch.")


@pytest.mark.parametrize("arch", ARCHS)
def test_minitorch_weights_load_into_torch_with_the_same_outputs(arch, tmp_path):
    torch = pytest.importorskip("torch")
    from safetensors.torch import load_file

    mt.manual_seed(1)
    tmodel, model, shape = _pair(arch)
    x = np.random.default_rng(1).standard_normal(shape).astype(np.float32)
    model.train()
    _out(model(mt.tensor(x)))  # BatchNorm's running statistics move off (0, 1)
    model.eval()
    path = tmp_path / "model.safetensors"
    st.save_file(model.state_dict(), path)
    loaded = load_file(path)
    assert {k: str(v.dtype) for k, v in loaded.items()} == {
        k: f"torch.{v.dtype.name}" for k, v in model.state_dict().items()
    }
    tmodel.load_state_dict(loaded)
    tmodel.eval()
    with torch.no_grad():
        want = _out(tmodel(torch.from_numpy(x))).numpy()
    with mt.no_grad():
        got = _out(model(mt.tensor(x))).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_dtypes_round_trip_both_ways(tmp_path):
    torch = pytest.importorskip("torch")
    from safetensors.torch import load_file, save_file

    values = {
        "f16": torch.randn(3, 2).half(), "f32": torch.randn(4), "f64": torch.randn(2, 2).double(),
        "i64": torch.arange(5), "i32": torch.arange(3, dtype=torch.int32),
        "u8": torch.arange(4, dtype=torch.uint8), "b": torch.tensor([True, False]),
        "scalar": torch.tensor(2.5), "empty": torch.zeros(0, 3),
    }  # fmt: skip
    save_file(values, tmp_path / "t.safetensors")
    ours = st.load_file(tmp_path / "t.safetensors")
    for key, value in values.items():
        assert ours[key].dtype.name == str(value.dtype).removeprefix("torch."), key
        np.testing.assert_array_equal(ours[key].numpy(), value.numpy())
    st.save_file(ours, tmp_path / "back.safetensors")
    back = load_file(tmp_path / "back.safetensors")
    for key, value in values.items():
        assert back[key].dtype == value.dtype and torch.equal(back[key], value), key


def test_bytes_round_trip_and_metadata(tmp_path):
    t = {"w": mt.randn(3, 4), "steps": mt.tensor(7)}
    data = st.save(t, metadata={"format": "pt"})
    assert isinstance(data, bytes)
    back = st.load(data)
    assert back["steps"].dtype == mt.int64 and back["steps"].item() == 7
    np.testing.assert_array_equal(back["w"].numpy(), t["w"].numpy())
    back["w"].add_(1)  # loaded tensors own writable memory
    st.save_file(t, tmp_path / "m.safetensors", metadata={"epoch": "3"})
    from safetensors import safe_open

    with safe_open(str(tmp_path / "m.safetensors"), framework="numpy") as f:
        assert f.metadata() == {"epoch": "3"}
    with pytest.raises(TypeError, match="metadata must be a dict of str to str"):
        st.save(t, metadata={"epoch": 3})


def test_refuses_what_safetensors_torch_refuses():
    w = mt.randn(4, 3)
    with pytest.raises(RuntimeError, match=r"share memory.*\{'[ab]', '[ab]'\}"):
        st.save({"a": w, "b": w})
    with pytest.raises(RuntimeError, match="share memory"):
        st.save({"a": w, "b": w[:2]})  # a view into the same memory
    assert st.load(st.save({"a": w[:2].clone(), "b": w[2:].clone()}))["b"].shape == (2, 3)
    with pytest.raises(ValueError, match="non contiguous tensor: `t`"):
        st.save({"t": w.T})
    with pytest.raises(ValueError, match="key `x` is invalid, expected minitorch.Tensor"):
        st.save({"x": np.zeros(3)})
    with pytest.raises(ValueError, match="expected a dict"):
        st.save([w])


def test_bfloat16_is_refused_with_a_hint(tmp_path):
    torch = pytest.importorskip("torch")
    from safetensors.torch import save_file

    save_file({"w": torch.zeros(2, dtype=torch.bfloat16)}, tmp_path / "bf.safetensors")
    with pytest.raises(TypeError, match=r"`w` has dtype BF16.*torch.float32"):
        st.load_file(tmp_path / "bf.safetensors")


class Tied(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(5, 3)
        self.out = nn.Linear(3, 5, bias=False)
        self.out.weight = self.emb.weight  # tied weights: one tensor, two names


def test_save_model_stores_tied_weights_once(tmp_path):
    model = Tied()
    with pytest.raises(RuntimeError, match="share memory"):
        st.save_file(model.state_dict(), tmp_path / "x.safetensors")
    st.save_model(model, tmp_path / "tied.safetensors")
    assert set(st.load_file(tmp_path / "tied.safetensors")) == {"emb.weight"}
    fresh = Tied()
    assert st.load_model(fresh, tmp_path / "tied.safetensors") == ([], [])
    np.testing.assert_array_equal(
        fresh.out.weight.detach().numpy(), model.emb.weight.detach().numpy()
    )
    with pytest.raises(RuntimeError, match="Missing key"):
        st.load_model(nn.Sequential(nn.Linear(2, 2)), tmp_path / "tied.safetensors")


def test_missing_package_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "safetensors", None)
    with pytest.raises(ImportError, match="pip install safetensors"):
        st.save({"a": mt.zeros(1)})
