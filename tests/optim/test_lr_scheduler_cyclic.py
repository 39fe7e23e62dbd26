"""CyclicLR gives torch's learning-rate and momentum (or beta1) sequences."""

import pytest

import minitorch as mt
from minitorch import optim
from minitorch.optim import lr_scheduler as sched
from tests.optim._schedules import assert_schedule_matches_torch


class Decay:
    """A callable scale_fn object (its ``__dict__`` is saved in the state dict)."""

    def __init__(self, rate=0.8):
        self.rate = rate

    def __call__(self, x):
        return self.rate**x


CASES = {
    "triangular": lambda m, o: m.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=4),
    "triangular2-asymmetric": lambda m, o: m.CyclicLR(
        o,
        base_lr=[0.01, 0.02],
        max_lr=[0.1, 0.3],
        step_size_up=3,
        step_size_down=5,
        mode="triangular2",
        base_momentum=[0.7, 0.75],
        max_momentum=0.95,
    ),  # fmt: skip
    "exp_range": lambda m, o: m.CyclicLR(
        o, 0.001, 0.05, step_size_up=5, mode="exp_range", gamma=0.9
    ),  # fmt: skip
    "scale_fn-iterations": lambda m, o: m.CyclicLR(
        o, 0.01, 0.1, step_size_up=2, scale_fn=Decay(), scale_mode="iterations"
    ),
    "scale_fn-cycle": lambda m, o: m.CyclicLR(
        o, 0.01, 0.1, step_size_up=3, scale_fn=lambda c: 1 / c
    ),  # fmt: skip
    "no-momentum": lambda m, o: m.CyclicLR(o, 0.01, 0.1, step_size_up=4, cycle_momentum=False),
    "no-way-down": lambda m, o: m.CyclicLR(o, 0.01, 0.1, step_size_up=3, step_size_down=0),
}


@pytest.mark.parametrize("opt_name, opt_kwargs", [("SGD", dict(momentum=0.9)), ("Adam", {})])
@pytest.mark.parametrize("make", CASES.values(), ids=CASES.keys())
def test_cyclic_lr_and_momentum_match_torch(torch, make, opt_name, opt_kwargs):
    assert_schedule_matches_torch(torch, make, opt_name=opt_name, **opt_kwargs)


def test_cyclic_momentum_moves_against_the_learning_rate():
    opt = optim.SGD([mt.nn.Parameter(mt.ones(1))], lr=0.1, momentum=0.9)
    s = sched.CyclicLR(opt, 0.01, 0.1, step_size_up=2)
    seen = []
    for _ in range(5):
        seen.append((s.get_last_lr()[0], opt.param_groups[0]["momentum"]))
        opt.step()
        s.step()
    assert [round(lr, 6) for lr, _ in seen] == [0.01, 0.055, 0.1, 0.055, 0.01]
    assert [round(m, 6) for _, m in seen] == [0.9, 0.85, 0.8, 0.85, 0.9]


def test_cyclic_state_dict_keeps_a_callable_scale_fn():
    opt = optim.SGD([mt.nn.Parameter(mt.ones(1))], lr=0.1, momentum=0.9)
    fn = Decay(0.5)
    s = sched.CyclicLR(opt, 0.01, 0.1, scale_fn=fn)
    saved = s.state_dict()
    assert saved["_scale_fn_custom"] == {"rate": 0.5} and "_scale_fn_ref" not in saved
    other = Decay(0.9)
    s2 = sched.CyclicLR(optim.SGD([mt.nn.Parameter(mt.ones(1))], lr=0.1, momentum=0.9), 0.01,
                        0.1, scale_fn=other)  # fmt: skip
    s2.load_state_dict(saved)
    assert other.rate == 0.5 and s2._scale_fn_custom is other
    plain = sched.CyclicLR(opt, 0.01, 0.1, mode="exp_range", gamma=0.9)
    restored = sched.CyclicLR(opt, 0.01, 0.1)
    restored.load_state_dict(plain.state_dict())
    assert restored.scale_fn(2) == pytest.approx(0.81) and restored.scale_mode == "iterations"


def test_cyclic_bad_arguments():
    opt = optim.SGD([mt.nn.Parameter(mt.ones(1))], lr=0.1, momentum=0.9)
    with pytest.raises(ValueError, match="mode"):
        sched.CyclicLR(opt, 0.01, 0.1, mode="sawtooth")
    with pytest.raises(ValueError, match="scale_mode"):
        sched.CyclicLR(opt, 0.01, 0.1, scale_fn=lambda x: 1.0, scale_mode="epoch")
    with pytest.raises(ValueError, match="step_size_up"):
        sched.CyclicLR(opt, 0.01, 0.1, step_size_up=0)
    with pytest.raises(ValueError, match="base_lr"):
        sched.CyclicLR(opt, [0.01, 0.02], 0.1)
    with pytest.raises(ValueError, match="cycle_momentum"):
        sched.CyclicLR(optim.Adagrad([mt.nn.Parameter(mt.ones(1))]), 0.01, 0.1)
    with pytest.raises(TypeError, match="Optimizer"):
        sched.CyclicLR(None, 0.01, 0.1)
