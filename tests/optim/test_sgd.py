import numpy as np
import pytest

from minitorch import optim
from tests.optim._compare import assert_matches_torch

OPTIONS = [
    dict(lr=0.1),
    dict(lr=0.1, momentum=0.9),
    dict(lr=0.05, momentum=0.9, dampening=0.5),
    dict(lr=0.05, momentum=0.9, nesterov=True),
    dict(lr=0.1, weight_decay=0.1),
    dict(lr=0.1, maximize=True),
    dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.1),
    dict(lr=0.05, momentum=0.8, nesterov=True, maximize=True),
    dict(lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.05, maximize=True),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
@pytest.mark.parametrize(
    "kwargs", OPTIONS, ids=lambda k: ",".join(f"{a}={b}" for a, b in k.items())
)
def test_sgd_matches_torch(torch, kwargs, dtype, device):
    assert_matches_torch(torch, optim.SGD, torch.optim.SGD, kwargs, dtype, device=device)


def test_sgd_defaults_and_state_names(torch):
    assert optim.SGD([_param()]).defaults["lr"] == 1e-3  # as torch 2.x
    p = _param()
    opt = optim.SGD([p], lr=0.1, momentum=0.9)
    p.grad = p.detach() * 0 + 1
    opt.step()
    assert set(opt.state_dict()["state"][0]) == {"momentum_buffer"}
    assert not optim.SGD([p], lr=0.1).state  # no momentum, no state (as PyTorch)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(lr=-0.1), "learning rate"),
        (dict(lr=0.1, momentum=-0.5), "momentum"),
        (dict(lr=0.1, weight_decay=-1), "weight_decay"),
        (dict(lr=0.1, nesterov=True), "Nesterov"),
        (dict(lr=0.1, momentum=0.9, dampening=0.1, nesterov=True), "Nesterov"),
    ],
)
def test_sgd_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        optim.SGD([_param()], **kwargs)


def _param():
    import minitorch as mt

    return mt.nn.Parameter(mt.ones(3, dtype=mt.float64))
