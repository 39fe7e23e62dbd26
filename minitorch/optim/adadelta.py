"""Adadelta: steps scaled by the ratio of running RMS of past steps and of past gradients."""

from __future__ import annotations

from typing import Any, Callable, Iterable

from minitorch.backend import Array, Backend, get_backend
from minitorch.optim.checks import check_nonnegative
from minitorch.optim.optimizer import Optimizer, grad_with_decay_


def adadelta_reference(xp: Any, x: Array, grad: Array, state: dict, scratch: Any, *, lr: float,
                       rho: float, eps: float, weight_decay: float,
                       maximize: bool) -> None:  # fmt: skip
    """One Adadelta step in plain array math, line by line as ``torch.optim.Adadelta``
    (allocates)."""
    state["step"] += 1
    g = -grad if maximize else grad
    if weight_decay != 0:
        g = g + weight_decay * x
    v, u = state["square_avg"], state["acc_delta"]
    v[...] = v * rho + (1 - rho) * g * g
    std = xp.sqrt(v + eps)
    delta = xp.sqrt(u + eps) / std * g
    u[...] = u * rho + (1 - rho) * delta * delta
    x += -lr * delta


def adadelta_update_(xp: Any, x: Array, grad: Array, state: dict, scratch: Any, *, lr: float,
                     rho: float, eps: float, weight_decay: float,
                     maximize: bool) -> None:  # fmt: skip
    """The same step in place, op for op. Workspace: two arrays (``t``, ``delta``), plus one
    for the modified gradient with maximize or weight decay."""
    state["step"] += 1
    g_out = scratch(2) if maximize or weight_decay != 0 else None
    g = grad_with_decay_(xp, x, grad, weight_decay, maximize, g_out)  # grad itself or g_out
    v, u = state["square_avg"], state["acc_delta"]
    t, delta = scratch(0), scratch(1)
    v *= rho
    xp.multiply(g, 1 - rho, out=t)
    t *= g
    v += t
    xp.add(v, eps, out=t)
    xp.sqrt(t, out=t)  # t = std
    xp.add(u, eps, out=delta)
    xp.sqrt(delta, out=delta)
    delta /= t
    delta *= g
    u *= rho
    xp.multiply(delta, 1 - rho, out=t)
    t *= delta
    u += t
    delta *= -lr
    x += delta


class Adadelta(Optimizer):
    """Adadelta (Zeiler, 2012): ``v = rho * v + (1 - rho) * g * g``,
    ``delta = sqrt(u + eps) / sqrt(v + eps) * g``, ``u = rho * u + (1 - rho) * delta**2``,
    ``p -= lr * delta``, with ``g = grad + weight_decay * p`` (``-grad`` with ``maximize``).
    Same update, defaults and state (``step``, ``square_avg``, ``acc_delta``) as
    ``torch.optim.Adadelta``; PyTorch's ``foreach``/``capturable``/``differentiable`` switches
    are not taken.

    Temporaries per step: two parameter-sized workspace arrays (three with maximize or weight
    decay), reused across parameters and steps; no allocation per step.
    """

    update = staticmethod(adadelta_update_)
    reference = staticmethod(adadelta_reference)

    def __init__(self, params: Iterable[Any], lr: float = 1.0, rho: float = 0.9,
                 eps: float = 1e-6, weight_decay: float = 0.0, *,
                 maximize: bool = False) -> None:  # fmt: skip
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize)
        super().__init__(params, defaults)

    def _validate(self, group: dict) -> None:
        if not 0.0 <= group["rho"] <= 1.0:
            raise ValueError(f"Adadelta: invalid rho value {group['rho']} (must be in [0, 1])")
        check_nonnegative("Adadelta", "epsilon value", group["eps"])
        check_nonnegative("Adadelta", "weight_decay value", group["weight_decay"])

    def _backend_update(self, backend: Backend) -> Callable[..., None]:
        return backend.adadelta_update

    def _hyper(self, group: dict) -> dict:
        return dict(lr=float(group["lr"]), rho=float(group["rho"]), eps=float(group["eps"]),
                    weight_decay=float(group["weight_decay"]),
                    maximize=bool(group["maximize"]))  # fmt: skip

    def _init_state(self, x: Array, group: dict) -> dict:
        xp = get_backend(x).xp
        return {"step": 0.0, "square_avg": xp.zeros_like(x), "acc_delta": xp.zeros_like(x)}
