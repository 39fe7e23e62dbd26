"""``F.normalize``, ``F.cosine_similarity`` and ``F.pairwise_distance`` against PyTorch, with
zero and tiny vectors (the eps clamps), broadcasting, every p."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from minitorch.nn import functional as F  # noqa: N812
from tests.helpers import to_numpy

P = [2.0, 1.0, 3.0, 0.5, float("inf")]


def _compare(ours, theirs, inputs, torch, device, grad=True):
    """Outputs and input gradients equal PyTorch's to 1e-12 relative (a zero vector's
    gradient through the eps clamp is ~1e8, so an absolute tolerance would not do)."""
    a = [mt.tensor(x, device=device, requires_grad=grad) for x in inputs]
    b = [torch.tensor(x, requires_grad=grad) for x in inputs]
    y, y_ref = ours(*a), theirs(*b)
    np.testing.assert_allclose(to_numpy(y), y_ref.detach().numpy(), rtol=1e-12, atol=1e-12)
    if grad:
        w = np.random.default_rng(1).standard_normal(tuple(y_ref.shape))
        (y * mt.tensor(w, device=device)).sum().backward()
        (y_ref * torch.tensor(w)).sum().backward()
        for u, v in zip(a, b):
            np.testing.assert_allclose(to_numpy(u.grad), v.grad.numpy(), rtol=1e-12, atol=1e-12)


def _x(rng, shape=(3, 4, 5)):
    x = rng.standard_normal(shape)
    x[0, :, 1] = 0  # a zero vector along dim 1
    x[1, :, 2] = 1e-4  # norm 2e-4: below eps=1e-3, above 1e-12
    return x


@pytest.mark.parametrize("p", P)
@pytest.mark.parametrize("dim", [1, -1, 0])
def test_normalize_matches_torch(p, dim, torch, rng, device):
    for eps in (1e-12, 1e-3):
        _compare(lambda t, eps=eps: F.normalize(t, p, dim, eps),
                 lambda t, eps=eps: torch.nn.functional.normalize(t, p, dim, eps),
                 [_x(rng)], torch, device)  # fmt: skip


@pytest.mark.parametrize(
    "shape1,shape2,kwargs",
    [((3, 4, 5), (3, 4, 5), {}), ((3, 4, 5), (3, 4, 5), {"dim": -1}),
     ((3, 4, 5), (3, 1, 5), {"dim": 1, "eps": 1e-3}), ((3, 4, 5), (4, 5), {"dim": 2, "eps": 1e-6}),
     ((5,), (5,), {"dim": 0})],
)  # fmt: skip
def test_cosine_similarity_matches_torch(shape1, shape2, kwargs, torch, rng, device):
    x1, x2 = (_x(rng) if shape1 == (3, 4, 5) else rng.standard_normal(shape1),
              rng.standard_normal(shape2))  # fmt: skip
    _compare(lambda a, b: F.cosine_similarity(a, b, **kwargs),
             lambda a, b: torch.nn.functional.cosine_similarity(a, b, **kwargs),
             [x1, x2], torch, device)  # fmt: skip


@pytest.mark.parametrize("p", [*P, 0.0])
@pytest.mark.parametrize("keepdim", [False, True])
def test_pairwise_distance_matches_torch(p, keepdim, torch, rng, device):
    x1, x2 = rng.standard_normal((3, 4, 5)), rng.standard_normal((4, 5))
    x2[1] = x1[0, 1]  # a zero difference (but for eps)
    _compare(
        lambda a, b: F.pairwise_distance(a, b, p, 1e-6, keepdim),
        lambda a, b: torch.nn.functional.pairwise_distance(a, b, p, 1e-6, keepdim),
        [x1, x2],
        torch,
        device,
        grad=p != 0,
    )  # the count of non-zeros: no gradient


def test_layers_are_the_functional_forms(rng):
    a, b = mt.tensor(rng.standard_normal((3, 4))), mt.tensor(rng.standard_normal((3, 4)))
    np.testing.assert_array_equal(
        nn.CosineSimilarity(dim=0)(a, b).numpy(), F.cosine_similarity(a, b, dim=0).numpy()
    )
    np.testing.assert_array_equal(nn.PairwiseDistance(p=1.0)(a, b).numpy(),
                                  F.pairwise_distance(a, b, p=1.0).numpy())  # fmt: skip


def test_distance_errors():
    with pytest.raises(IndexError, match=r"cosine_similarity: dim 2 is out of range"):
        F.cosine_similarity(mt.zeros(3, 4), mt.zeros(3, 4), dim=2)
    with pytest.raises(ValueError, match=r"CosineSimilarity: the shapes \(3, 4\) and \(2, 4\)"):
        nn.CosineSimilarity()(mt.zeros(3, 4), mt.zeros(2, 4))
    with pytest.raises(TypeError, match="normalize: out= is not supported"):
        F.normalize(mt.zeros(3), out=mt.zeros(3))
