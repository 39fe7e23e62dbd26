"""Each scheduler gives PyTorch's learning-rate (and momentum) sequence."""

import math

import pytest

import minitorch as mt
from minitorch import optim
from minitorch.optim import lr_scheduler as sched

STEPS = 30


def _pair(torch, opt_name="SGD", groups=1, **opt_kwargs):
    params = [mt.nn.Parameter(mt.ones(2, dtype=mt.float64)) for _ in range(groups)]
    tparams = [torch.ones(2, requires_grad=True) for _ in range(groups)]
    lrs = [0.1 * (i + 1) for i in range(groups)]
    ours = getattr(optim, opt_name)([{"params": [p], "lr": lr} for p, lr in zip(params, lrs)],
                                    **opt_kwargs)  # fmt: skip
    theirs = getattr(torch.optim, opt_name)(
        [{"params": [p], "lr": lr} for p, lr in zip(tparams, lrs)], **opt_kwargs
    )
    return ours, theirs


CASES = [
    ("StepLR", dict(step_size=7)),
    ("StepLR", dict(step_size=3, gamma=0.5)),
    ("MultiStepLR", dict(milestones=[3, 8, 8, 20])),
    ("ExponentialLR", dict(gamma=0.9)),
    ("CosineAnnealingLR", dict(T_max=10)),
    ("CosineAnnealingLR", dict(T_max=7, eta_min=0.01)),
    ("LambdaLR", dict(lr_lambda=lambda e: 0.95**e)),
    ("LinearLR", dict()),
    ("LinearLR", dict(start_factor=0.1, end_factor=0.5, total_iters=12)),
    ("OneCycleLR", dict(max_lr=1.0, total_steps=STEPS)),
    (
        "OneCycleLR",
        dict(
            max_lr=[1.0, 0.5],
            total_steps=STEPS,
            anneal_strategy="linear",
            three_phase=True,
            pct_start=0.25,
        ),
    ),  # fmt: skip
    ("OneCycleLR", dict(max_lr=0.3, epochs=3, steps_per_epoch=10, cycle_momentum=False)),
]


@pytest.mark.parametrize("opt_name, opt_kwargs", [("SGD", dict(momentum=0.9)), ("Adam", {})])
@pytest.mark.parametrize("name, kwargs", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_scheduler_matches_torch(torch, name, kwargs, opt_name, opt_kwargs):
    ours, theirs = _pair(torch, opt_name, groups=2, **opt_kwargs)
    s = getattr(sched, name)(ours, **kwargs)
    t = getattr(torch.optim.lr_scheduler, name)(theirs, **kwargs)
    for epoch in range(STEPS):
        assert s.last_epoch == t.last_epoch == epoch
        assert s.get_last_lr() == pytest.approx(t.get_last_lr(), rel=1e-12, abs=1e-15)
        for g, h in zip(ours.param_groups, theirs.param_groups):
            assert g["lr"] == pytest.approx(h["lr"], rel=1e-12, abs=1e-15)
            assert g["initial_lr"] == pytest.approx(h["initial_lr"], rel=1e-15)
            if "momentum" in h:
                assert g["momentum"] == pytest.approx(h["momentum"], rel=1e-12)
            if "betas" in h:
                assert g["betas"] == pytest.approx(h["betas"], rel=1e-12)
        if epoch < STEPS - 1 or name != "OneCycleLR":
            ours.step()
            theirs.step()
            s.step()
            t.step()


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(patience=2),
        dict(mode="max", factor=0.5, patience=1, threshold=0.05, cooldown=2),
        dict(threshold_mode="abs", threshold=0.2, patience=0, min_lr=[0.02, 0.05]),
        dict(mode="max", threshold_mode="abs", patience=1, factor=0.5, eps=0.01),
    ],
)
def test_reduce_lr_on_plateau_matches_torch(torch, kwargs):
    ours, theirs = _pair(torch, groups=2, momentum=0.9)
    s = sched.ReduceLROnPlateau(ours, **kwargs)
    t = torch.optim.lr_scheduler.ReduceLROnPlateau(theirs, **kwargs)
    metrics = [1.0, 0.9, 0.95, 0.95, 0.89, 0.9, 0.91, 0.5, 0.6, 0.6, 0.6, 0.7, 0.2, 0.3] * 2
    for m in metrics:
        s.step(m)
        t.step(m)
        assert s.get_last_lr() == pytest.approx(t.get_last_lr(), rel=1e-12)
        assert (s.best, s.num_bad_epochs, s.cooldown_counter, s.last_epoch) == (
            t.best, t.num_bad_epochs, t.cooldown_counter, t.last_epoch)  # fmt: skip


@pytest.mark.parametrize(
    "make",
    [
        lambda o: sched.CosineAnnealingLR(o, T_max=6),
        lambda o: sched.OneCycleLR(o, max_lr=1.0, total_steps=40),
        lambda o: sched.ReduceLROnPlateau(o, patience=1),
        lambda o: sched.MultiStepLR(o, milestones=[4, 12]),
    ],
)
def test_scheduler_state_dict_round_trip(make):
    def run(opt, s, epochs):
        out = []
        for e in epochs:
            s.step(math.cos(e)) if isinstance(s, sched.ReduceLROnPlateau) else s.step()
            out.append(s.get_last_lr())
        return out

    opt = optim.SGD([mt.nn.Parameter(mt.ones(1))], lr=0.1, momentum=0.9)
    s = make(opt)
    run(opt, s, range(10))
    saved_opt, saved = opt.state_dict(), dict(s.state_dict())
    assert "optimizer" not in saved
    rest = run(opt, s, range(10, 20))

    opt2 = optim.SGD([mt.nn.Parameter(mt.ones(1))], lr=0.1, momentum=0.9)
    s2 = make(opt2)
    opt2.load_state_dict(saved_opt)
    s2.load_state_dict(saved)
    assert run(opt2, s2, range(10, 20)) == rest


def test_closed_form_step_with_epoch_warns(torch):
    ours, theirs = _pair(torch)
    s, t = sched.StepLR(ours, step_size=3), torch.optim.lr_scheduler.StepLR(theirs, step_size=3)
    with pytest.warns(UserWarning):
        s.step(7)
    with pytest.warns(UserWarning):
        t.step(7)
    assert s.get_last_lr() == pytest.approx(t.get_last_lr(), rel=1e-12)


def test_scheduler_bad_inputs():
    opt = optim.SGD([mt.nn.Parameter(mt.ones(1))], lr=0.1)
    with pytest.raises(TypeError, match="Optimizer"):
        sched.StepLR("not an optimizer", step_size=2)
    with pytest.raises(ValueError, match="step_size"):
        sched.StepLR(opt, step_size=0)
    with pytest.raises(ValueError, match="factor"):
        sched.ReduceLROnPlateau(opt, factor=1.5)
    with pytest.raises(ValueError, match="mode"):
        sched.ReduceLROnPlateau(opt, mode="best")
    with pytest.raises(ValueError, match="total_steps"):
        sched.OneCycleLR(opt, max_lr=1.0)
    with pytest.raises(ValueError, match="cycle_momentum"):
        sched.OneCycleLR(optim.Adagrad([mt.nn.Parameter(mt.ones(1))]), max_lr=1.0, total_steps=5)
    with pytest.raises(ValueError, match="lr_lambdas"):
        sched.LambdaLR(opt, [lambda e: 1.0, lambda e: 2.0])
    with pytest.raises(KeyError, match="initial_lr"):
        sched.ExponentialLR(optim.SGD([mt.nn.Parameter(mt.ones(1))], lr=0.1), 0.9, last_epoch=3)
    s = sched.OneCycleLR(opt, max_lr=1.0, total_steps=2)
    s.step()
    s.step()
    with pytest.raises(ValueError, match="total_steps"):
        s.step()
