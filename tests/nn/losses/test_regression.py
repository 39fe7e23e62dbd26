"""Regression losses, KLDivLoss, the loss package and the shared reduction machinery."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from minitorch.nn import functional as F  # noqa: N812
from tests.helpers import assert_keeps_float32, compare_with_torch, to_numpy

REDUCTIONS = ["mean", "sum", "none"]
SHAPE = (4, 3)

# name -> keyword options to try (each also with every reduction)
REGRESSION = {
    "MSELoss": [{}],
    "L1Loss": [{}],
    "HuberLoss": [{}, {"delta": 0.5}, {"delta": 2.5}],
    "SmoothL1Loss": [{}, {"beta": 0.5}, {"beta": 0.0}],
}
CASES = [(name, kw) for name, options in REGRESSION.items() for kw in options]


def regression_data(rng: np.random.Generator) -> tuple:
    x = 2 * rng.standard_normal(SHAPE)
    return x, x + rng.choice([-1, 1], SHAPE) * rng.uniform(0.05, 3, SHAPE)  # no ties, no kinks


@pytest.mark.parametrize("name, options", CASES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_regression_losses(torch, device, rng, name, options, reduction):
    x, t = regression_data(rng)
    mt_loss = getattr(nn, name)(reduction=reduction, **options)
    th_loss = getattr(torch.nn, name)(reduction=reduction, **options)
    compare_with_torch(mt_loss, th_loss, [x, t], device=device, grad_inputs=[0])
    assert mt.gradcheck(mt_loss, mt.tensor(x, device=device, requires_grad=True),
                        mt.tensor(t, device=device))  # fmt: skip


@pytest.mark.parametrize("name, options", CASES)
def test_regression_extremes_and_empty(torch, rng, name, options):
    x = rng.choice([-1e4, 1e4], SHAPE)
    t = rng.standard_normal(SHAPE)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for reduction in REDUCTIONS:
            mt_loss = getattr(nn, name)(reduction=reduction, **options)
            th_loss = getattr(torch.nn, name)(reduction=reduction, **options)
            compare_with_torch(mt_loss, th_loss, [x, t], grad_inputs=[0], atol=1e-6)
            empty = np.zeros((0, 3))
            compare_with_torch(mt_loss, th_loss, [empty, empty], grad_inputs=[0])


@pytest.mark.parametrize("name, options", CASES)
def test_regression_keeps_float32(rng, name, options):
    x, t = regression_data(rng)
    target = mt.tensor(t.astype(np.float32))
    assert_keeps_float32(lambda a: getattr(nn, name)(**options)(a, target), x)


@pytest.mark.parametrize("name, options", CASES)
def test_a_float64_target_promotes_as_in_pytorch(rng, name, options):
    """float32 input, float64 target: the loss is float64 (HuberLoss excepted, as in PyTorch);
    the input's gradient stays float32."""
    x, t = regression_data(rng)
    xt = mt.tensor(x.astype(np.float32), requires_grad=True)
    out = getattr(nn, name)(**options)(xt, mt.tensor(t))
    out.sum().backward()
    assert out.dtype == (mt.float32 if name == "HuberLoss" else mt.float64)
    assert xt.grad.dtype == mt.float32


@pytest.mark.parametrize("reduction", ["mean", "batchmean", "sum", "none"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div(torch, device, rng, reduction, log_target):
    logits = rng.standard_normal(SHAPE)
    x = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    t = rng.dirichlet(np.ones(3), SHAPE[0])
    t[0, 1] = 0.0  # 0 log 0 = 0
    t = np.log(t + 1e-3) if log_target else t
    mt_loss = nn.KLDivLoss(reduction=reduction, log_target=log_target)
    th_loss = torch.nn.KLDivLoss(reduction=reduction, log_target=log_target)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns about reduction='mean'
        compare_with_torch(mt_loss, th_loss, [x, t], device=device, grad_inputs=[0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # minitorch does not (zero targets included)
        assert mt.gradcheck(mt_loss, mt.tensor(x, device=device, requires_grad=True),
                            mt.tensor(t, device=device))  # fmt: skip
        if reduction in ("mean", "batchmean"):
            empty = mt.zeros(0, 3)
            assert np.isnan(nn.KLDivLoss(reduction=reduction)(empty, empty).item())


def test_kl_div_keeps_float32_and_rejects_bad_input(rng):
    x = rng.standard_normal(SHAPE)
    target = mt.tensor(rng.random(SHAPE).astype(np.float32))
    assert_keeps_float32(lambda a: nn.KLDivLoss(reduction="batchmean")(a, target), x)
    with pytest.raises(ValueError, match=r"KLDivLoss: input shape \(4, 3\) and target shape"):
        nn.KLDivLoss()(mt.randn(4, 3), mt.rand(3))
    with pytest.raises(ValueError, match="KLDivLoss: reduction must be one of"):
        nn.KLDivLoss(reduction="batchsum")


# --- functional forms ---------------------------------------------------------------------------
FUNCTIONAL = [
    ("mse_loss", {}), ("l1_loss", {}), ("huber_loss", {"delta": 0.7}),
    ("smooth_l1_loss", {"beta": 0.4}), ("kl_div", {"log_target": True}),
]  # fmt: skip


@pytest.mark.filterwarnings("ignore:reduction. 'mean' divides:UserWarning")  # torch's kl_div
@pytest.mark.parametrize("name, options", FUNCTIONAL)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_functional_matches_torch(torch, rng, name, options, reduction):
    x, t = regression_data(rng)
    call = lambda f, a, b: getattr(f, name)(a, b, reduction=reduction, **options)  # noqa: E731
    compare_with_torch(F, torch.nn.functional, [x, t], grad_inputs=[0], call=call)


@pytest.mark.parametrize("name, options", FUNCTIONAL[:3])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_functional_elementwise_weight(torch, rng, name, options, reduction):
    """PyTorch's ``weight=`` of mse/l1/huber_loss (mean: divided by sum(weight) for mse and l1)."""
    x, t = regression_data(rng)
    w = rng.uniform(0.1, 2, SHAPE)
    call = lambda f, a, b, c: getattr(f, name)(a, b, reduction=reduction, weight=c, **options)  # noqa: E731
    compare_with_torch(F, torch.nn.functional, [x, t, w], grad_inputs=[0], call=call)
    with pytest.raises(ValueError, match=rf"{name}: weight shape \(3,\) must equal"):
        getattr(F, name)(mt.tensor(x), mt.tensor(t), weight=mt.ones(3))


# --- the package and the base class -------------------------------------------------------------
def test_package_exports():
    from minitorch.nn.losses import MSELoss, _Loss

    assert nn.MSELoss is MSELoss and issubclass(nn.CrossEntropyLoss, _Loss)
    for name in ("MSELoss", "L1Loss", "HuberLoss", "SmoothL1Loss", "CrossEntropyLoss", "NLLLoss",
                 "BCELoss", "BCEWithLogitsLoss", "KLDivLoss"):  # fmt: skip
        assert isinstance(getattr(nn, name)(), nn.Layer)


def test_target_needs_no_gradient():
    x, t = mt.randn(3, requires_grad=True), mt.randn(3, requires_grad=True)
    nn.MSELoss()(x, t).backward()
    assert x.grad is not None and t.grad is None
    loss = nn.L1Loss()
    loss.forward(np.ones(3), np.zeros(3))
    assert loss.backward(np.array(1.0))[1] is None


LEGACY = [(None, False, "none"), (False, None, "sum"), (True, True, "mean")]


@pytest.mark.parametrize("size_average, reduce, expected", LEGACY)
def test_legacy_size_average_and_reduce(size_average, reduce, expected):
    with pytest.warns(UserWarning, match=f"reduction='{expected}'"):
        assert nn.MSELoss(size_average, reduce).reduction == expected
    with pytest.warns(UserWarning):
        assert nn.CrossEntropyLoss(size_average=size_average, reduce=reduce).reduction == expected


def test_bad_input():
    with pytest.raises(ValueError, match=r"MSELoss: input shape \(4, 3\) and target shape \(4,\)"):
        nn.MSELoss()(mt.randn(4, 3), mt.randn(4))
    with pytest.raises(ValueError, match="L1Loss: reduction must be one of"):
        nn.L1Loss(reduction="avg")
    with pytest.raises(ValueError, match="HuberLoss: delta must be positive"):
        nn.HuberLoss(delta=0)
    with pytest.raises(ValueError, match="SmoothL1Loss: beta must be >= 0"):
        nn.SmoothL1Loss(beta=-1)
    with pytest.raises(TypeError, match="MSELoss: input must be a floating tensor"):
        nn.MSELoss()(mt.tensor([1, 2]), mt.tensor([1, 2]))


def test_repr():
    assert repr(nn.MSELoss()) == "MSELoss()"
    assert repr(nn.HuberLoss("sum", 2.0)) == "HuberLoss(reduction='sum', delta=2.0)"
    assert repr(nn.KLDivLoss(reduction="batchmean")) == (
        "KLDivLoss(reduction='batchmean', log_target=False)"
    )
    assert to_numpy(nn.MSELoss()(mt.tensor([1.0, 3.0]), mt.tensor([0.0, 0.0]))) == 5.0


@pytest.mark.parametrize("name,kwargs", [("L1Loss", {}), ("SmoothL1Loss", {"beta": 0.0})])
@pytest.mark.parametrize("gradient", [1.0, float("inf"), float("nan")])
def test_l1_gradient_at_nan_and_ties_matches_torch(name, kwargs, gradient, torch):
    """PyTorch's sign is 0 at a NaN difference (NumPy's is NaN) and at a tie."""
    x = np.array([float("nan"), 1.0, 2.0, float("inf"), 0.0, -1.0])
    t = np.array([0.0, 1.0, 3.0, 1.0, float("inf"), 0.0])
    a, b = mt.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    with np.errstate(invalid="ignore"):  # inf - inf
        getattr(nn, name)(reduction="none", **kwargs)(a, mt.tensor(t)).backward(
            mt.tensor(np.full(6, gradient))
        )
    getattr(torch.nn, name)(reduction="none", **kwargs)(b, torch.tensor(t)).backward(
        torch.tensor(np.full(6, gradient))
    )
    np.testing.assert_array_equal(a.grad.numpy(), b.grad.numpy())
