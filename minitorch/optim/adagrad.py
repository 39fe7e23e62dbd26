"""Adagrad: per-element learning rates from the sum of all past squared gradients."""

from __future__ import annotations

from typing import Any, Callable, Iterable

from minitorch.backend import Array, Backend, get_backend
from minitorch.optim.optimizer import Optimizer, grad_with_decay_


def adagrad_reference(xp: Any, x: Array, grad: Array, state: dict, scratch: Any, *, lr: float,
                      lr_decay: float, weight_decay: float, eps: float,
                      maximize: bool) -> None:  # fmt: skip
    """One Adagrad step in plain array math, line by line as ``torch.optim.Adagrad``
    (allocates)."""
    state["step"] += 1
    step = state["step"]
    g = -grad if maximize else grad
    if weight_decay != 0:
        g = g + weight_decay * x
    clr = lr / (1 + (step - 1) * lr_decay)
    state["sum"] += 1 * g * g
    std = xp.sqrt(state["sum"]) + eps
    x += -clr * g / std


def adagrad_update_(xp: Any, x: Array, grad: Array, state: dict, scratch: Any, *, lr: float,
                    lr_decay: float, weight_decay: float, eps: float,
                    maximize: bool) -> None:  # fmt: skip
    """The same step in place. Workspace: one array (``t``), plus one for the modified gradient
    with maximize or weight decay. The last line divides before scaling (``(g / std) * -clr``),
    which differs from the reference in the last bit only."""
    state["step"] += 1
    step = state["step"]
    g_out = scratch(1) if maximize or weight_decay != 0 else None
    g = grad_with_decay_(xp, x, grad, weight_decay, maximize, g_out)  # grad itself or g_out
    clr = lr / (1 + (step - 1) * lr_decay)
    t = scratch(0)
    xp.multiply(g, g, out=t)
    state["sum"] += t
    xp.sqrt(state["sum"], out=t)
    t += eps  # t = std
    xp.divide(g, t, out=t)
    t *= -clr
    x += t


class Adagrad(Optimizer):
    """Adagrad: ``s += g * g``; ``p -= clr * g / (sqrt(s) + eps)`` with
    ``clr = lr / (1 + (t - 1) * lr_decay)`` and ``g = grad + weight_decay * p``; ``s`` starts at
    ``initial_accumulator_value``. Same update as ``torch.optim.Adagrad``; state ``step``, ``sum``
    (created for every parameter at construction, as PyTorch).

    Temporaries per step: one parameter-sized workspace array (two with maximize or weight
    decay), reused across parameters and steps; no allocation per step.
    """

    update = staticmethod(adagrad_update_)
    reference = staticmethod(adagrad_reference)

    def __init__(self, params: Iterable[Any], lr: float = 1e-2, lr_decay: float = 0.0,
                 weight_decay: float = 0.0, initial_accumulator_value: float = 0.0,
                 eps: float = 1e-10, *, maximize: bool = False) -> None:  # fmt: skip
        defaults = dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay, eps=eps,
                        initial_accumulator_value=initial_accumulator_value,
                        maximize=maximize)  # fmt: skip
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self.state[p] = self._init_state(p.array, group)

    def _validate(self, group: dict) -> None:
        for key in ("lr_decay", "weight_decay", "initial_accumulator_value", "eps"):
            if group[key] < 0:
                raise ValueError(f"Adagrad: invalid {key} {group[key]} (must be >= 0)")

    def _backend_update(self, backend: Backend) -> Callable[..., None]:
        return backend.adagrad_update

    def _hyper(self, group: dict) -> dict:
        return dict(lr=float(group["lr"]), lr_decay=float(group["lr_decay"]),
                    weight_decay=float(group["weight_decay"]), eps=float(group["eps"]),
                    maximize=bool(group["maximize"]))  # fmt: skip

    def _init_state(self, x: Array, group: dict) -> dict:
        xp = get_backend(x).xp
        return {"step": 0.0, "sum": xp.full_like(x, float(group["initial_accumulator_value"]))}
