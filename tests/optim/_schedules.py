"""Shared harness for scheduler tests: one optimizer pair, the schedule stepped side by side with
torch's, and a state-dict hand-over to fresh objects half way."""

from __future__ import annotations

import copy
from typing import Any, Callable

import pytest

import minitorch as mt
from minitorch import optim


def pair(torch: Any, opt_name: str = "SGD", groups: int = 2, **opt_kwargs: Any) -> tuple:
    """The same optimizer in minitorch and torch, ``groups`` groups with lr 0.1, 0.2, ..."""
    params = [mt.nn.Parameter(mt.ones(2, dtype=mt.float64)) for _ in range(groups)]
    tparams = [torch.ones(2, requires_grad=True) for _ in range(groups)]
    lrs = [0.1 * (i + 1) for i in range(groups)]
    ours = getattr(optim, opt_name)([{"params": [p], "lr": lr} for p, lr in zip(params, lrs)],
                                    **opt_kwargs)  # fmt: skip
    theirs = getattr(torch.optim, opt_name)(
        [{"params": [p], "lr": lr} for p, lr in zip(tparams, lrs)], **opt_kwargs
    )
    return ours, theirs


def assert_groups_equal(ours: Any, theirs: Any) -> None:
    """Every option both optimizers' groups have (lr, initial_lr, momentum, betas, ...)."""
    for g, h in zip(ours.param_groups, theirs.param_groups):
        for key in set(g) & set(h) - {"params"}:
            want = h[key]
            if isinstance(want, (int, float, tuple)) and not isinstance(want, bool):
                assert g[key] == pytest.approx(want, rel=1e-12, abs=1e-15), key
            else:
                assert g[key] == want, key


def assert_schedule_matches_torch(torch: Any, make: Callable[[Any, Any], Any], steps: int = 30,
                                  opt_name: str = "SGD", resume_at: int | None = 12,
                                  step_args: Callable[[int], tuple] = lambda epoch: (),
                                  **opt_kwargs: Any) -> None:  # fmt: skip
    """``make(sched_module, optimizer)`` builds the scheduler for either library; both are
    stepped ``steps`` times (after their optimizer, with ``step_args(epoch)``), with the learning
    rates, group options and ``last_epoch`` equal after each step. At ``resume_at`` a fresh
    optimizer and scheduler take over through ``load_state_dict`` (scheduler built first, as
    PyTorch advises)."""
    ours, theirs = pair(torch, opt_name, **opt_kwargs)
    s, t = make(optim.lr_scheduler, ours), make(torch.optim.lr_scheduler, theirs)
    for epoch in range(steps):
        assert s.get_last_lr() == pytest.approx(t.get_last_lr(), rel=1e-12, abs=1e-15), epoch
        assert getattr(s, "last_epoch", None) == getattr(t, "last_epoch", None), epoch
        assert_groups_equal(ours, theirs)
        if epoch == resume_at:
            saved_opt, saved = copy.deepcopy(ours.state_dict()), copy.deepcopy(s.state_dict())
            assert "optimizer" not in saved
            ours = getattr(optim, opt_name)(
                [{"params": g["params"], "lr": 123.0} for g in ours.param_groups], **opt_kwargs
            )
            s = make(optim.lr_scheduler, ours)
            ours.load_state_dict(saved_opt)
            s.load_state_dict(saved)
            assert s.get_last_lr() == pytest.approx(t.get_last_lr(), rel=1e-12, abs=1e-15)
        ours.step()
        theirs.step()
        s.step(*step_args(epoch))
        t.step(*step_args(epoch))
