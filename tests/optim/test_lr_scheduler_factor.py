"""MultiplicativeLR, ConstantLR and PolynomialLR give torch's learning-rate sequences."""

import pytest

import minitorch as mt
from minitorch import optim
from minitorch.optim import lr_scheduler as sched
from tests.optim._schedules import assert_schedule_matches_torch

CASES = {
    "multiplicative": lambda m, o: m.MultiplicativeLR(o, lr_lambda=lambda e: 0.95),
    "multiplicative-per-group": lambda m, o: m.MultiplicativeLR(
        o, lr_lambda=[lambda e: 0.9, lambda e: 1.0 - 0.01 * e]
    ),
    "constant": lambda m, o: m.ConstantLR(o),
    "constant-long": lambda m, o: m.ConstantLR(o, factor=0.5, total_iters=15),
    "constant-0-iters": lambda m, o: m.ConstantLR(o, factor=0.5, total_iters=0),
    "polynomial": lambda m, o: m.PolynomialLR(o),
    "polynomial-square": lambda m, o: m.PolynomialLR(o, total_iters=20, power=2.0),
    "polynomial-sqrt": lambda m, o: m.PolynomialLR(o, total_iters=8, power=0.5),
}


@pytest.mark.parametrize("opt_name, opt_kwargs", [("SGD", dict(momentum=0.9)), ("Adam", {})])
@pytest.mark.parametrize("make", CASES.values(), ids=CASES.keys())
def test_factor_schedulers_match_torch(torch, make, opt_name, opt_kwargs):
    assert_schedule_matches_torch(torch, make, opt_name=opt_name, **opt_kwargs)


@pytest.mark.parametrize(
    "make",
    [
        lambda m, o: m.ConstantLR(o, factor=0.25, total_iters=4),
        lambda m, o: m.PolynomialLR(o, total_iters=6, power=1.5),
    ],
)
@pytest.mark.parametrize("epoch", [0, 2, 4, 9])
def test_closed_form_with_an_epoch_matches_torch(torch, make, epoch):
    ours = optim.SGD([mt.nn.Parameter(mt.ones(1))], lr=0.1)
    theirs = torch.optim.SGD([torch.ones(1, requires_grad=True)], lr=0.1)
    s, t = make(sched, ours), make(torch.optim.lr_scheduler, theirs)
    with pytest.warns(UserWarning):
        s.step(epoch)
    with pytest.warns(UserWarning):
        t.step(epoch)
    assert s.get_last_lr() == pytest.approx(t.get_last_lr(), rel=1e-12)


class Halve:
    """A callable object: its ``__dict__`` travels in the state dict."""

    def __init__(self):
        self.factor = 0.5

    def __call__(self, epoch):
        return self.factor


def test_multiplicative_saves_callable_objects_not_functions():
    opt = optim.SGD([mt.nn.Parameter(mt.ones(1))] * 1, lr=1.0)
    fn = Halve()
    s = sched.MultiplicativeLR(opt, fn)
    fn.factor = 0.25
    saved = s.state_dict()
    assert saved["lr_lambdas"] == [{"factor": 0.25}]
    other = Halve()
    opt2 = optim.SGD([mt.nn.Parameter(mt.ones(1))], lr=1.0)
    s2 = sched.MultiplicativeLR(opt2, other)
    s2.load_state_dict(saved)
    assert other.factor == 0.25 and "lr_lambdas" in saved
    assert sched.MultiplicativeLR(opt2, lambda e: 0.5).state_dict()["lr_lambdas"] == [None]


def test_factor_schedulers_bad_arguments():
    opt = optim.SGD([mt.nn.Parameter(mt.ones(1))], lr=0.1)
    with pytest.raises(ValueError, match="factor"):
        sched.ConstantLR(opt, factor=1.5)
    with pytest.raises(ValueError, match="total_iters"):
        sched.PolynomialLR(opt, total_iters=0)
    with pytest.raises(TypeError, match="lr_lambda should be a function"):
        sched.MultiplicativeLR(opt, 0.5)
    with pytest.raises(ValueError, match="lr_lambdas"):
        sched.MultiplicativeLR(opt, [lambda e: 1.0, lambda e: 1.0])
    with pytest.raises(TypeError, match="Optimizer"):
        sched.ConstantLR("sgd")
