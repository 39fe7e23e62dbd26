"""Embedding: lookup, scatter-add backward with repeats, padding_idx, from_pretrained, errors."""

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from minitorch.nn import functional as F  # noqa: N812
from tests.helpers import assert_keeps_float32, compare_with_torch, to_numpy


def _indices(rng, shape=(3, 4), n=6):
    idx = rng.integers(0, n, size=shape)
    idx.flat[:3] = [1, 1, 1]  # repeated indices must sum their gradients
    return idx


@pytest.mark.parametrize("kwargs", [{}, {"padding_idx": 1}, {"padding_idx": -1},
                                    {"scale_grad_by_freq": True, "padding_idx": 0}])  # fmt: skip
@pytest.mark.parametrize("dtype", [np.int64, np.int32])
def test_matches_torch(torch, device, kwargs, dtype, rng):
    idx = _indices(rng).astype(dtype)
    idx.flat[-1] = 5
    compare_with_torch(nn.Embedding(6, 3, **kwargs), torch.nn.Embedding(6, 3, **kwargs), [idx],
                       device=device)  # fmt: skip


def test_init_and_padding_row(rng):
    mt.manual_seed(0)
    layer = nn.Embedding(2000, 8, padding_idx=3)
    w = layer.weight.detach().numpy()
    np.testing.assert_array_equal(w[3], 0)
    rest = np.delete(w, 3, axis=0)
    assert abs(rest.mean()) < 0.02 and abs(rest.std() - 1) < 0.02  # N(0, 1)
    assert layer.weight.shape == (2000, 8) and layer.weight.dtype == mt.float32


def test_repeated_indices_and_padding_gradient():
    layer = nn.Embedding(4, 2, padding_idx=0)
    idx = mt.tensor([[1, 1, 0], [1, 3, 0]])
    out = layer(idx)
    assert out.shape == (2, 3, 2)
    out.sum().backward()
    np.testing.assert_array_equal(layer.weight.grad.numpy(), [[0, 0], [3, 3], [0, 0], [1, 1]])


def test_gradcheck_weight(rng):
    # (not with padding_idx: that row's gradient is zero by design, unlike finite differences)
    assert mt.gradcheck(nn.Embedding(5, 3), _indices(rng, n=5))


def test_keeps_float32(rng, device):
    assert_keeps_float32(nn.Embedding(6, 3), _indices(rng), device=device)


def test_explicit_forward_backward_on_arrays():
    layer = nn.Embedding(3, 2)
    idx = np.array([2, 2, 0])
    y = layer.forward(idx)
    np.testing.assert_array_equal(y, layer.weight.array[idx])
    assert layer.backward(np.ones((3, 2), dtype=np.float32)) is None
    np.testing.assert_array_equal(layer.weight.grad.numpy(), [[1, 1], [0, 0], [2, 2]])


def test_from_pretrained(torch, rng):
    table = rng.standard_normal((5, 3))
    layer = nn.Embedding.from_pretrained(mt.tensor(table))
    assert not layer.weight.requires_grad
    np.testing.assert_array_equal(layer(mt.tensor([4, 0])).numpy(), table[[4, 0]])
    trainable = nn.Embedding.from_pretrained(mt.tensor(table), freeze=False, padding_idx=2)
    ref = torch.nn.Embedding.from_pretrained(torch.tensor(table), freeze=False, padding_idx=2)
    compare_with_torch(trainable, ref, [np.array([[2, 1], [2, 4]])])
    with pytest.raises(ValueError, match="embeddings must be 2-D"):
        nn.Embedding.from_pretrained(mt.randn(5))


def test_functional_embedding_gives_weight_gradient(torch, rng):
    table = rng.standard_normal((6, 3))
    idx = _indices(rng)

    def call(f, i, w):
        return f(i, w, padding_idx=2)

    compare_with_torch(F.embedding, torch.nn.functional.embedding, [idx, table], grad_inputs=[1],
                       call=call)  # fmt: skip


def test_out_of_range_index_names_the_layer():
    layer = nn.Embedding(5, 2)
    with pytest.raises(IndexError, match=r"Embedding\(5, 2\): index out of range: .*\[0, 5\]"):
        layer(mt.tensor([0, 5]))
    with pytest.raises(IndexError, match=r"indices span \[-1, 1\]"):
        layer(mt.tensor([-1, 1]))
    with pytest.raises(TypeError, match="indices must be an integer array"):
        layer(mt.tensor([0.0, 1.0]))


def test_bad_arguments():
    with pytest.raises(ValueError, match="padding_idx must be within"):
        nn.Embedding(5, 2, padding_idx=5)
    with pytest.raises(NotImplementedError, match="max_norm"):
        nn.Embedding(5, 2, max_norm=1.0)
    with pytest.raises(ValueError, match=r"_weight must have shape \(5, 2\)"):
        nn.Embedding(5, 2, _weight=mt.randn(4, 2))


def test_repr_and_state_dict():
    layer = nn.Embedding(10, 3, padding_idx=0)
    assert repr(layer) == "Embedding(10, 3, padding_idx=0)"
    assert list(layer.state_dict()) == ["weight"]
    assert to_numpy(layer.state_dict()["weight"]).shape == (10, 3)
