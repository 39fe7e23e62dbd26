"""nn/functions/attention.py: the fused ``AttentionFunction`` equals attention written with
elementary ops, in value and gradient, and builds additive masks."""

from __future__ import annotations

import math

import numpy as np
import pytest

import minitorch as mt
from minitorch.nn import functional as F  # noqa: N812
from minitorch.nn.functions.attention import AttentionFunction, additive_mask
from tests.helpers import to_numpy


def _unfused(q, k, v, mask):
    scores = (q @ k.transpose(-1, -2)) * (1 / math.sqrt(q.shape[-1])) + mask
    return scores.softmax(-1) @ v


def test_fused_equals_elementary_ops_with_mask_gradient(rng):
    arrays = [rng.standard_normal(s) for s in ((2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 2), (4, 6))]
    results = []
    for fn in (F.scaled_dot_product_attention, _unfused):
        ts = [mt.tensor(a, requires_grad=True) for a in arrays]
        y = fn(*ts)
        (y * mt.tensor(np.linspace(-1, 1, y.numel()).reshape(y.shape))).sum().backward()
        results.append([to_numpy(y)] + [to_numpy(t.grad) for t in ts])
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


def test_need_weights_returns_the_probabilities_and_gradcheck(rng):
    q, k, v = (rng.standard_normal(s) for s in ((3, 4), (5, 4), (5, 2)))
    attention = AttentionFunction(is_causal=True, need_weights=True)
    y, p = attention(*(mt.tensor(a) for a in (q, k, v)), None)
    p = to_numpy(p)
    np.testing.assert_allclose(p.sum(-1), 1, atol=1e-12)
    assert np.all(np.triu(p, 1) == 0)  # causal: query i sees keys 0..i
    np.testing.assert_allclose(to_numpy(y), p @ v, atol=1e-12)
    assert mt.gradcheck(lambda q, k, v: attention(q, k, v, None), q, k, v)


def test_additive_mask_and_bad_dropout():
    mask = np.array([[True, False], [False, False]])
    np.testing.assert_array_equal(additive_mask(mask, np.float32, True), [[-np.inf, 0], [0, 0]])
    with pytest.raises(ValueError, match="dropout_p"):
        AttentionFunction(dropout_p=1.5)
