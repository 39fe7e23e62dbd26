"""BCELoss and BCEWithLogitsLoss: gradcheck, PyTorch equality, zero/one probabilities, extremes."""

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


def buffers(torch, weight: np.ndarray | None, pos_weight: np.ndarray | None = None) -> tuple:
    mt_kw, th_kw = {}, {}
    for name, value in (("weight", weight), ("pos_weight", pos_weight)):
        if value is not None:
            mt_kw[name], th_kw[name] = mt.tensor(value), torch.tensor(value)
    return mt_kw, th_kw


WEIGHTS = {
    "none": None,
    "per-element": np.linspace(0.5, 2.0, 12).reshape(SHAPE),
    "per-class": np.array([0.5, 1.0, 2.0]),
}


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weight", list(WEIGHTS))
def test_bce(torch, device, rng, reduction, weight):
    x = rng.uniform(0.05, 0.95, SHAPE)
    t = rng.uniform(0, 1, SHAPE)  # soft targets are allowed
    mt_kw, th_kw = buffers(torch, WEIGHTS[weight])
    mt_loss = nn.BCELoss(reduction=reduction, **mt_kw)
    compare_with_torch(mt_loss, torch.nn.BCELoss(reduction=reduction, **th_kw), [x, t],
                       device=device, grad_inputs=[0])  # fmt: skip
    assert mt.gradcheck(mt_loss, mt.tensor(x, device=device, requires_grad=True),
                        mt.tensor(t, device=device))  # fmt: skip


POS_WEIGHTS = {"none": None, "per-class": np.array([0.5, 3.0, 1.5])}


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weight", list(WEIGHTS))
@pytest.mark.parametrize("pos_weight", list(POS_WEIGHTS))
def test_bce_with_logits(torch, device, rng, reduction, weight, pos_weight):
    x = 3 * rng.standard_normal(SHAPE)
    t = rng.uniform(0, 1, SHAPE)
    mt_kw, th_kw = buffers(torch, WEIGHTS[weight], POS_WEIGHTS[pos_weight])
    mt_loss = nn.BCEWithLogitsLoss(reduction=reduction, **mt_kw)
    th_loss = torch.nn.BCEWithLogitsLoss(reduction=reduction, **th_kw)
    compare_with_torch(mt_loss, th_loss, [x, t], device=device, grad_inputs=[0])
    assert mt.gradcheck(mt_loss, mt.tensor(x, device=device, requires_grad=True),
                        mt.tensor(t, device=device))  # fmt: skip


def test_pos_weight_broadcasts_over_the_class_dim_of_images(torch, rng):
    x = rng.standard_normal((2, 3, 2, 2))
    t = (rng.random((2, 3, 2, 2)) > 0.5).astype(np.float64)
    pw = np.array([0.5, 3.0, 1.5]).reshape(3, 1, 1)
    mt_kw, th_kw = buffers(torch, None, pw)
    compare_with_torch(nn.BCEWithLogitsLoss(**mt_kw), torch.nn.BCEWithLogitsLoss(**th_kw),
                       [x, t], grad_inputs=[0])  # fmt: skip


def assert_close_to_torch(mt_loss, th_loss, torch, x: np.ndarray, t: np.ndarray) -> None:
    """Value and input gradient equal torch's, relatively (the values can be huge here)."""
    xm, xt = mt.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out_m, out_t = mt_loss(xm, mt.tensor(t)), th_loss(xt, torch.tensor(t))
    np.testing.assert_allclose(to_numpy(out_m), out_t.detach().numpy(), rtol=1e-13, atol=1e-10)
    out_m.sum().backward()
    out_t.sum().backward()
    np.testing.assert_allclose(to_numpy(xm.grad), xt.grad.numpy(), rtol=1e-13, atol=1e-10)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_zero_and_one_probabilities(torch, reduction):
    """log(0) is clamped at -100 as PyTorch does: finite losses and gradients, no warning."""
    x = np.array([0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1e-50, 1 - 1e-16, 0.5])
    t = np.array([0.0, 1.0, 0.3, 0.0, 1.0, 0.7, 1.0, 0.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_close_to_torch(nn.BCELoss(reduction=reduction),
                              torch.nn.BCELoss(reduction=reduction), torch, x, t)  # fmt: skip
        for dtype in (np.float32, np.float64):
            xm = mt.tensor(x.astype(dtype), requires_grad=True)
            out = nn.BCELoss(reduction="none")(xm, mt.tensor(t.astype(dtype)))
            out.sum().backward()
            assert out.dtype == xm.grad.dtype == dtype
            assert np.isfinite(to_numpy(out)).all() and np.isfinite(to_numpy(xm.grad)).all()
            assert to_numpy(out)[1] == 100 and to_numpy(out)[0] == 0


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("pos_weight", list(POS_WEIGHTS))
def test_bce_with_logits_extreme_logits(torch, rng, reduction, pos_weight):
    x = rng.choice([-1e4, 1e4], SHAPE) + rng.standard_normal(SHAPE)
    t = rng.choice([0.0, 1.0, 0.5], SHAPE)
    mt_kw, th_kw = buffers(torch, None, POS_WEIGHTS[pos_weight])
    mt_loss = nn.BCEWithLogitsLoss(reduction=reduction, **mt_kw)
    th_loss = torch.nn.BCEWithLogitsLoss(reduction=reduction, **th_kw)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_close_to_torch(mt_loss, th_loss, torch, x, t)
        xm = mt.tensor(x.astype(np.float32), requires_grad=True)
        out = mt_loss.float()(xm, mt.tensor(t.astype(np.float32)))
        out.sum().backward()
    assert out.dtype == xm.grad.dtype == mt.float32
    assert np.isfinite(to_numpy(out)).all() and np.isfinite(to_numpy(xm.grad)).all()


@pytest.mark.parametrize("kind", ["BCELoss", "BCEWithLogitsLoss"])
def test_empty_input_gives_nan_mean_without_warning(torch, kind):
    x = np.zeros((0, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compare_with_torch(getattr(nn, kind)(), getattr(torch.nn, kind)(), [x, x], grad_inputs=[0])
        assert np.isnan(getattr(nn, kind)()(mt.tensor(x), mt.tensor(x)).item())


def test_keeps_float32(rng):
    x, t = rng.uniform(0.1, 0.9, SHAPE), rng.uniform(0, 1, SHAPE)
    w, pw = mt.tensor(WEIGHTS["per-class"]), mt.tensor(POS_WEIGHTS["per-class"])
    for loss in (nn.BCELoss(weight=w), nn.BCEWithLogitsLoss(weight=w, pos_weight=pw)):
        xt = mt.tensor(x.astype(np.float32), requires_grad=True)
        out = loss(xt, mt.tensor(t.astype(np.float32)))  # float64 buffers, no promotion
        out.backward()
        assert out.dtype == xt.grad.dtype == mt.float32
    assert_keeps_float32(lambda a: nn.BCEWithLogitsLoss()(a, mt.tensor(t.astype(np.float32))), x)
    # a float64 target promotes BCEWithLogitsLoss, as in PyTorch; BCELoss refuses it, as PyTorch
    xt = mt.tensor(x.astype(np.float32), requires_grad=True)
    assert nn.BCEWithLogitsLoss()(xt, mt.tensor(t)).dtype == mt.float64
    with pytest.raises(TypeError, match="BCELoss: target dtype float64 differs from input dtype"):
        nn.BCELoss()(xt, mt.tensor(t))


def test_buffers_move_with_the_loss(device):
    loss = nn.BCEWithLogitsLoss(weight=mt.ones(3), pos_weight=mt.ones(3)).to(device)
    assert sorted(loss.state_dict()) == ["pos_weight", "weight"]
    assert loss.pos_weight.device == loss.weight.device == mt.device(device)
    assert list(nn.BCELoss().state_dict()) == []


def test_functional_forms(torch, rng):
    x, t = rng.uniform(0.1, 0.9, SHAPE), rng.uniform(0, 1, SHAPE)
    w, pw = WEIGHTS["per-class"], POS_WEIGHTS["per-class"]
    got = F.binary_cross_entropy(mt.tensor(x), mt.tensor(t), mt.tensor(w), reduction="sum")
    want = torch.nn.functional.binary_cross_entropy(
        torch.tensor(x), torch.tensor(t), torch.tensor(w), reduction="sum"
    )
    np.testing.assert_allclose(got.item(), want.item(), rtol=0, atol=1e-10)
    got = F.binary_cross_entropy_with_logits(mt.tensor(x), mt.tensor(t), pos_weight=mt.tensor(pw))
    want = torch.nn.functional.binary_cross_entropy_with_logits(
        torch.tensor(x), torch.tensor(t), pos_weight=torch.tensor(pw)
    )
    np.testing.assert_allclose(got.item(), want.item(), rtol=0, atol=1e-10)


def test_bad_input():
    with pytest.raises(ValueError, match=r"BCELoss: all elements of input must be in \[0, 1\]"):
        nn.BCELoss()(mt.tensor([0.5, 1.5]), mt.tensor([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"BCELoss: all elements of target must be in \[0, 1\]"):
        nn.BCELoss()(mt.tensor([0.5, 0.5]), mt.tensor([0.0, 2.0]))
    with pytest.raises(ValueError, match=r"BCEWithLogitsLoss: input shape \(4, 3\) and target"):
        nn.BCEWithLogitsLoss()(mt.randn(4, 3), mt.rand(4, 1))
    with pytest.raises(ValueError, match=r"pos_weight of shape \(4,\) does not broadcast"):
        nn.BCEWithLogitsLoss(pos_weight=mt.ones(4))(mt.randn(4, 3), mt.rand(4, 3))
    with pytest.raises(ValueError, match=r"BCELoss: weight of shape \(2, 3\) does not broadcast"):
        nn.BCELoss(weight=mt.ones(2, 3))(mt.rand(4, 3), mt.rand(4, 3))


def test_bce_takes_0d_inputs_and_refuses_nan_probabilities(torch):
    out = nn.BCELoss()(mt.tensor(0.3), mt.tensor(1.0))
    np.testing.assert_allclose(out.item(), -np.log(0.3), rtol=1e-6)
    with pytest.raises(ValueError, match=r"BCELoss: all elements of input must be in \[0, 1\]"):
        nn.BCELoss()(mt.tensor([0.5, float("nan")]), mt.tensor([1.0, 0.0]))
