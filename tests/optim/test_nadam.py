import numpy as np
import pytest

import minitorch as mt
from minitorch import optim
from tests.optim._compare import (
    assert_matches_torch,
    assert_state_like_torch,
    gradient_sequence,
    make_params,
    run_minitorch,
)

OPTIONS = [
    dict(),
    dict(lr=0.01),
    dict(lr=0.01, momentum_decay=0.05),
    dict(lr=0.02, betas=(0.3, 0.5), eps=1e-3),  # 1 - beta1 >= 0.5: lerp's other branch
    dict(lr=0.01, weight_decay=0.1),
    dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True),
    dict(lr=0.01, maximize=True),
    dict(lr=0.01, weight_decay=0.05, momentum_decay=0.0, maximize=True),
]


def _ids(k):
    return ",".join(f"{a}={b}" for a, b in k.items()) or "defaults"


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("kwargs", OPTIONS, ids=_ids)
def test_nadam_matches_torch(torch, same_default_dtype, kwargs, dtype, device):
    assert_matches_torch(torch, optim.NAdam, torch.optim.NAdam, kwargs, dtype, device=device)


@pytest.mark.parametrize("default", ["float32", "float64"])
def test_nadam_mu_product_is_rounded_to_the_default_dtype_as_torch(torch, default):
    """PyTorch keeps ``mu_product`` as a 0-d tensor of the default dtype; minitorch rounds it to
    its own default dtype, so that both agree exactly when the two defaults agree."""
    torch.set_default_dtype(getattr(torch, default))
    before = mt.get_default_dtype()
    mt.set_default_dtype(getattr(mt, default))
    try:
        kwargs = dict(lr=0.01)
        assert_matches_torch(torch, optim.NAdam, torch.optim.NAdam, kwargs, np.float64)
        init, grads = gradient_sequence(50)
        params = make_params(init, np.float64)
        opt = optim.NAdam(params, **kwargs)
        run_minitorch(opt, params, grads, np.float64)
        tparams = [torch.tensor(x, requires_grad=True) for x in init]
        th = torch.optim.NAdam(tparams, **kwargs)
        for gs in grads:
            for p, g in zip(tparams, gs):
                p.grad = torch.tensor(g)
            th.step()
        assert th.state[tparams[0]]["mu_product"].dtype == getattr(torch, default)
        assert opt.state[params[0]]["mu_product"] == th.state[tparams[0]]["mu_product"].item()
    finally:
        mt.set_default_dtype(before)


@pytest.mark.parametrize("kwargs", [dict(), dict(weight_decay=0.1, maximize=True)], ids=_ids)
def test_nadam_state_dict_is_torchs(torch, same_default_dtype, kwargs):
    assert_state_like_torch(torch, optim.NAdam, torch.optim.NAdam, kwargs)


def test_nadam_defaults():
    opt = optim.NAdam([mt.nn.Parameter(mt.ones(2))])
    assert opt.defaults == dict(lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                                momentum_decay=4e-3, decoupled_weight_decay=False,
                                maximize=False)  # fmt: skip


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(lr=-1e-3), "learning rate"),
        (dict(betas=(1.0, 0.999)), "beta parameter at index 0"),
        (dict(betas=(0.9, 1.0)), "beta parameter at index 1"),
        (dict(eps=-1.0), "epsilon value"),
        (dict(weight_decay=-0.1), "weight_decay value"),
        (dict(momentum_decay=-0.1), "momentum_decay value"),
    ],
)
def test_nadam_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        optim.NAdam([mt.nn.Parameter(mt.ones(2))], **kwargs)
