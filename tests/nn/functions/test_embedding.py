"""nn/functions/embedding.py: ``F.embedding`` against torch with the weight gradient, the layer's
kernel, and the scatter-add backward against ``np.add.at``."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from minitorch.nn import functional as F  # noqa: N812
from minitorch.nn.functions.embedding import embedding_backward, embedding_forward
from tests.helpers import compare_with_torch, to_numpy


@pytest.mark.parametrize(
    "kw", [{}, {"padding_idx": 2}, {"padding_idx": -1, "scale_grad_by_freq": True}], ids=repr
)
def test_functional_matches_torch_with_weight_grad(kw, torch, rng, device):
    idx = rng.integers(0, 6, (3, 5))
    idx[0, :2] = 5  # repeats, and the last row as padding_idx=-1
    compare_with_torch(F.embedding, torch.nn.functional.embedding,
                       [idx, rng.standard_normal((6, 4))], grad_inputs=[1], device=device,
                       call=lambda f, i, w: f(i, w, **kw))  # fmt: skip


def test_functional_gradcheck_weight(rng):
    idx = mt.tensor(np.array([[0, 2, 2], [4, 3, 0]]))  # the padding row (1) is never read: its
    weight = rng.standard_normal((5, 2))  # zero gradient is a convention, not the derivative
    assert mt.gradcheck(lambda w: F.embedding(idx, w, padding_idx=1), weight)


def test_layer_and_functional_form_run_one_kernel(rng):
    layer = nn.Embedding(7, 3, padding_idx=0, scale_grad_by_freq=True).double()
    idx = mt.tensor(rng.integers(0, 7, (4, 6)))
    dy = mt.tensor(rng.standard_normal((4, 6, 3)))
    (layer(idx) * dy).sum().backward()
    mine = to_numpy(layer.weight.grad)
    weight = mt.tensor(to_numpy(layer.weight), requires_grad=True)
    (F.embedding(idx, weight, padding_idx=0, scale_grad_by_freq=True) * dy).sum().backward()
    np.testing.assert_array_equal(mine, to_numpy(weight.grad))


def test_backward_kernel_equals_add_at(rng):
    idx = rng.integers(0, 9, (5, 7))
    dy = rng.standard_normal((5, 7, 4))
    ref = np.zeros((9, 4))
    np.add.at(ref, idx.reshape(-1), dy.reshape(-1, 4))
    ref[3] = 0
    np.testing.assert_allclose(embedding_backward(dy, idx, (9, 4), 3, False), ref, atol=1e-12)


def test_forward_kernel_checks_the_indices():
    weight = np.zeros((4, 2))
    with pytest.raises(TypeError, match="integer"):
        embedding_forward("embedding", np.zeros(3), weight)
    with pytest.raises(IndexError, match="0 <= index < 4"):
        embedding_forward("embedding", np.array([0, 4]), weight)
