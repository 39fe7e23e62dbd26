"""``F.instance_norm`` against PyTorch: with and without affine parameters, running statistics
updated as PyTorch's (batch mean of the instances' statistics, unbiased variance), and
normalising by them (``use_input_stats=False``)."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from minitorch.nn import functional as F  # noqa: N812
from tests.helpers import compare_with_torch


@pytest.mark.parametrize("shape", [(2, 3, 5), (2, 3, 4, 3), (1, 3, 2, 2, 2)])
@pytest.mark.parametrize("use_input_stats", [True, False])
def test_instance_norm_matches_torch(shape, use_input_stats, torch, rng, device):
    x, w, b = rng.standard_normal(shape) * 2 + 1, rng.standard_normal(3), rng.standard_normal(3)
    mean, var = rng.standard_normal(3), rng.uniform(0.5, 2, 3)
    ours = [mt.tensor(mean, device=device), mt.tensor(var, device=device)]
    theirs = [torch.tensor(mean), torch.tensor(var)]

    def call(lib_f, stats):
        return lambda x, w, b: lib_f(x, *stats, w, b, use_input_stats, 0.3, 1e-4)

    compare_with_torch(
        call(F.instance_norm, ours),
        call(torch.nn.functional.instance_norm, theirs),
        [x, w, b],
        device=device,
    )
    for a, t in zip(ours, theirs):  # the running statistics moved the same way
        np.testing.assert_allclose(a.numpy(), t.numpy(), rtol=1e-12)


def test_instance_norm_without_affine_or_stats(torch, rng):
    x = rng.standard_normal((2, 3, 6))
    compare_with_torch(F.instance_norm, torch.nn.functional.instance_norm, [x])


def test_layer_warns_on_unused_num_features_and_refuses_with_affine():
    with pytest.warns(UserWarning, match=r"InstanceNorm1d\(4\): input's size at dim=1"):
        nn.InstanceNorm1d(4)(mt.randn(2, 3, 5))
    with pytest.raises(ValueError, match=r"InstanceNorm1d\(4\): expected 4 channels"):
        nn.InstanceNorm1d(4, affine=True)(mt.randn(2, 3, 5))
    with pytest.raises(ValueError, match="more than 1 spatial element"):
        nn.InstanceNorm1d(3)(mt.randn(2, 3, 1))


def test_layer_keeps_pytorchs_buffers_and_does_not_count_batches(torch):
    layer = nn.InstanceNorm2d(3, track_running_stats=True)
    assert list(layer.state_dict()) == list(torch.nn.InstanceNorm2d(3, track_running_stats=True)
                                            .state_dict())  # fmt: skip
    layer(mt.randn(2, 3, 4, 4))
    assert int(layer.num_batches_tracked.item()) == 0  # PyTorch's instance norm never counts
