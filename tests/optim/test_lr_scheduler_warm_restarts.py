"""CosineAnnealingWarmRestarts gives torch's sequences, per epoch and per (fractional) batch."""

import pytest

import minitorch as mt
from minitorch import optim
from minitorch.optim import lr_scheduler as sched
from tests.optim._schedules import assert_schedule_matches_torch, pair

CASES = {
    "T_0=5": lambda m, o: m.CosineAnnealingWarmRestarts(o, T_0=5),
    "T_mult=2": lambda m, o: m.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.01),
    "T_mult=3": lambda m, o: m.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=3, eta_min=1e-3),
}


@pytest.mark.parametrize("make", CASES.values(), ids=CASES.keys())
def test_warm_restarts_match_torch(torch, make):
    assert_schedule_matches_torch(torch, make)


@pytest.mark.parametrize("make", CASES.values(), ids=CASES.keys())
def test_fractional_epochs_match_torch(torch, make):
    """``step(epoch + batch / batches)`` once per batch, as PyTorch's docs show."""
    batches = 4
    assert_schedule_matches_torch(torch, make, steps=40, resume_at=17,
                                  step_args=lambda i: ((i + 1) / batches,))  # fmt: skip


def test_interleaved_epochs_match_torch(torch):
    """Jumps back and forth (and onto restarts) are allowed, as in PyTorch."""
    ours, theirs = pair(torch)
    s = sched.CosineAnnealingWarmRestarts(ours, T_0=4, T_mult=2)
    t = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(theirs, T_0=4, T_mult=2)
    for epoch in [1, 3.5, 4, 0.25, 11.9, 12, 27.5, 2, None, None, 50.0, None]:
        s.step(epoch)
        t.step(epoch)
        assert s.get_last_lr() == pytest.approx(t.get_last_lr(), rel=1e-12, abs=1e-15)
        assert (s.last_epoch, s.T_i) == (t.last_epoch, t.T_i)
        assert s.T_cur == pytest.approx(t.T_cur, rel=1e-12, abs=1e-15)


def test_warm_restarts_bad_arguments():
    opt = optim.SGD([mt.nn.Parameter(mt.ones(1))], lr=0.1)
    with pytest.raises(ValueError, match="T_0"):
        sched.CosineAnnealingWarmRestarts(opt, T_0=0)
    with pytest.raises(ValueError, match="T_0"):
        sched.CosineAnnealingWarmRestarts(opt, T_0=2.5)
    with pytest.raises(ValueError, match="T_mult"):
        sched.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=0)
    with pytest.raises(ValueError, match="eta_min"):
        sched.CosineAnnealingWarmRestarts(opt, T_0=2, eta_min="0")
    s = sched.CosineAnnealingWarmRestarts(opt, T_0=2)
    with pytest.raises(ValueError, match="non-negative epoch"):
        s.step(-1)
