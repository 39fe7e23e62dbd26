"""Activations (LeakyReLU, ELU, GELU, SiLU, Softplus, Softmax, LogSoftmax) and the backend erf."""

import math
import warnings

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from minitorch.nn import functional as F  # noqa: N812
from tests.helpers import assert_keeps_float32, compare_with_torch, to_numpy

# (minitorch layer, torch layer name, constructor kwargs)
CASES = [
    ("LeakyReLU", {}),
    ("LeakyReLU", {"negative_slope": 0.2}),
    ("ELU", {}),
    ("ELU", {"alpha": 0.5}),
    ("GELU", {}),
    ("GELU", {"approximate": "tanh"}),
    ("SiLU", {}),
    ("Softplus", {}),
    ("Softplus", {"beta": 2.0, "threshold": 5.0}),
    ("Softmax", {"dim": 1}),
    ("Softmax", {"dim": -1}),
    ("LogSoftmax", {"dim": 0}),
    ("LogSoftmax", {"dim": 2}),
]
IDS = [f"{name}-{kw}" for name, kw in CASES]


def _input(rng, shape=(3, 4, 5)):
    x = rng.standard_normal(shape) * 3
    return np.where(np.abs(x) < 1e-3, 0.5, x)  # away from the kinks at 0


@pytest.mark.parametrize("name,kwargs", CASES, ids=IDS)
def test_matches_torch(torch, device, name, kwargs, rng):
    x = _input(rng)
    x[0, 0, :3] = [25.0, -30.0, 12.0]  # Softplus past its threshold, ELU deep negative
    compare_with_torch(getattr(nn, name)(**kwargs), getattr(torch.nn, name)(**kwargs), [x],
                       device=device)  # fmt: skip


@pytest.mark.parametrize("name,kwargs", CASES, ids=IDS)
def test_gradcheck_and_float32(name, kwargs, rng, device):
    x = _input(rng, (3, 4, 2))
    assert mt.gradcheck(getattr(nn, name)(**kwargs), x)
    assert_keeps_float32(getattr(nn, name)(**kwargs), x, device=device)


def test_functional_forms_match_layers(rng):
    x = mt.tensor(_input(rng))
    pairs = [
        (F.leaky_relu(x, 0.1), nn.LeakyReLU(0.1)(x)),
        (F.elu(x, 0.7), nn.ELU(0.7)(x)),
        (F.gelu(x, approximate="tanh"), nn.GELU("tanh")(x)),
        (F.silu(x), nn.SiLU()(x)),
        (F.softplus(x, beta=3), nn.Softplus(beta=3)(x)),
        (F.softmax(x, dim=1), nn.Softmax(1)(x)),
        (x.softmax(1), nn.Softmax(1)(x)),
        (x.log_softmax(-1), nn.LogSoftmax(-1)(x)),
        (F.log_softmax(x, 2), nn.LogSoftmax(2)(x)),
    ]
    for a, b in pairs:
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_softmax_dtype_argument_converts_first(rng):
    x = mt.tensor(rng.standard_normal((2, 3)), dtype=mt.float32)
    assert F.softmax(x, dim=1, dtype=mt.float64).dtype == mt.float64


def test_softmax_is_stable_and_sums_to_one():
    x = mt.tensor([[1000.0, 1000.0, -1000.0], [-1e4, 0.0, 1e4]], dtype=mt.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = nn.Softmax(dim=1)(x).numpy()
        logy = nn.LogSoftmax(dim=1)(x).numpy()
    np.testing.assert_allclose(y.sum(axis=1), 1.0)
    np.testing.assert_allclose(y[0], [0.5, 0.5, 0.0])
    np.testing.assert_allclose(logy[0, :2], [-math.log(2)] * 2)
    assert np.isfinite(logy).all()


def test_softplus_and_elu_do_not_overflow():
    x = mt.tensor([-1e4, 0.0, 1e4], dtype=mt.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(nn.Softplus()(x).numpy(), [0.0, math.log(2), 1e4])
        np.testing.assert_allclose(nn.ELU()(x).numpy(), [-1.0, 0.0, 1e4])


def test_softmax_implicit_dim_follows_pytorch_with_a_warning(rng):
    x = mt.tensor(rng.standard_normal((2, 3)))
    with pytest.warns(UserWarning, match="Implicit dimension choice"):
        y = nn.Softmax()(x)
    np.testing.assert_allclose(y.numpy().sum(axis=1), 1.0, rtol=1e-6)  # dim 1 for 2-D input
    with pytest.warns(UserWarning):
        y = F.log_softmax(mt.tensor(rng.standard_normal(4)))
    np.testing.assert_allclose(np.exp(y.numpy()).sum(), 1.0, rtol=1e-6)  # dim 0 for 1-D input


def test_softmax_bad_dim_is_explained():
    with pytest.raises(IndexError, match=r"Softmax: dim 2 is out of range for a 2-D input"):
        nn.Softmax(dim=2)(mt.randn(2, 3))


def test_gelu_rejects_unknown_approximation():
    with pytest.raises(ValueError, match="GELU: approximate must be 'none' or 'tanh', got 'erf'"):
        nn.GELU(approximate="erf")


def test_inplace_writes_back_only_when_no_graph_is_recorded():
    x = mt.tensor([-2.0, 3.0])
    with mt.no_grad():
        y = nn.LeakyReLU(0.5, inplace=True)(x)
    np.testing.assert_array_equal(x.numpy(), [-1.0, 3.0])
    assert y.array is x.array
    leaf = mt.tensor([-2.0, 3.0], requires_grad=True)
    x = leaf * 1  # a leaf that requires grad is refused, as in PyTorch
    y = nn.ELU(inplace=True)(x)  # recorded: computed out of place so saved arrays stay valid
    y.sum().backward()
    np.testing.assert_array_equal(x.detach().numpy(), [-2.0, 3.0])
    np.testing.assert_allclose(leaf.grad.numpy(), [math.exp(-2.0), 1.0], rtol=1e-6)


def test_explicit_forward_backward_on_arrays(rng):
    x = rng.standard_normal((2, 3))
    layer = nn.SiLU()
    y = layer.forward(x)
    s = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(y, x * s)
    np.testing.assert_allclose(layer.backward(np.ones_like(x)), s * (1 + x * (1 - s)))


def test_repr():
    assert repr(nn.LeakyReLU(0.2)) == "LeakyReLU(negative_slope=0.2)"
    assert repr(nn.GELU("tanh")) == "GELU(approximate='tanh')"
    assert repr(nn.Softmax(dim=1)) == "Softmax(dim=1)"
    assert repr(nn.Softplus()) == "Softplus(beta=1.0, threshold=20.0)"


# --- the backend's erf (GELU's exact form) -------------------------------------------------------
def test_numpy_erf_is_accurate_to_an_ulp():
    tiny = np.geomspace(1e-300, 1, 200)
    edges = [0.0, 0.84375, 1.25, 1 / 0.35, 6.0]  # where the approximation switches formula
    x = np.concatenate([np.linspace(-7, 7, 20001), tiny, -tiny, edges])
    ref = np.array([math.erf(v) for v in x])
    got = mt.backend.numpy_backend().erf(x)
    assert got.dtype == np.float64
    assert np.max(np.abs(got - ref)) <= 2.3e-16
    special = mt.backend.numpy_backend().erf(np.array([np.inf, -np.inf, np.nan, -0.0]))
    assert special[0] == 1 and special[1] == -1 and np.isnan(special[2])
    assert np.signbit(special[3])


def test_numpy_erf_keeps_float32():
    x = np.linspace(-5, 5, 1001, dtype=np.float32)
    got = mt.backend.numpy_backend().erf(x)
    assert got.dtype == np.float32
    ref = np.array([math.erf(v) for v in x.astype(np.float64)])
    assert np.max(np.abs(got - ref)) < 3e-7


def test_backend_erf_matches_numpy_reference(device, rng):
    x = rng.standard_normal(1000) * 3
    backend = mt.backend.backend_for(device)
    got = to_numpy(backend.erf(backend.from_host(x)))
    np.testing.assert_allclose(got, mt.backend.numpy_backend().erf(x), rtol=0, atol=1e-15)
