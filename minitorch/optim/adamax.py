"""Adamax: Adam with the infinity norm in place of the second moment."""

from __future__ import annotations

from typing import Any, Callable, Iterable

from minitorch.backend import Array, Backend, get_backend
from minitorch.optim.checks import check_betas, check_nonnegative
from minitorch.optim.optimizer import Optimizer, grad_with_decay_, lerp, lerp_


def adamax_reference(xp: Any, x: Array, grad: Array, state: dict, scratch: Any, *, lr: float,
                     beta1: float, beta2: float, eps: float, weight_decay: float,
                     maximize: bool) -> None:  # fmt: skip
    """One Adamax step in plain array math, line by line as ``torch.optim.Adamax``
    (allocates)."""
    state["step"] += 1
    g = -grad if maximize else grad
    if weight_decay != 0:
        g = g + weight_decay * x
    m, u = state["exp_avg"], state["exp_inf"]
    m[...] = lerp(m, g, 1 - beta1)
    u[...] = xp.maximum(u * beta2, xp.abs(g) + eps)
    clr = lr / (1 - beta1 ** state["step"])
    x += -clr * m / u


def adamax_update_(xp: Any, x: Array, grad: Array, state: dict, scratch: Any, *, lr: float,
                   beta1: float, beta2: float, eps: float, weight_decay: float,
                   maximize: bool) -> None:  # fmt: skip
    """The same step in place. Workspace: one array (``t``), plus one for the modified gradient
    with maximize or weight decay. The last line divides before scaling (``(m / u) * -clr``),
    which differs from the reference in the last bit only."""
    state["step"] += 1
    g_out = scratch(1) if maximize or weight_decay != 0 else None
    g = grad_with_decay_(xp, x, grad, weight_decay, maximize, g_out)  # grad itself or g_out
    m, u = state["exp_avg"], state["exp_inf"]
    t = scratch(0)
    lerp_(xp, m, g, 1 - beta1, t)
    u *= beta2
    xp.abs(g, out=t)
    t += eps
    xp.maximum(u, t, out=u)
    clr = lr / (1 - beta1 ** state["step"])
    xp.divide(m, u, out=t)
    t *= -clr
    x += t


class Adamax(Optimizer):
    """Adamax (Kingma & Ba, 2015, sec. 7): ``m = lerp(m, g, 1 - beta1)``,
    ``u = max(beta2 * u, |g| + eps)``, ``p -= lr / (1 - beta1**t) * m / u``, with
    ``g = grad + weight_decay * p`` (``-grad`` with ``maximize``). Same update, defaults and
    state (``step``, ``exp_avg``, ``exp_inf``) as ``torch.optim.Adamax``; PyTorch's
    ``foreach``/``capturable``/``differentiable`` switches are not taken.

    Temporaries per step: one parameter-sized workspace array (two with maximize or weight
    decay), reused across parameters and steps; no allocation per step.
    """

    update = staticmethod(adamax_update_)
    reference = staticmethod(adamax_reference)

    def __init__(self, params: Iterable[Any], lr: float = 2e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, *, maximize: bool = False) -> None:  # fmt: skip
        defaults = dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                        maximize=maximize)  # fmt: skip
        super().__init__(params, defaults)

    def _validate(self, group: dict) -> None:
        check_nonnegative("Adamax", "epsilon value", group["eps"])
        check_betas("Adamax", group["betas"])
        check_nonnegative("Adamax", "weight_decay value", group["weight_decay"])

    def _backend_update(self, backend: Backend) -> Callable[..., None]:
        return backend.adamax_update

    def _hyper(self, group: dict) -> dict:
        beta1, beta2 = group["betas"]
        return dict(lr=float(group["lr"]), beta1=float(beta1), beta2=float(beta2),
                    eps=float(group["eps"]), weight_decay=float(group["weight_decay"]),
                    maximize=bool(group["maximize"]))  # fmt: skip

    def _init_state(self, x: Array, group: dict) -> dict:
        xp = get_backend(x).xp
        return {"step": 0.0, "exp_avg": xp.zeros_like(x), "exp_inf": xp.zeros_like(x)}
