import numpy as np
import pytest

import minitorch as mt
from minitorch import optim
from tests.optim._compare import assert_matches_torch

OPTIONS = [
    dict(),
    dict(lr=0.1, lr_decay=0.05),
    dict(weight_decay=0.1),
    dict(initial_accumulator_value=0.1),
    dict(maximize=True),
    dict(
        lr=0.1,
        lr_decay=0.01,
        weight_decay=0.1,
        initial_accumulator_value=0.5,
        eps=1e-6,
        maximize=True,
    ),  # fmt: skip
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
@pytest.mark.parametrize(
    "kwargs", OPTIONS, ids=lambda k: ",".join(f"{a}={b}" for a, b in k.items())
)
def test_adagrad_matches_torch(torch, kwargs, dtype, device):
    assert_matches_torch(torch, optim.Adagrad, torch.optim.Adagrad, kwargs, dtype, device=device)


def test_adagrad_state_exists_from_the_start(torch):
    """As PyTorch: ``step`` and ``sum`` for every parameter at construction."""
    p = mt.nn.Parameter(mt.ones(3, dtype=mt.float64))
    opt = optim.Adagrad([p], initial_accumulator_value=0.25)
    th = torch.optim.Adagrad([torch.ones(3, requires_grad=True)], initial_accumulator_value=0.25)
    ours, theirs = opt.state_dict()["state"][0], th.state_dict()["state"][0]
    assert set(ours) == set(theirs) and ours["step"] == 0.0
    np.testing.assert_array_equal(ours["sum"].numpy(), theirs["sum"].numpy())


@pytest.mark.parametrize(
    "key", ["lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps"]
)
def test_adagrad_bad_arguments(key):
    with pytest.raises(ValueError, match=key if key != "lr" else "learning rate"):
        optim.Adagrad([mt.nn.Parameter(mt.ones(2))], **{key: -0.5})
