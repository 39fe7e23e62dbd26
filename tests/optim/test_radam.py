import numpy as np
import pytest

import minitorch as mt
from minitorch import optim
from tests.optim._compare import assert_matches_torch, assert_state_like_torch

OPTIONS = [
    dict(),
    dict(lr=0.01),
    dict(lr=0.02, betas=(0.3, 0.5), eps=1e-3),  # rectified from step 2 on; lerp's other branch
    dict(lr=0.01, betas=(0.9, 0.99)),  # unrectified for the first 5 steps
    dict(lr=0.01, weight_decay=0.1),
    dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True),
    dict(lr=0.01, maximize=True),
    dict(lr=0.01, weight_decay=0.05, decoupled_weight_decay=True, maximize=True),
]


def _ids(k):
    return ",".join(f"{a}={b}" for a, b in k.items()) or "defaults"


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("kwargs", OPTIONS, ids=_ids)
def test_radam_matches_torch(torch, kwargs, dtype, device):
    assert_matches_torch(torch, optim.RAdam, torch.optim.RAdam, kwargs, dtype, device=device)


@pytest.mark.parametrize("kwargs", [dict(), dict(weight_decay=0.1, maximize=True)], ids=_ids)
def test_radam_state_dict_is_torchs(torch, kwargs):
    assert_state_like_torch(torch, optim.RAdam, torch.optim.RAdam, kwargs)


def test_radam_defaults():
    opt = optim.RAdam([mt.nn.Parameter(mt.ones(2))])
    assert opt.defaults == dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                                decoupled_weight_decay=False, maximize=False)  # fmt: skip


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(lr=-1e-3), "learning rate"),
        (dict(betas=(-0.1, 0.999)), "beta parameter at index 0"),
        (dict(betas=(0.9, 1.0)), "beta parameter at index 1"),
        (dict(eps=-1.0), "epsilon value"),
        (dict(weight_decay=-0.1), "weight_decay value"),
    ],
)
def test_radam_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        optim.RAdam([mt.nn.Parameter(mt.ones(2))], **kwargs)
