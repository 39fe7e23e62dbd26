"""SequentialLR and ChainedScheduler compose schedulers as torch's do."""

import pytest

import minitorch as mt
from minitorch import optim
from minitorch.optim import lr_scheduler as sched
from tests.optim._schedules import assert_groups_equal, assert_schedule_matches_torch, pair


def warmup_then_decay(m, o):
    return m.SequentialLR(o, [m.ConstantLR(o, factor=0.1, total_iters=2),
                              m.ExponentialLR(o, gamma=0.9)], milestones=[2])  # fmt: skip


def three_phases(m, o):
    return m.SequentialLR(
        o,
        [m.LinearLR(o, start_factor=0.2, total_iters=5), m.CosineAnnealingLR(o, T_max=10),
         m.StepLR(o, step_size=3, gamma=0.5)],
        milestones=[5, 15],
    )  # fmt: skip


def chained(m, o):
    return m.ChainedScheduler([m.ConstantLR(o, factor=0.1, total_iters=2),
                               m.ExponentialLR(o, gamma=0.9)])  # fmt: skip


def chained_three(m, o):
    return m.ChainedScheduler(
        [m.LinearLR(o, start_factor=0.5, total_iters=4), m.MultiplicativeLR(o, lambda e: 0.97),
         m.StepLR(o, step_size=5, gamma=0.5)],
        optimizer=o,
    )  # fmt: skip


def sequential_of_chained(m, o):
    first = m.ChainedScheduler([m.LinearLR(o, start_factor=0.1, total_iters=3),
                                m.ExponentialLR(o, gamma=0.95)])  # fmt: skip
    return m.SequentialLR(o, [first, m.PolynomialLR(o, total_iters=12, power=2.0)],
                          milestones=[6])  # fmt: skip


def chained_with_warm_restarts(m, o):
    return m.ChainedScheduler([m.CosineAnnealingWarmRestarts(o, T_0=4, T_mult=2),
                               m.ExponentialLR(o, gamma=0.98)])  # fmt: skip


CASES = {f.__name__: f for f in [warmup_then_decay, three_phases, chained, chained_three,
                                 sequential_of_chained, chained_with_warm_restarts]}  # fmt: skip


@pytest.mark.filterwarnings("ignore:Detected call of")  # torch warns about its nested steps
@pytest.mark.parametrize("resume_at", [None, 4, 12], ids=["no-resume", "resume@4", "resume@12"])
@pytest.mark.parametrize("make", CASES.values(), ids=CASES.keys())
def test_compositions_match_torch(torch, make, resume_at):
    assert_schedule_matches_torch(torch, make, resume_at=resume_at, momentum=0.9)


def test_schedulers_stepped_one_after_another_chain_as_torch(torch):
    """Without ChainedScheduler: several schedulers on one optimizer, each stepped per epoch;
    their recursive forms compose on the shared learning rate."""

    def make(m, o):
        return [m.ConstantLR(o, factor=0.5, total_iters=3), m.MultiplicativeLR(o, lambda e: 0.9),
                m.PolynomialLR(o, total_iters=10), m.LinearLR(o, total_iters=4)]  # fmt: skip

    ours, theirs = pair(torch, momentum=0.9)
    s, t = make(sched, ours), make(torch.optim.lr_scheduler, theirs)
    for _ in range(20):
        assert_groups_equal(ours, theirs)
        for a, b in zip(s, t):
            assert a.get_last_lr() == pytest.approx(b.get_last_lr(), rel=1e-12, abs=1e-15)
        ours.step()
        theirs.step()
        for a, b in zip(s, t):
            a.step()
            b.step()


@pytest.mark.parametrize(
    "make",
    [
        lambda m, o, e: m.ConstantLR(o, factor=0.5, total_iters=8, last_epoch=e),
        lambda m, o, e: m.PolynomialLR(o, total_iters=9, power=2.0, last_epoch=e),
        lambda m, o, e: m.MultiplicativeLR(o, lambda k: 0.9, last_epoch=e),
        lambda m, o, e: m.CyclicLR(o, 0.01, 0.1, step_size_up=3, last_epoch=e),
        lambda m, o, e: m.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, last_epoch=e),
    ],
    ids=["ConstantLR", "PolynomialLR", "MultiplicativeLR", "CyclicLR", "WarmRestarts"],
)
def test_resuming_with_last_epoch_matches_torch(torch, make):
    """A scheduler built with ``last_epoch=5`` on an optimizer that has ``initial_lr``."""
    ours, theirs = pair(torch, momentum=0.9)
    make(sched, ours, -1), make(torch.optim.lr_scheduler, theirs, -1)  # sets initial_lr
    s, t = make(sched, ours, 5), make(torch.optim.lr_scheduler, theirs, 5)
    for _ in range(10):
        assert s.last_epoch == t.last_epoch
        assert s.get_last_lr() == pytest.approx(t.get_last_lr(), rel=1e-12, abs=1e-15)
        assert_groups_equal(ours, theirs)
        ours.step()
        theirs.step()
        s.step()
        t.step()


def test_state_dict_nests_the_schedulers():
    opt = optim.SGD([mt.nn.Parameter(mt.ones(1))], lr=0.1)
    s = warmup_then_decay(sched, opt)
    state = s.state_dict()
    assert "optimizer" not in state and len(state["_schedulers"]) == 2
    assert state["_schedulers"][1]["gamma"] == 0.9 and state["_milestones"] == [2]
    c = chained(sched, opt)
    assert [d["last_epoch"] for d in c.state_dict()["_schedulers"]] == [0, 0]


def test_composition_bad_arguments():
    opt = optim.SGD([mt.nn.Parameter(mt.ones(1))], lr=0.1)
    other = optim.SGD([mt.nn.Parameter(mt.ones(1))], lr=0.1)
    a, b = sched.ConstantLR(opt), sched.ExponentialLR(opt, 0.9)
    with pytest.raises(ValueError, match="milestone"):
        sched.SequentialLR(opt, [a, b], milestones=[2, 4])
    with pytest.raises(ValueError, match="at least one scheduler"):
        sched.SequentialLR(opt, [], milestones=[])
    with pytest.raises(ValueError, match="at least one scheduler"):
        sched.ChainedScheduler([])
    with pytest.raises(ValueError, match="same optimizer"):
        sched.SequentialLR(other, [a, b], milestones=[2])
    with pytest.raises(ValueError, match="same optimizer"):
        sched.ChainedScheduler([a, sched.ExponentialLR(other, 0.9)])
    with pytest.raises(ValueError, match="ReduceLROnPlateau"):
        sched.ChainedScheduler([a, sched.ReduceLROnPlateau(opt)])
    with pytest.raises(TypeError, match="optimizer"):
        sched.SequentialLR(opt, [a, "b"], milestones=[2])
