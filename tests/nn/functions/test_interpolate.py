"""``F.interpolate`` against PyTorch: every mode on 3-d, 4-d and 5-d input, sizes and scale
factors (up and down, whole and fractional), ``align_corners``, PyTorch's float32 nearest
indices, the repetition fast path, and the errors."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch as mt
from minitorch.nn import functional as F  # noqa: N812
from minitorch.nn.functions import interpolate as kernels
from tests.helpers import compare_with_torch

MODES_4D = [("nearest", None), ("nearest-exact", None), ("bilinear", False), ("bilinear", True),
            ("area", None)]  # fmt: skip
SIZES_4D = [{"scale_factor": 2}, {"scale_factor": 3}, {"size": (9, 11)}, {"size": (3, 2)},
            {"scale_factor": 1.7}, {"scale_factor": (0.6, 2.3)}, {"size": (1, 1)},
            {"scale_factor": 2.5, "recompute_scale_factor": True}]  # fmt: skip
CASES = [((2, 3, 5, 7), dict(kw, mode=m, align_corners=a)) for kw in SIZES_4D for m, a in MODES_4D]
CASES += [
    ((2, 3, 5), dict(kw, mode=m, align_corners=a))
    for kw in ({"scale_factor": 2}, {"size": 9}, {"size": 3}, {"scale_factor": 1.3})
    for m, a in [("nearest", None), ("linear", False), ("linear", True), ("area", None)]
]
CASES += [((1, 2, 3, 4, 5), dict(kw, mode=m, align_corners=a))
          for kw in ({"scale_factor": 2}, {"size": (4, 3, 7)})
          for m, a in [("nearest", None), ("trilinear", False), ("trilinear", True)]]  # fmt: skip


@pytest.mark.parametrize("shape,kwargs", CASES, ids=[f"{s}-{k}" for s, k in CASES])
def test_interpolate_matches_torch(shape, kwargs, torch, rng, device):
    compare_with_torch(lambda x: F.interpolate(x, **kwargs),
                       lambda x: torch.nn.functional.interpolate(x, **kwargs),
                       [rng.standard_normal(shape)], device=device)  # fmt: skip


@pytest.mark.parametrize("ndim", [3, 4, 5])
@pytest.mark.parametrize("mode", ["nearest", "nearest-exact"])
def test_nearest_indices_follow_torchs_float32_rounding(mode, ndim, torch):
    lead = (1,) * (ndim - 1)
    for n in range(1, 13):
        x = np.arange(n, dtype=np.float32).reshape(lead + (n,))
        for m in range(1, 40):
            size = (1,) * (ndim - 3) + (m,)
            ours = F.interpolate(mt.tensor(x), size=size, mode=mode).numpy()
            theirs = torch.nn.functional.interpolate(torch.tensor(x), size=size, mode=mode)
            np.testing.assert_array_equal(ours, theirs.numpy(), err_msg=f"{n} -> {m}")
        for factor in (0.7, 1.1, 1.7, 2.0, 2.2, 3.3):
            if int(n * factor) == 0:
                continue
            scale = (1.0,) * (ndim - 3) + (factor,)
            ours = F.interpolate(mt.tensor(x), scale_factor=scale, mode=mode).numpy()
            theirs = torch.nn.functional.interpolate(torch.tensor(x), scale_factor=scale,
                                                     mode=mode)  # fmt: skip
            np.testing.assert_array_equal(ours, theirs.numpy(), err_msg=f"{n} x {factor}")


def test_whole_number_nearest_upsampling_is_one_broadcast_copy(rng):
    x = rng.standard_normal((2, 3, 4, 5))
    y, saved = kernels.interpolate_forward(x, (8, 15), (2.0, 3.0), "nearest", False)
    assert saved[2] == (2, 3)  # the repetition path
    np.testing.assert_array_equal(y, x.repeat(2, axis=2).repeat(3, axis=3))
    dy = rng.standard_normal(y.shape)
    expected = dy.reshape(2, 3, 4, 2, 5, 3).sum(axis=(3, 5))
    np.testing.assert_allclose(kernels.interpolate_backward(dy, saved), expected)


def test_float32_stays_float32(rng):
    for mode in ("nearest", "bilinear", "area"):
        x = mt.tensor(rng.standard_normal((1, 2, 3, 4)).astype(np.float32), requires_grad=True)
        y = F.interpolate(x, scale_factor=1.5, mode=mode)
        y.sum().backward()
        assert y.dtype == mt.float32 and x.grad.dtype == mt.float32


@pytest.mark.parametrize(
    "shape,kwargs,error,match",
    [
        ((1, 2, 3, 4), {}, ValueError, "exactly one of size and scale_factor"),
        ((1, 2, 3, 4), {"size": 2, "scale_factor": 2}, ValueError, "exactly one"),
        ((1, 2, 3), {"size": 4, "mode": "bilinear"}, ValueError, "bilinear mode needs 4D"),
        ((1, 2, 3, 4), {"size": 4, "align_corners": True}, ValueError, "align_corners can"),
        ((1, 2, 3, 4), {"size": (4, 5, 6)}, ValueError, "size must be"),
        ((1, 2, 3, 4), {"size": 4, "mode": "bicubic"}, NotImplementedError, "bicubic"),
        ((1, 2, 3, 4), {"scale_factor": 0.1}, ValueError, "gives output size"),
        ((3, 4), {"size": 4}, ValueError, "expected a 3D, 4D or 5D input"),
    ],
)  # fmt: skip
def test_interpolate_errors(shape, kwargs, error, match):
    with pytest.raises(error, match=match):
        F.interpolate(mt.zeros(*shape), **kwargs)
    with pytest.raises(NotImplementedError, match="antialias"):
        F.interpolate(mt.zeros(1, 1, 2, 2), size=3, mode="bilinear", antialias=True)


def test_upsample_is_the_deprecated_spelling(rng):
    x = mt.tensor(rng.standard_normal((1, 1, 2, 2)))
    with pytest.warns(UserWarning, match="deprecated"):
        y = F.upsample(x, scale_factor=2)
    np.testing.assert_array_equal(y.numpy(), F.interpolate(x, scale_factor=2).numpy())
