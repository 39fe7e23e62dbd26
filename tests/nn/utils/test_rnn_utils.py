"""nn.utils.rnn.pad_sequence against PyTorch: values, gradients, both layouts and sides."""

import numpy as np
import pytest

import minitorch as mt


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("side", ["right", "left"])
def test_pad_sequence_matches_torch(torch, batch_first, side):
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal((n, 3)) for n in (4, 1, 3)]
    ours = [mt.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    y = mt.nn.utils.rnn.pad_sequence(ours, batch_first, -1.0, side)
    t = torch.nn.utils.rnn.pad_sequence(theirs, batch_first, -1.0, side)
    np.testing.assert_array_equal(y.detach().numpy(), t.detach().numpy())
    w = rng.standard_normal(tuple(t.shape))
    (y * mt.tensor(w)).sum().backward()
    (t * torch.tensor(w)).sum().backward()
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-12)


def test_pad_sequence_bad_input():
    with pytest.raises(ValueError, match=r"needs shape \(L, 3\), got \(2, 4\) for sequence 1"):
        mt.nn.utils.rnn.pad_sequence([mt.ones(2, 3), mt.ones(2, 4)])
    with pytest.raises(TypeError, match="sequence 0 is a list"):
        mt.nn.utils.rnn.pad_sequence([[1.0]])
