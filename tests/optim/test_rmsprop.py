import numpy as np
import pytest

import minitorch as mt
from minitorch import optim
from tests.optim._compare import assert_matches_torch

OPTIONS = [
    dict(),
    dict(centered=True),
    dict(momentum=0.9),
    dict(centered=True, momentum=0.5),
    dict(weight_decay=0.1),
    dict(maximize=True),
    dict(lr=0.005, alpha=0.3, eps=1e-4, centered=True),  # 1 - alpha >= 0.5: lerp's other branch
    dict(lr=0.005, centered=True, momentum=0.5, weight_decay=0.1, maximize=True),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
@pytest.mark.parametrize(
    "kwargs", OPTIONS, ids=lambda k: ",".join(f"{a}={b}" for a, b in k.items())
)
def test_rmsprop_matches_torch(torch, kwargs, dtype, device):
    assert_matches_torch(torch, optim.RMSprop, torch.optim.RMSprop, kwargs, dtype, device=device)


def test_rmsprop_state_names_match_torch(torch):
    p = mt.nn.Parameter(mt.ones(3, dtype=mt.float64))
    q = torch.ones(3, requires_grad=True)
    kwargs = dict(momentum=0.5, centered=True)
    opt, th = optim.RMSprop([p], **kwargs), torch.optim.RMSprop([q], **kwargs)
    p.grad, q.grad = mt.ones(3, dtype=mt.float64), torch.ones(3)
    opt.step()
    th.step()
    assert set(opt.state_dict()["state"][0]) == set(th.state_dict()["state"][0])


@pytest.mark.parametrize("key", ["lr", "alpha", "eps", "momentum", "weight_decay"])
def test_rmsprop_bad_arguments(key):
    with pytest.raises(ValueError, match=key if key != "lr" else "learning rate"):
        optim.RMSprop([mt.nn.Parameter(mt.ones(2))], **{key: -0.5})
