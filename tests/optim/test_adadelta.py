import numpy as np
import pytest

import minitorch as mt
from minitorch import optim
from tests.optim._compare import assert_matches_torch, assert_state_like_torch

OPTIONS = [
    dict(),
    dict(lr=0.5, rho=0.5),
    dict(lr=0.1, eps=1e-3, weight_decay=0.1),
    dict(maximize=True),
    dict(lr=2.0, rho=0.95, weight_decay=0.05, maximize=True),
    dict(rho=0.0),
    dict(rho=1.0),
]


def _ids(k):
    return ",".join(f"{a}={b}" for a, b in k.items()) or "defaults"


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("kwargs", OPTIONS, ids=_ids)
def test_adadelta_matches_torch(torch, kwargs, dtype, device):
    assert_matches_torch(torch, optim.Adadelta, torch.optim.Adadelta, kwargs, dtype,
                         device=device)  # fmt: skip


@pytest.mark.parametrize("kwargs", [dict(), dict(weight_decay=0.1, maximize=True)], ids=_ids)
def test_adadelta_state_dict_is_torchs(torch, kwargs):
    assert_state_like_torch(torch, optim.Adadelta, torch.optim.Adadelta, kwargs)


def test_adadelta_defaults():
    opt = optim.Adadelta([mt.nn.Parameter(mt.ones(2))])
    assert opt.defaults == dict(lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, maximize=False)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(lr=-1.0), "learning rate"),
        (dict(rho=1.5), "rho value"),
        (dict(rho=-0.1), "rho value"),
        (dict(eps=-1e-6), "epsilon value"),
        (dict(weight_decay=-0.1), "weight_decay value"),
    ],
)
def test_adadelta_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        optim.Adadelta([mt.nn.Parameter(mt.ones(2))], **kwargs)
