"""RMSprop: divide the gradient by a running root mean square of recent gradients."""

from __future__ import annotations

from typing import Any, Callable, Iterable

from minitorch.backend import Array, Backend, get_backend
from minitorch.optim.optimizer import Optimizer, grad_with_decay_, lerp, lerp_


def rmsprop_reference(xp: Any, x: Array, grad: Array, state: dict, scratch: Any, *, lr: float,
                      alpha: float, eps: float, weight_decay: float, momentum: float,
                      centered: bool, maximize: bool) -> None:  # fmt: skip
    """One RMSprop step in plain array math, line by line as ``torch.optim.RMSprop``
    (allocates)."""
    state["step"] += 1
    g = -grad if maximize else grad
    if weight_decay != 0:
        g = g + weight_decay * x
    v = state["square_avg"]
    v[...] = v * alpha + (1 - alpha) * g * g
    if centered:
        ga = state["grad_avg"]
        ga[...] = lerp(ga, g, 1 - alpha)
        avg = xp.sqrt(v + -1 * ga * ga)
    else:
        avg = xp.sqrt(v)
    avg = avg + eps
    if momentum > 0:
        buf = state["momentum_buffer"]
        buf[...] = buf * momentum + g / avg
        x += -lr * buf
    else:
        x += -lr * g / avg


def rmsprop_update_(xp: Any, x: Array, grad: Array, state: dict, scratch: Any, *, lr: float,
                    alpha: float, eps: float, weight_decay: float, momentum: float,
                    centered: bool, maximize: bool) -> None:  # fmt: skip
    """The same step in place. Workspace: one array (``t``), plus one for the modified gradient
    with maximize or weight decay. Without momentum the last line divides before scaling
    (``(g / avg) * -lr``), which differs from the reference in the last bit only."""
    state["step"] += 1
    g_out = scratch(1) if maximize or weight_decay != 0 else None
    g = grad_with_decay_(xp, x, grad, weight_decay, maximize, g_out)  # grad itself or g_out
    t = scratch(0)
    v = state["square_avg"]
    v *= alpha
    xp.multiply(g, 1 - alpha, out=t)
    t *= g
    v += t
    if centered:
        ga = state["grad_avg"]
        lerp_(xp, ga, g, 1 - alpha, t)
        xp.multiply(ga, ga, out=t)
        xp.subtract(v, t, out=t)
        xp.sqrt(t, out=t)
    else:
        xp.sqrt(v, out=t)
    t += eps  # t = avg
    xp.divide(g, t, out=t)
    if momentum > 0:
        buf = state["momentum_buffer"]
        buf *= momentum
        buf += t
        xp.multiply(buf, -lr, out=t)
    else:
        t *= -lr
    x += t


class RMSprop(Optimizer):
    """RMSprop: ``v = alpha * v + (1 - alpha) * g * g``; ``avg = sqrt(v) + eps`` (centered:
    ``sqrt(v - mean(g)**2) + eps`` with ``mean(g) = lerp(mean(g), g, 1 - alpha)``);
    ``p -= lr * g / avg``, or through momentum ``b = momentum * b + g / avg; p -= lr * b``.
    ``g = grad + weight_decay * p``. Same update as ``torch.optim.RMSprop``; state ``step``,
    ``square_avg`` (``momentum_buffer``, ``grad_avg`` when used).

    Temporaries per step: one parameter-sized workspace array (two with maximize or weight
    decay), reused across parameters and steps; no allocation per step.
    """

    update = staticmethod(rmsprop_update_)
    reference = staticmethod(rmsprop_reference)

    def __init__(self, params: Iterable[Any], lr: float = 1e-2, alpha: float = 0.99,
                 eps: float = 1e-8, weight_decay: float = 0.0, momentum: float = 0.0,
                 centered: bool = False, *, maximize: bool = False) -> None:  # fmt: skip
        defaults = dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                        momentum=momentum, centered=centered, maximize=maximize)  # fmt: skip
        super().__init__(params, defaults)

    def _validate(self, group: dict) -> None:
        for key in ("eps", "momentum", "weight_decay", "alpha"):
            if group[key] < 0:
                raise ValueError(f"RMSprop: invalid {key} {group[key]} (must be >= 0)")

    def _backend_update(self, backend: Backend) -> Callable[..., None]:
        return backend.rmsprop_update

    def _hyper(self, group: dict) -> dict:
        return dict(lr=float(group["lr"]), alpha=float(group["alpha"]), eps=float(group["eps"]),
                    weight_decay=float(group["weight_decay"]),
                    momentum=float(group["momentum"]), centered=bool(group["centered"]),
                    maximize=bool(group["maximize"]))  # fmt: skip

    def _init_state(self, x: Array, group: dict) -> dict:
        xp = get_backend(x).xp
        state = {"step": 0.0, "square_avg": xp.zeros_like(x)}
        if group["momentum"] > 0:
            state["momentum_buffer"] = xp.zeros_like(x)
        if group["centered"]:
            state["grad_avg"] = xp.zeros_like(x)
        return state
