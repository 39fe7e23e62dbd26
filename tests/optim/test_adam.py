import numpy as np
import pytest

import minitorch as mt
from minitorch import optim
from tests.optim._compare import assert_matches_torch

ADAM = [
    dict(lr=0.01),
    dict(lr=0.01, amsgrad=True),
    dict(lr=0.01, weight_decay=0.1),
    dict(lr=0.01, maximize=True),
    dict(lr=0.02, betas=(0.3, 0.5), eps=1e-3),  # 1 - beta1 >= 0.5: lerp's other branch
    dict(lr=0.01, weight_decay=0.1, amsgrad=True, maximize=True),
    dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True),
]
ADAMW = [
    dict(lr=0.01),
    dict(lr=0.01, weight_decay=0.1, amsgrad=True),
    dict(lr=0.01, weight_decay=0.0, maximize=True),
    dict(lr=0.01, weight_decay=0.2, maximize=True, betas=(0.8, 0.9)),
]


def _ids(k):
    return ",".join(f"{a}={b}" for a, b in k.items())


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("kwargs", ADAM, ids=_ids)
def test_adam_matches_torch(torch, kwargs, dtype, device):
    assert_matches_torch(torch, optim.Adam, torch.optim.Adam, kwargs, dtype, device=device)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("kwargs", ADAMW, ids=_ids)
def test_adamw_matches_torch(torch, kwargs, dtype, device):
    assert_matches_torch(torch, optim.AdamW, torch.optim.AdamW, kwargs, dtype, device=device)


def test_adamw_is_decoupled_adam():
    p = mt.nn.Parameter(mt.ones(2))
    assert optim.AdamW([p]).defaults["weight_decay"] == 1e-2
    assert optim.AdamW([p]).param_groups[0]["decoupled_weight_decay"] is True
    assert optim.Adam([p]).param_groups[0]["decoupled_weight_decay"] is False


def test_adam_state_names_match_torch(torch):
    p = mt.nn.Parameter(mt.ones(3, dtype=mt.float64))
    q = torch.ones(3, requires_grad=True)
    opt, th = optim.Adam([p], amsgrad=True), torch.optim.Adam([q], amsgrad=True)
    p.grad, q.grad = mt.ones(3, dtype=mt.float64), torch.ones(3)
    opt.step()
    th.step()
    ours, theirs = opt.state_dict()["state"][0], th.state_dict()["state"][0]
    assert set(ours) == set(theirs)
    assert ours["step"] == float(theirs["step"]) == 1.0


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(lr=-1e-3), "learning rate"),
        (dict(betas=(1.0, 0.999)), "beta parameter at index 0"),
        (dict(betas=(0.9, -0.1)), "beta parameter at index 1"),
        (dict(betas=(0.9,)), "pair"),
        (dict(eps=-1.0), "epsilon"),
        (dict(weight_decay=-0.1), "weight_decay"),
    ],
)
@pytest.mark.parametrize("cls", [optim.Adam, optim.AdamW])
def test_adam_bad_arguments(cls, kwargs, match):
    with pytest.raises(ValueError, match=match):
        cls([mt.nn.Parameter(mt.ones(2))], **kwargs)
