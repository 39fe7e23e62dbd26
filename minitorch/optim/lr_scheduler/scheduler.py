"""``LRScheduler``: the base that sets each parameter group's ``lr`` once per ``step()``."""

from __future__ import annotations

import types
import warnings
from typing import Any

from minitorch.optim.optimizer import Optimizer


class LRScheduler:
    """Base class: ``get_lr()`` computes the new learning rates (one per parameter group) from
    ``last_epoch``; ``step()`` advances ``last_epoch`` and writes them into the optimizer.

    Constructing a scheduler with ``last_epoch=-1`` records each group's ``lr`` as
    ``initial_lr`` and performs the first step (``last_epoch`` becomes 0), as PyTorch.
    """

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"{type(self).__name__} expects an Optimizer, got {type(optimizer).__name__}"
            )
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"param 'initial_lr' is not specified in param_groups[{i}] when resuming "
                        f"{type(self).__name__} with last_epoch={last_epoch}; load the "
                        "optimizer's state dict first, or start with last_epoch=-1"
                    )
        self.base_lrs: list[float] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._initial_step()

    def _initial_step(self) -> None:
        """The step a new scheduler takes (``SequentialLR`` replays it when a scheduler's turn
        comes): ``get_lr`` sees ``_is_initial``."""
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def get_lr(self) -> list[float]:
        """The learning rates for ``last_epoch`` (called by ``step``)."""
        raise NotImplementedError

    def get_last_lr(self) -> list[float]:
        """The learning rates set by the most recent ``step()``."""
        return self._last_lr

    def step(self, epoch: int | None = None) -> None:
        """Advance one epoch and set the new learning rates. ``epoch`` (deprecated, as in
        PyTorch) jumps to that epoch, using the closed form where the scheduler has one."""
        self._step_count += 1
        if epoch is not None:
            warnings.warn(
                "passing an epoch to scheduler.step() is deprecated; call step() once per epoch",
                UserWarning,
                stacklevel=2,
            )
        self._update_lr(epoch)

    def _update_lr(self, epoch: int | None = None) -> None:
        """Advance ``last_epoch`` (or set it to ``epoch``) and write the new rates."""
        if epoch is None:
            self.last_epoch += 1
            values = self.get_lr()
        else:
            self.last_epoch = epoch
            closed_form = getattr(self, "_get_closed_form_lr", None)
            values = closed_form() if closed_form is not None else self.get_lr()
        for group, lr in zip(self.optimizer.param_groups, values):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self) -> dict[str, Any]:
        """Every attribute except the optimizer (as PyTorch)."""
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore the attributes saved by ``state_dict()``."""
        self.__dict__.update(state_dict)

    def _group_lrs(self) -> list[float]:
        return [group["lr"] for group in self.optimizer.param_groups]


def save_callables(fns: list) -> list:
    """``state_dict`` form of user functions (``lr_lambda``, ``scale_fn``): plain functions and
    lambdas are not saved (None); callable objects save a copy of their ``__dict__``, as
    PyTorch."""
    return [None if isinstance(fn, types.FunctionType) else fn.__dict__.copy() for fn in fns]


def restore_callables(fns: list, saved: list) -> None:
    """Undo ``save_callables`` into the scheduler's own callables."""
    for fn, state in zip(fns, saved):
        if state is not None:
            fn.__dict__.update(state)


def per_group(name: str, optimizer: Optimizer, value: Any) -> list:
    """``value`` repeated for each parameter group, or a list/tuple of one value per group."""
    groups = len(optimizer.param_groups)
    if isinstance(value, (list, tuple)):
        if len(value) != groups:
            raise ValueError(
                f"{name} needs one value per parameter group ({groups}), got {len(value)}"
            )
        return list(value)
    return [value] * groups
