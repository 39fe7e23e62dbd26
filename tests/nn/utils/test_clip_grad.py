import math

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from tests.helpers import to_numpy

SHAPES = [(3, 4), (5,), (2, 2)]


def _params(rng, dtype, device="cpu", scale=1.0):
    grads = [scale * rng.standard_normal(s) for s in SHAPES]
    params = [nn.Parameter(mt.zeros(*s, dtype=dtype, device=device)) for s in SHAPES]
    for p, g in zip(params, grads):
        p.grad = mt.tensor(g.astype(dtype), device=device)
    return params, grads


@pytest.mark.parametrize("norm_type", [2.0, 1, math.inf, 3.0, 0.5, 0])
@pytest.mark.parametrize("max_norm", [0.5, 1e3])
def test_clip_grad_norm_matches_torch(torch, device, norm_type, max_norm, rng):
    params, grads = _params(rng, np.float64, device)
    tparams = [torch.zeros(s, requires_grad=True) for s in SHAPES]
    for p, g in zip(tparams, grads):
        p.grad = torch.tensor(g)
    total = nn.utils.clip_grad_norm_(params, max_norm, norm_type)
    expected = torch.nn.utils.clip_grad_norm_(tparams, max_norm, norm_type)
    assert isinstance(total, mt.Tensor) and total.shape == ()
    np.testing.assert_allclose(to_numpy(total), expected.numpy(), rtol=1e-12)
    for p, q in zip(params, tparams):
        np.testing.assert_allclose(to_numpy(p.grad), q.grad.numpy(), rtol=0, atol=1e-12)


def test_clip_grad_norm_keeps_float32_and_skips_missing_grads(torch, rng):
    params, grads = _params(rng, np.float32, scale=10.0)
    params.append(nn.Parameter(mt.ones(4)))  # no grad: ignored
    tparams = [torch.zeros(s, dtype=torch.float32, requires_grad=True) for s in SHAPES]
    for p, g in zip(tparams, grads):
        p.grad = torch.tensor(g.astype(np.float32))
    total = nn.utils.clip_grad_norm_(iter(params), 1.0)  # a generator works too
    expected = torch.nn.utils.clip_grad_norm_(tparams, 1.0)
    assert total.dtype == mt.float32
    np.testing.assert_allclose(to_numpy(total), expected.numpy(), rtol=1e-6)
    for p, q in zip(params, tparams):
        assert p.grad.dtype == mt.float32
        np.testing.assert_allclose(to_numpy(p.grad), q.grad.numpy(), rtol=1e-6, atol=1e-7)
    assert params[-1].grad is None


def test_clip_grad_norm_edge_cases(torch):
    assert nn.utils.clip_grad_norm_([], 1.0).item() == 0.0
    assert torch.nn.utils.clip_grad_norm_([], 1.0).item() == 0.0
    p = nn.Parameter(mt.zeros(3, dtype=mt.float64))
    p.grad = mt.tensor([1.0, math.inf, 2.0])
    with pytest.raises(RuntimeError, match="non-finite"):
        nn.utils.clip_grad_norm_(p, 1.0, error_if_nonfinite=True)
    np.testing.assert_array_equal(p.grad.numpy(), [1.0, math.inf, 2.0])  # untouched on error
    p.grad = mt.tensor([3.0, 4.0, 0.0])
    assert nn.utils.clip_grad_norm_(p, 10.0).item() == pytest.approx(5.0)  # a single Tensor
    np.testing.assert_array_equal(p.grad.numpy(), [3.0, 4.0, 0.0])  # below max_norm: unchanged


def test_clip_grad_value_matches_torch(torch, device, rng):
    params, grads = _params(rng, np.float64, device)
    tparams = [torch.zeros(s, requires_grad=True) for s in SHAPES]
    for p, g in zip(tparams, grads):
        p.grad = torch.tensor(g)
    assert nn.utils.clip_grad_value_(params, 0.3) is None
    torch.nn.utils.clip_grad_value_(tparams, 0.3)
    for p, q in zip(params, tparams):
        np.testing.assert_array_equal(to_numpy(p.grad), q.grad.numpy())
