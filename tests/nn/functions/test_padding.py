"""``F.pad`` against PyTorch: every mode, 1-3 padded dims, crops, corners, and its errors."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch as mt
from minitorch.nn import functional as F  # noqa: N812
from tests.helpers import compare_with_torch

CASES = [
    ((2, 3, 5), (1, 2), "reflect"), ((2, 3, 5), (4, 3), "reflect"),
    ((2, 3, 4, 5), (1, 2, 3, 1), "reflect"), ((2, 3, 4, 5, 6), (1, 2, 3, 1, 2, 2), "reflect"),
    ((3, 5), (2, 0), "reflect"), ((2, 3, 5), (-1, 3), "reflect"),
    ((2, 3, 4, 5), (2, 1, 0, 3), "replicate"), ((2, 3, 4, 5), (1, 2, 3, 1, 2, 2), "replicate"),
    ((2, 3, 5), (-2, 3), "replicate"), ((2, 3, 4, 5), (4, 5, 2, 4), "circular"),
    ((3, 4, 5, 6), (1, 2, 3, 1, 2, 2), "circular"), ((2, 3, 5), (-1, 3), "circular"),
    ((2, 3, 4), (1, 2), "constant"), ((2, 3, 4), (1, -2, 0, 1, 1, 1), "constant"),
    ((5,), (2, -1), "constant"), ((2, 3, 4, 5), (1, 1, 1, 1, 1, 1, 1, 1), "constant"),
    ((2, 3), (0, 0), "constant"),
]  # fmt: skip


@pytest.mark.parametrize("shape,pad,mode", CASES, ids=[f"{m}-{p}-{s}" for s, p, m in CASES])
def test_pad_matches_torch(shape, pad, mode, torch, rng, device):
    value = 1.5 if mode == "constant" else None
    compare_with_torch(lambda x: F.pad(x, pad, mode, value),
                       lambda x: torch.nn.functional.pad(x, pad, mode, value),
                       [rng.standard_normal(shape)], device=device)  # fmt: skip


def test_pad_keeps_float32_and_accepts_a_list(rng):
    x = mt.tensor(rng.standard_normal((2, 3)).astype(np.float32))
    y = F.pad(x, [1, 1], value=2)
    assert y.dtype == mt.float32 and y.shape == (2, 5)
    np.testing.assert_array_equal(y.numpy()[:, 0], 2)


@pytest.mark.parametrize(
    "shape,pad,mode,value,error,match",
    [
        ((2, 3), (1,), "constant", None, ValueError, "divisible by 2"),
        ((3,), (1, 1, 1, 1), "constant", None, ValueError, "more than two times"),
        ((2, 3), (1.5, 1), "constant", None, TypeError, "tuple of ints"),
        ((2, 3, 4), (1, 1), "zeros", None, ValueError, "mode must be one of"),
        ((2, 3, 4), (1, 1), "reflect", 2.0, ValueError, "does not take a value"),
        ((2, 3, 4, 5), (1, 1), "reflect", None, NotImplementedError, "not supported for a 4D"),
        ((2, 3, 4), (4, 0), "reflect", None, ValueError, r"must be smaller than the size 4"),
        ((2, 3, 4), (5, 0), "circular", None, ValueError, r"must be at most the size 4"),
        ((2, 3, 4), (-3, -3), "constant", None, ValueError, "leaves no elements"),
    ],
)  # fmt: skip
def test_pad_errors_name_the_argument(shape, pad, mode, value, error, match):
    with pytest.raises(error, match=match):
        F.pad(mt.zeros(*shape), pad, mode, value)
