"""CrossEntropyLoss and NLLLoss: gradcheck, PyTorch equality, edge cases and bad input."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from minitorch.nn import functional as F  # noqa: N812
from tests.helpers import assert_keeps_float32, compare_with_torch, to_numpy

REDUCTIONS = ["mean", "sum", "none"]
# target shape (batch and spatial dims; () is the unbatched case) x ignore_index
SHAPES = [(5,), (3, 2, 2), ()]
WEIGHT = np.array([0.5, 2.0, 1.25])


def make_case(rng: np.random.Generator, shape: tuple, ignore_index: int = -100) -> tuple:
    """Logits (N, 3, d...) or (3,), integer targets of ``shape``, some set to ignore_index."""
    if shape == ():
        return rng.standard_normal(3), np.array(rng.integers(0, 3))
    x = rng.standard_normal((shape[0], 3, *shape[1:]))
    t = rng.integers(0, 3, shape)
    if ignore_index != -100:
        t.reshape(-1)[::3] = ignore_index  # every third position ignored
    return x, t


def probabilities(rng: np.random.Generator, x: np.ndarray) -> np.ndarray:
    p = rng.random(x.shape) + 0.05
    return p / p.sum(axis=0 if x.ndim == 1 else 1, keepdims=True)


def losses(torch, kind: str, weight: bool, **kwargs) -> tuple:
    w = WEIGHT if weight else None
    mt_loss = getattr(nn, kind)(None if w is None else mt.tensor(w), **kwargs)
    th_loss = getattr(torch.nn, kind)(None if w is None else torch.tensor(w), **kwargs)
    return mt_loss, th_loss


GRID = list(itertools.product(SHAPES, REDUCTIONS, [False, True], [-100, 1, -1]))


@pytest.mark.parametrize("shape, reduction, weight, ignore_index", GRID)
@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
def test_cross_entropy_indices_match_torch(torch, device, rng, shape, reduction, weight,
                                           ignore_index, label_smoothing):  # fmt: skip
    mt_loss, th_loss = losses(torch, "CrossEntropyLoss", weight, ignore_index=ignore_index,
                              reduction=reduction, label_smoothing=label_smoothing)  # fmt: skip
    compare_with_torch(mt_loss, th_loss, list(make_case(rng, shape, ignore_index)),
                       device=device, grad_inputs=[0])  # fmt: skip


@pytest.mark.parametrize("shape, reduction, weight, ignore_index", GRID)
@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
def test_cross_entropy_indices_gradcheck(device, rng, shape, reduction, weight, ignore_index,
                                         label_smoothing):  # fmt: skip
    w = mt.tensor(WEIGHT, device=device) if weight else None
    loss = nn.CrossEntropyLoss(w, ignore_index=ignore_index, reduction=reduction,
                               label_smoothing=label_smoothing)  # fmt: skip
    x, t = make_case(rng, shape, ignore_index)
    assert mt.gradcheck(loss, mt.tensor(x, device=device, requires_grad=True),
                        mt.tensor(t, device=device))  # fmt: skip


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weight", [False, True])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.3])
def test_cross_entropy_probabilities(torch, device, rng, shape, reduction, weight,
                                     label_smoothing):  # fmt: skip
    mt_loss, th_loss = losses(torch, "CrossEntropyLoss", weight, reduction=reduction,
                              label_smoothing=label_smoothing)  # fmt: skip
    x, _ = make_case(rng, shape)
    p = probabilities(rng, x)
    compare_with_torch(mt_loss, th_loss, [x, p], device=device, grad_inputs=[0])
    assert mt.gradcheck(mt_loss, mt.tensor(x, device=device, requires_grad=True),
                        mt.tensor(p, device=device))  # fmt: skip


@pytest.mark.parametrize("shape, reduction, weight, ignore_index", GRID)
def test_nll_loss_matches_torch_and_gradcheck(torch, device, rng, shape, reduction, weight,
                                              ignore_index):  # fmt: skip
    mt_loss, th_loss = losses(torch, "NLLLoss", weight, ignore_index=ignore_index,
                              reduction=reduction)  # fmt: skip
    x, t = make_case(rng, shape, ignore_index)
    compare_with_torch(mt_loss, th_loss, [x, t], device=device, grad_inputs=[0])
    assert mt.gradcheck(mt_loss, mt.tensor(x, device=device, requires_grad=True),
                        mt.tensor(t, device=device))  # fmt: skip


def test_cross_entropy_is_log_softmax_then_nll(rng):
    x, t = make_case(rng, (4, 3))
    shifted = x - x.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    expected = nn.NLLLoss(mt.tensor(WEIGHT))(mt.tensor(logp), mt.tensor(t))
    got = nn.CrossEntropyLoss(mt.tensor(WEIGHT))(mt.tensor(x), mt.tensor(t))
    np.testing.assert_allclose(got.item(), expected.item(), rtol=1e-13)


def test_explicit_forward_backward_on_arrays(rng):
    x, t = make_case(rng, (6,), ignore_index=0)
    loss = nn.CrossEntropyLoss(ignore_index=0, label_smoothing=0.1)
    loss.forward(x, t)
    dx, dt = loss.backward(np.array(1.0))
    assert dt is None and dx.shape == x.shape
    # rows of the gradient of a softmax loss sum to zero; ignored rows are zero
    np.testing.assert_allclose(dx.sum(axis=1), 0, atol=1e-15)
    assert not dx[t == 0].any()


# --- extremes: no warnings, finite, equal to torch -----------------------------------------
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weight", [False, True])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
def test_extreme_logits(torch, device, rng, reduction, weight, label_smoothing):
    x = rng.choice([-1e4, 1e4], (6, 3, 2)) + rng.standard_normal((6, 3, 2))
    t = rng.integers(0, 3, (6, 2))
    p = probabilities(rng, x)
    mt_loss, th_loss = losses(torch, "CrossEntropyLoss", weight, reduction=reduction,
                              label_smoothing=label_smoothing)  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compare_with_torch(mt_loss, th_loss, [x, t], device=device, grad_inputs=[0], atol=1e-8)
        compare_with_torch(mt_loss, th_loss, [x, p], device=device, grad_inputs=[0], atol=1e-8)
        xt = mt.tensor(x.astype(np.float32), device=device, requires_grad=True)
        out = mt_loss.float()(xt, mt.tensor(t, device=device))
        out.sum().backward()
    assert out.dtype == mt.float32 and np.isfinite(to_numpy(out)).all()
    assert np.isfinite(to_numpy(xt.grad)).all()


@pytest.mark.parametrize("kind", ["CrossEntropyLoss", "NLLLoss"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weight", [False, True])
@pytest.mark.parametrize("shape", [(4,), (0,), (2, 0)])
def test_empty_after_ignore_index(torch, device, rng, kind, reduction, weight, shape):
    """Every target ignored (or no target at all): torch's nan for 'mean', zero gradients."""
    x = rng.standard_normal((shape[0], 3, *shape[1:]))
    t = np.full(shape, -100)
    smoothing = {"label_smoothing": 0.2} if kind == "CrossEntropyLoss" else {}
    mt_loss, th_loss = losses(torch, kind, weight, reduction=reduction, **smoothing)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compare_with_torch(mt_loss, th_loss, [x, t], device=device, grad_inputs=[0])
        out = mt_loss(mt.tensor(x, device=device), mt.tensor(t, device=device))
    if reduction == "mean":
        assert np.isnan(out.item())


def test_nll_ignored_minus_inf_gives_no_nan():
    x = np.array([[-np.inf, 0.0], [-0.5, -1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = nn.NLLLoss()(mt.tensor(x), mt.tensor(np.array([-100, 0])))
    assert out.item() == 0.5


# --- dtypes, buffers, functional ---------------------------------------------------------------
def test_keeps_float32(rng):
    x, t = make_case(rng, (4, 2))
    assert_keeps_float32(nn.CrossEntropyLoss(mt.tensor(WEIGHT), label_smoothing=0.1), x, t)
    xt = mt.tensor(x.astype(np.float32), requires_grad=True)
    p = mt.tensor(probabilities(rng, x).astype(np.float32))
    out = nn.CrossEntropyLoss(mt.tensor(WEIGHT), label_smoothing=0.1).float()(xt, p)
    out.backward()
    assert out.dtype == xt.grad.dtype == mt.float32
    assert_keeps_float32(nn.NLLLoss(mt.tensor(WEIGHT), ignore_index=1), x, t)
    # a float64 weight with a float32 input is refused, as in PyTorch
    with pytest.raises(TypeError, match="CrossEntropyLoss: weight dtype float64 differs from in"):
        nn.CrossEntropyLoss(mt.tensor(WEIGHT))(mt.tensor(x.astype(np.float32)), mt.tensor(t))


def test_weight_is_a_buffer(device):
    loss = nn.CrossEntropyLoss(weight=mt.tensor(WEIGHT))
    assert [name for name, _ in loss.named_buffers()] == ["weight"]
    assert list(loss.parameters()) == []
    assert "weight" in loss.state_dict()
    loss.to(device)
    assert loss.weight.device == mt.device(device)
    assert "weight" not in nn.NLLLoss().state_dict()


def test_functional_forms(torch, rng):
    x, t = make_case(rng, (5, 2), ignore_index=2)
    w = mt.tensor(WEIGHT)
    kw = dict(ignore_index=2, reduction="sum")
    got = F.cross_entropy(mt.tensor(x), mt.tensor(t), w, label_smoothing=0.1, **kw)
    want = torch.nn.functional.cross_entropy(
        torch.tensor(x), torch.tensor(t), torch.tensor(WEIGHT), label_smoothing=0.1, **kw
    )
    np.testing.assert_allclose(got.item(), want.item(), rtol=0, atol=1e-10)
    got = F.nll_loss(mt.tensor(x), mt.tensor(t), w, **kw)
    want = torch.nn.functional.nll_loss(
        torch.tensor(x), torch.tensor(t), torch.tensor(WEIGHT), **kw
    )
    np.testing.assert_allclose(got.item(), want.item(), rtol=0, atol=1e-10)


def test_repr():
    assert repr(nn.CrossEntropyLoss()) == "CrossEntropyLoss()"
    r = repr(nn.CrossEntropyLoss(ignore_index=3, reduction="sum", label_smoothing=0.1))
    assert r == "CrossEntropyLoss(reduction='sum', ignore_index=3, label_smoothing=0.1)"


# --- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["CrossEntropyLoss", "NLLLoss"])
def test_target_out_of_range(kind):
    x = mt.randn(4, 3)
    with pytest.raises(IndexError, match=rf"{kind}: target 3 .*\[0, 2\]"):
        getattr(nn, kind)()(x, mt.tensor([0, 1, 3, 2]))
    with pytest.raises(IndexError, match=rf"{kind}: target -1 "):
        getattr(nn, kind)()(x, mt.tensor([0, -1, 1, 2]))
    # ignore_index outside the class range is allowed
    getattr(nn, kind)(ignore_index=7)(x, mt.tensor([0, 7, 1, 2]))


@pytest.mark.parametrize("kind", ["CrossEntropyLoss", "NLLLoss"])
def test_bad_target_shape_or_dtype(kind):
    loss = getattr(nn, kind)()
    with pytest.raises(ValueError, match=rf"{kind}: .*\(4,\).*got int64 with shape \(3,\)"):
        loss(mt.randn(4, 3), mt.tensor([0, 1, 2]))
    with pytest.raises(ValueError, match=rf"{kind}: .*integer class indices.*got float32"):
        loss(mt.randn(4, 3), mt.randn(4))  # float targets where indices are expected
    with pytest.raises(ValueError, match=rf"{kind}: .*shape \(4, 2\)"):
        loss(mt.randn(4, 3, 2), mt.tensor(np.zeros((4, 3), dtype=np.int64)))
    with pytest.raises(ValueError, match=rf"{kind}: input must be"):
        loss(mt.randn(4, 0), mt.tensor([0, 0, 0, 0]))


def test_probability_target_must_be_float_and_not_ignored():
    with pytest.raises(ValueError, match="probabilities and must be floating"):
        nn.CrossEntropyLoss()(mt.randn(4, 3), mt.tensor(np.zeros((4, 3), dtype=np.int64)))
    with pytest.raises(ValueError, match="ignore_index is not supported"):
        nn.CrossEntropyLoss(ignore_index=0)(mt.randn(4, 3), mt.rand(4, 3))


@pytest.mark.parametrize("kind", ["CrossEntropyLoss", "NLLLoss"])
def test_bad_weight(kind):
    with pytest.raises(ValueError, match=rf"{kind}: weight has 2 entries but the input has 3"):
        getattr(nn, kind)(mt.tensor([1.0, 2.0]))(mt.randn(4, 3), mt.tensor([0, 1, 2, 0]))
    with pytest.raises(ValueError, match=rf"{kind}: weight must be 1-D"):
        getattr(nn, kind)(mt.ones(3, 1))


def test_bad_arguments():
    with pytest.raises(ValueError, match="label_smoothing must be in"):
        nn.CrossEntropyLoss(label_smoothing=1.5)
    with pytest.raises(ValueError, match="CrossEntropyLoss: reduction must be one of"):
        nn.CrossEntropyLoss(reduction="batchmean")
    with pytest.raises(TypeError, match="NLLLoss: input must be a floating"):
        nn.NLLLoss()(mt.tensor([[0, 1]]), mt.tensor([0]))
