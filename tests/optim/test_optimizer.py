"""The Optimizer base, exercised through every optimizer: groups, skipping, state dicts, dtypes,
allocation-free steps and bad input."""

import re
import tracemalloc

import numpy as np
import pytest

import minitorch as mt
from minitorch import optim
from tests.helpers import to_numpy
from tests.optim._compare import gradient_sequence, make_params, run_minitorch, run_torch, snapshot

ALL = [
    (optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
    (optim.SGD, dict(lr=0.1, momentum=0.9, dampening=0.2, maximize=True)),
    (optim.Adam, dict(lr=0.01, amsgrad=True, weight_decay=0.01)),
    (optim.AdamW, dict(lr=0.01, maximize=True)),
    (optim.RMSprop, dict(centered=True, momentum=0.5, weight_decay=0.01)),
    (optim.Adagrad, dict(lr_decay=0.01, weight_decay=0.01, maximize=True)),
    (optim.Adadelta, dict(weight_decay=0.01, maximize=True)),
    (optim.Adamax, dict(lr=0.01, weight_decay=0.01)),
    (optim.NAdam, dict(lr=0.01, weight_decay=0.01, decoupled_weight_decay=True)),
    (optim.RAdam, dict(lr=0.01, weight_decay=0.01, maximize=True)),
]
IDS = [f"{cls.__name__}-{i}" for i, (cls, _) in enumerate(ALL)]


@pytest.mark.parametrize("cls, kwargs", ALL, ids=IDS)
def test_param_groups_with_their_own_lr_match_torch(torch, same_default_dtype, cls, kwargs):
    init, grads = gradient_sequence(30)
    params = make_params(init, np.float64)
    opt = cls([{"params": params[:2]}, {"params": params[2:], "lr": 0.003}], **kwargs)
    assert opt.param_groups[1]["lr"] == 0.003 and opt.param_groups[0]["lr"] == kwargs.get(
        "lr", opt.defaults["lr"]
    )
    run_minitorch(opt, params, grads, np.float64)
    th_cls = getattr(torch.optim, cls.__name__)
    expected = run_torch(torch, th_cls, init, grads, np.float64,
                         groups=lambda ps: [{"params": ps[:2]}, {"params": ps[2:], "lr": 0.003}],
                         **kwargs)  # fmt: skip
    for p, want in zip(params, expected):
        np.testing.assert_allclose(to_numpy(p), want, rtol=0, atol=1e-10)


@pytest.mark.parametrize("cls, kwargs", ALL, ids=IDS)
def test_param_without_grad_is_skipped(cls, kwargs):
    init, grads = gradient_sequence(5)
    grads = [[g[0], None, g[2]] for g in grads]
    params = make_params(init, np.float64)
    opt = cls(params, **kwargs)
    before = {k: to_numpy(v).copy() if hasattr(v, "shape") else v for k, v in
              opt.state.get(params[1], {}).items()}  # fmt: skip
    run_minitorch(opt, params, grads, np.float64)
    np.testing.assert_array_equal(to_numpy(params[1]), init[1])
    after = opt.state.get(params[1], {})
    assert set(after) == set(before)  # Adagrad creates its state up front; others none
    for k, v in before.items():
        np.testing.assert_array_equal(to_numpy(after[k]) if hasattr(v, "shape") else after[k], v)
    assert not np.array_equal(to_numpy(params[0]), init[0])


@pytest.mark.parametrize("cls, kwargs", ALL, ids=IDS)
def test_state_dict_round_trip_is_exact(cls, kwargs):
    init, grads = gradient_sequence(20)
    params = make_params(init, np.float64)
    opt = cls(params, **kwargs)
    run_minitorch(opt, params, grads[:10], np.float64)
    saved = snapshot(opt.state_dict())
    at_ten = [to_numpy(p).copy() for p in params]
    run_minitorch(opt, params, grads[10:], np.float64)

    fresh = make_params(at_ten, np.float64)
    other = dict(kwargs, lr=123.0)  # the loaded state dict restores the hyper-parameters
    resumed = cls(fresh, **other)
    resumed.load_state_dict(saved)
    assert resumed.param_groups[0]["lr"] == opt.param_groups[0]["lr"]
    run_minitorch(resumed, fresh, grads[10:], np.float64)
    for a, b in zip(params, fresh):
        np.testing.assert_array_equal(to_numpy(a), to_numpy(b))
    sd_a, sd_b = opt.state_dict(), resumed.state_dict()
    assert sd_a["param_groups"] == sd_b["param_groups"]
    for i, state in sd_a["state"].items():
        for k, v in state.items():
            np.testing.assert_array_equal(to_numpy(v) if hasattr(v, "shape") else v,
                                          to_numpy(sd_b["state"][i][k]) if hasattr(v, "shape")
                                          else sd_b["state"][i][k])  # fmt: skip


@pytest.mark.parametrize("cls, kwargs", ALL, ids=IDS)
def test_state_follows_the_parameters_dtype(cls, kwargs):
    init, grads = gradient_sequence(4)
    params = make_params(init, np.float64)
    opt = cls(params, **kwargs)
    run_minitorch(opt, params, grads[:2], np.float64)
    saved = snapshot(opt.state_dict())
    # loading into float32 parameters casts the state arrays
    params32 = make_params(init, np.float32)
    opt32 = cls(params32, **kwargs)
    opt32.load_state_dict(saved)
    for state in opt32.state.values():
        assert all(v.dtype == np.float32 for v in state.values() if hasattr(v, "dtype"))
        assert isinstance(state.get("step", 0.0), float)
    # a parameter moved after the optimizer was built (Module.to) takes its state along
    for p in params:
        p.array = p.array.astype(np.float32)
    run_minitorch(opt, params, grads[2:], np.float32)
    for p in params:
        assert p.dtype == mt.float32
        assert all(v.dtype == np.float32 for v in opt.state[p].values() if hasattr(v, "dtype"))


@pytest.mark.parametrize("cls, kwargs", ALL, ids=IDS)
def test_step_allocates_no_parameter_sized_arrays(cls, kwargs):
    """After the first step, an update allocates nothing the size of a parameter."""
    n = 200_000
    rng = np.random.default_rng(0)
    p = mt.nn.Parameter(mt.tensor(rng.standard_normal(n).astype(np.float32)))
    opt = cls([p], **kwargs)
    p.grad = mt.tensor(rng.standard_normal(n).astype(np.float32))
    opt.step()
    opt.step()
    tracemalloc.start()
    try:
        opt.step()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < n * 4 // 4, f"{cls.__name__}.step allocated {peak} bytes (a parameter: {n * 4})"
    assert p.dtype == mt.float32


def test_zero_grad_and_closure():
    p = mt.nn.Parameter(mt.tensor([1.0, 2.0]))
    opt = optim.SGD([p], lr=0.5)

    def closure():
        opt.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    with mt.no_grad():  # the closure still records: step enables grad for it
        loss = opt.step(closure)
    assert loss.item() == pytest.approx(5.0)
    np.testing.assert_allclose(p.detach().numpy(), [0.0, 0.0])
    p.grad = mt.ones(2)
    opt.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(p.grad.numpy(), [0.0, 0.0])
    opt.zero_grad()
    assert p.grad is None


def test_add_param_group_and_repr():
    a, b = mt.nn.Parameter(mt.ones(2)), mt.nn.Parameter(mt.ones(3))
    opt = optim.Adam([a], lr=0.1)
    opt.add_param_group({"params": b, "betas": (0.5, 0.6)})
    assert opt.param_groups[1]["lr"] == 0.1 and opt.param_groups[1]["betas"] == (0.5, 0.6)
    assert "Parameter Group 1" in repr(opt) and "betas: (0.5, 0.6)" in repr(opt)
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": [a]})
    with pytest.raises(ValueError, match="learning rate"):
        opt.add_param_group({"params": [mt.nn.Parameter(mt.ones(1))], "lr": -1.0})


def test_bad_inputs():
    p = mt.nn.Parameter(mt.ones(2))
    with pytest.raises(ValueError, match="appears twice"):
        optim.SGD([p, p], lr=0.1)
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.Adam([])
    with pytest.raises(ValueError, match="non-leaf"):
        optim.SGD([p * 2], lr=0.1)
    with pytest.raises(TypeError, match="single Tensor"):
        optim.SGD(p, lr=0.1)
    with pytest.raises(TypeError, match="ordered collection"):
        optim.SGD({p}, lr=0.1)
    with pytest.raises(TypeError, match="only optimize Tensors"):
        optim.SGD([np.ones(2)], lr=0.1)
    opt = optim.SGD([p], lr=0.1)
    with pytest.raises(ValueError, match="group"):
        opt.load_state_dict({"state": {}, "param_groups": [{"params": [0, 1], "lr": 0.1}]})


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda sd: sd["param_groups"][0].update(lr="fast"), "option 'lr' must be a number"),
        (lambda sd: sd["param_groups"][0].update(betas=(0.9,)), "option 'betas' must be a seq"),
        (lambda sd: sd["param_groups"][0].update(eps=-1.0), "invalid epsilon value -1.0"),
        (lambda sd: sd["state"][0].update(exp_avg=np.zeros(7)), "has shape (7,), but the param"),
        (lambda sd: sd["state"][1].update(exp_avg_sq="x"), "is a str, expected an array"),
    ],
)
def test_optimizer_load_state_dict_refuses_bad_values_and_changes_nothing(edit, message):
    model = mt.nn.Linear(3, 2)
    opt = mt.optim.Adam(model.parameters(), lr=0.01)
    model(mt.randn(4, 3)).sum().backward()
    opt.step()
    sd = opt.state_dict()
    before = (
        opt.param_groups[0]["lr"],
        {k: v["exp_avg"].copy() for k, v in enumerate(opt.state.values())},
    )
    edit(sd)
    with pytest.raises(ValueError, match=re.escape(message)):
        opt.load_state_dict(sd)
    assert opt.param_groups[0]["lr"] == before[0]
    for k, v in enumerate(opt.state.values()):
        np.testing.assert_array_equal(v["exp_avg"], before[1][k])
