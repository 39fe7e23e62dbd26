"""Activations at the edges, against PyTorch: NaN and infinite inputs, and NaN or infinite
incoming gradients (a backward must select, not multiply by a 0/1 mask); ``inplace=True``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from minitorch.nn import functional as F  # noqa: N812
from tests.helpers import to_numpy

NAN, INF = float("nan"), float("inf")
EDGES = np.array([NAN, INF, -INF, 0.0, 1.0, -1.0, 6.0, -3.0, 3.0, -1.5, 0.5, 30.0, -30.0])
GRADIENTS = {"ones": 1.0, "inf": INF, "nan": NAN}

# (minitorch layer, torch layer, constructor args)
LAYERS = [
    ("ReLU", ()), ("LeakyReLU", (0.1,)), ("ELU", (0.7,)), ("GELU", ()), ("SiLU", ()),
    ("Softplus", ()), ("Sigmoid", ()), ("Tanh", ()), ("Hardtanh", (-0.5, 2.0)), ("ReLU6", ()),
    ("Hardsigmoid", ()), ("Hardswish", ()), ("Mish", ()), ("Softsign", ()), ("Tanhshrink", ()),
    ("LogSigmoid", ()), ("PReLU", ()),
]  # fmt: skip
# PyTorch writes these as compositions of ops, so an infinite input or incoming gradient meets
# inf - inf or inf / inf there (NaN); minitorch differentiates the closed form, which gives the
# limit (Softsign's gradient at +-inf is 0). Elsewhere they agree.
COMPOSITE = {"Softsign", "Tanhshrink"}


def _torch_grads(torch, module, x, dy):
    xt = torch.tensor(x, requires_grad=True)
    y = module(xt)
    y.backward(torch.tensor(dy))
    return y.detach().numpy(), xt.grad.numpy()


@pytest.mark.parametrize("gradient", list(GRADIENTS))
@pytest.mark.parametrize("name,args", LAYERS, ids=[name for name, _ in LAYERS])
def test_edge_values_match_torch(name, args, gradient, torch, device):
    if gradient != "ones" and name in COMPOSITE:
        pytest.skip("PyTorch's composite backward gives inf - inf = NaN (see COMPOSITE)")
    dy = np.full(EDGES.shape, GRADIENTS[gradient])
    with np.errstate(all="ignore"):
        y_ref, dx_ref = _torch_grads(torch, getattr(torch.nn, name)(*args).double(), EDGES, dy)
        x = mt.tensor(EDGES, device=device, requires_grad=True)
        y = getattr(nn, name)(*args).double().to(device)(x)
        y.backward(mt.tensor(dy, device=device))
    # torch's Hardsigmoid multiplies by float32(1/6) even in float64
    rtol = 1e-7 if name == "Hardsigmoid" else 1e-12
    np.testing.assert_allclose(to_numpy(y), y_ref, rtol=1e-12, atol=1e-12, equal_nan=True)
    dx = to_numpy(x.grad)
    if name in COMPOSITE:
        finite = np.isfinite(EDGES) | np.isnan(EDGES)
        dx, dx_ref = dx[finite], dx_ref[finite]
    np.testing.assert_allclose(dx, dx_ref, rtol=rtol, atol=1e-12, equal_nan=True)


def test_relu_gradient_is_selected_not_multiplied(device):
    x = mt.tensor([-1.0, 0.0, 2.0, NAN], device=device, requires_grad=True)
    nn.ReLU()(x).backward(mt.tensor([INF, NAN, INF, 5.0], device=device))
    np.testing.assert_array_equal(to_numpy(x.grad), [0.0, 0.0, INF, 5.0])


# (layer, args, function, kwargs): every activation that takes inplace=
INPLACE = [
    ("ReLU", (), F.relu, {}), ("LeakyReLU", (0.2,), F.leaky_relu, {"negative_slope": 0.2}),
    ("ELU", (), F.elu, {}), ("SiLU", (), F.silu, {}), ("Hardtanh", (), F.hardtanh, {}),
    ("ReLU6", (), F.relu6, {}), ("Hardsigmoid", (), F.hardsigmoid, {}),
    ("Hardswish", (), F.hardswish, {}), ("Mish", (), F.mish, {}),
    ("Dropout", (0.5,), F.dropout, {"p": 0.5}),
]  # fmt: skip


@pytest.mark.parametrize("name,args,function,kwargs", INPLACE, ids=[c[0] for c in INPLACE])
def test_inplace_writes_into_the_input_without_a_graph(name, args, function, kwargs, rng):
    values = rng.standard_normal((3, 4)) * 4
    expected = getattr(nn, name)(*args).eval()(mt.tensor(values)).numpy()  # eval: no dropout
    for run in (lambda x: getattr(nn, name)(*args, inplace=True).eval()(x),
                lambda x: function(x, **kwargs, inplace=True, **(
                    {"training": False} if name == "Dropout" else {}))):  # fmt: skip
        x = mt.tensor(values)
        with mt.no_grad():
            y = run(x)
        np.testing.assert_allclose(x.numpy(), expected)
        assert y.array is x.array


@pytest.mark.parametrize(
    "name,args,function,kwargs", INPLACE[:-1], ids=[c[0] for c in INPLACE[:-1]]
)
def test_inplace_while_recording_leaves_the_input_and_differentiates(name, args, function,
                                                                      kwargs, rng):  # fmt: skip
    values = rng.standard_normal((3, 4)) * 4
    leaf, ref = mt.tensor(values, requires_grad=True), mt.tensor(values, requires_grad=True)
    with pytest.raises(RuntimeError, match=rf"{name}\(.*\): a leaf Tensor that requires grad"):
        getattr(nn, name)(*args, inplace=True)(leaf)  # as PyTorch
    x = leaf * 1
    y = getattr(nn, name)(*args, inplace=True)(x)
    y.sum().backward()
    getattr(nn, name)(*args)(ref).sum().backward()
    np.testing.assert_array_equal(x.detach().numpy(), values)
    np.testing.assert_allclose(leaf.grad.numpy(), ref.grad.numpy())


def test_hardtanh_takes_the_deprecated_min_value_names():
    with pytest.warns(FutureWarning, match="min_value"):
        layer = nn.Hardtanh(min_value=-2.0)
    assert layer.min_val == -2.0 and layer.max_val == 1.0
    with pytest.raises(ValueError, match=r"Hardtanh: max_val \(1.0\) must be greater"):
        nn.Hardtanh(2.0, 1.0)


def test_prelu_slopes_and_errors(torch, rng):
    layer = nn.PReLU(3, init=0.1)
    np.testing.assert_array_equal(layer.weight.detach().numpy(), np.full(3, 0.1, np.float32))
    with pytest.raises(ValueError, match=r"PReLU\(3\): 3 parameters but the input"):
        layer(mt.randn(4))
    x, w = rng.standard_normal((2, 3, 4)), rng.standard_normal(3)
    a, b = mt.tensor(x, requires_grad=True), mt.tensor(w, requires_grad=True)
    ta, tb = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    F.prelu(a, b).sum().backward()
    torch.nn.functional.prelu(ta, tb).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), ta.grad.numpy())
    np.testing.assert_allclose(b.grad.numpy(), tb.grad.numpy())


def test_functional_forms_match_the_layers(rng):
    x = mt.tensor(rng.standard_normal((2, 3, 4)) * 4)
    pairs = [
        (F.hardtanh(x, -2.0, 0.5), nn.Hardtanh(-2.0, 0.5)(x)), (F.relu6(x), nn.ReLU6()(x)),
        (F.hardsigmoid(x), nn.Hardsigmoid()(x)), (F.hardswish(x), nn.Hardswish()(x)),
        (F.mish(x), nn.Mish()(x)), (F.softsign(x), nn.Softsign()(x)),
        (F.tanhshrink(x), nn.Tanhshrink()(x)), (F.logsigmoid(x), nn.LogSigmoid()(x)),
        (F.softmin(x, dim=1), nn.Softmin(1)(x)), (F.relu(x, inplace=False), nn.ReLU()(x)),
    ]  # fmt: skip
    for a, b in pairs:
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_softmin_sums_to_one_and_prefers_the_smallest():
    y = F.softmin(mt.tensor([[1.0, 2.0, 3.0]]), dim=1).numpy()
    np.testing.assert_allclose(y.sum(), 1.0, rtol=1e-6)
    assert y[0, 0] > y[0, 1] > y[0, 2]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_and_silu_keep_their_precision_in_the_tails(torch, dtype):
    """Not (1 + tanh(x/2)) / 2, which loses every digit below about -17."""
    x = np.array([-1000.0, -80.0, -30.0, -17.0, -9.0, 0.0, 9.0, 30.0, 1000.0], dtype=dtype)
    with np.errstate(over="ignore"):
        exact = 1 / (1 + np.exp(-x.astype(np.float64)))
    rtol = 4e-7 if dtype == np.float32 else 1e-15
    for ours, theirs in ((nn.Sigmoid(), torch.nn.Sigmoid()), (nn.SiLU(), torch.nn.SiLU())):
        y = to_numpy(ours(mt.tensor(x)))
        np.testing.assert_allclose(y, theirs(torch.tensor(x)).numpy(), rtol=rtol)
    np.testing.assert_allclose(to_numpy(nn.Sigmoid()(mt.tensor(x))), exact, rtol=rtol, atol=0)


def test_bce_of_a_far_negative_sigmoid_is_its_logit():
    p = nn.Sigmoid()(mt.tensor([-30.0], dtype=mt.float64))
    loss = nn.BCELoss()(p, mt.tensor([1.0], dtype=mt.float64))
    assert abs(loss.item() - 30.0) < 1e-12  # was 100 (log clamped) with the tanh form


def test_softmax_checks_dim_on_a_0d_input():
    with pytest.raises(IndexError, match=r"Softmax: dim 1 is out of range for a 0-D input"):
        nn.Softmax(dim=1)(mt.tensor(1.0))
    assert nn.Softmax(dim=-1)(mt.tensor(1.0)).item() == 1.0


def test_log_softmax_of_an_empty_slice_is_empty_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = nn.LogSoftmax(dim=1)(mt.randn(3, 0))
    assert tuple(y.shape) == (3, 0)
