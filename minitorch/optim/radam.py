"""RAdam: Adam with the variance of its adaptive learning rate rectified (Liu et al., 2019)."""

from __future__ import annotations

from typing import Any, Callable, Iterable

from minitorch.backend import Array, Backend, get_backend
from minitorch.optim.checks import check_betas, check_nonnegative
from minitorch.optim.optimizer import Optimizer, grad_with_decay_, lerp, lerp_


def _rectification(beta2: float, step: float) -> float | None:
    """The variance rectification term ``r_t``, or None while the approximated SMA length
    ``rho_t`` is at most 5 (then the step is plain momentum SGD)."""
    rho_inf = 2 / (1 - beta2) - 1
    rho_t = rho_inf - 2 * step * (beta2**step) / (1 - beta2**step)
    if not rho_t > 5.0:
        return None
    return ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5


def radam_reference(xp: Any, x: Array, grad: Array, state: dict, scratch: Any, *, lr: float,
                    beta1: float, beta2: float, eps: float, weight_decay: float,
                    decoupled_weight_decay: bool, maximize: bool) -> None:  # fmt: skip
    """One RAdam step in plain array math, line by line as ``torch.optim.RAdam`` (allocates)."""
    state["step"] += 1
    step = state["step"]
    g = -grad if maximize else grad
    if weight_decay != 0:
        if decoupled_weight_decay:
            x *= 1 - lr * weight_decay
        else:
            g = g + weight_decay * x
    m, v = state["exp_avg"], state["exp_avg_sq"]
    m[...] = lerp(m, g, 1 - beta1)
    v[...] = v * beta2 + (1 - beta2) * g * g
    bias_correction1 = 1 - beta1**step
    bias_correction2 = 1 - beta2**step
    rect = _rectification(beta2, step)
    if rect is not None:
        adaptive_lr = bias_correction2**0.5 / (xp.sqrt(v) + eps)
        x += -1.0 * (m / bias_correction1 * lr * adaptive_lr * rect)
    else:
        x += -1.0 * (m / bias_correction1 * lr)


def radam_update_(xp: Any, x: Array, grad: Array, state: dict, scratch: Any, *, lr: float,
                  beta1: float, beta2: float, eps: float, weight_decay: float,
                  decoupled_weight_decay: bool, maximize: bool) -> None:  # fmt: skip
    """The same step in place, op for op. Workspace: two arrays (``t``, ``u``), plus one for the
    modified gradient with maximize or (coupled) weight decay."""
    state["step"] += 1
    step = state["step"]
    if weight_decay != 0 and decoupled_weight_decay:
        x *= 1 - lr * weight_decay
        weight_decay = 0.0
    g_out = scratch(2) if maximize or weight_decay != 0 else None
    g = grad_with_decay_(xp, x, grad, weight_decay, maximize, g_out)  # grad itself or g_out
    m, v = state["exp_avg"], state["exp_avg_sq"]
    t, u = scratch(0), scratch(1)
    lerp_(xp, m, g, 1 - beta1, t)
    v *= beta2
    xp.multiply(g, 1 - beta2, out=t)
    t *= g
    v += t
    bias_correction1 = 1 - beta1**step
    bias_correction2 = 1 - beta2**step
    rect = _rectification(beta2, step)
    xp.divide(m, bias_correction1, out=u)
    u *= lr
    if rect is not None:
        xp.sqrt(v, out=t)
        t += eps
        xp.divide(bias_correction2**0.5, t, out=t)  # t = adaptive lr
        u *= t
        u *= rect
    x -= u


class RAdam(Optimizer):
    """RAdam: Adam's moments ``m``, ``v``; once the SMA length ``rho_t = rho_inf - 2 t
    beta2**t / (1 - beta2**t)`` (``rho_inf = 2 / (1 - beta2) - 1``) exceeds 5,
    ``p -= lr * m / (1 - beta1**t) * r_t * sqrt(1 - beta2**t) / (sqrt(v) + eps)`` with the
    rectification ``r_t``; before that ``p -= lr * m / (1 - beta1**t)``. ``g = grad +
    weight_decay * p`` (decoupled: ``p *= 1 - lr * weight_decay``). Same update, defaults and
    state (``step``, ``exp_avg``, ``exp_avg_sq``) as ``torch.optim.RAdam``; PyTorch's
    ``foreach``/``capturable``/``differentiable`` switches are not taken.

    Temporaries per step: two parameter-sized workspace arrays (three with maximize or coupled
    weight decay), reused across parameters and steps; no allocation per step.
    """

    update = staticmethod(radam_update_)
    reference = staticmethod(radam_reference)

    def __init__(self, params: Iterable[Any], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, decoupled_weight_decay: bool = False, *,
                 maximize: bool = False) -> None:  # fmt: skip
        defaults = dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                        decoupled_weight_decay=decoupled_weight_decay,
                        maximize=maximize)  # fmt: skip
        super().__init__(params, defaults)

    def _validate(self, group: dict) -> None:
        check_nonnegative("RAdam", "epsilon value", group["eps"])
        check_betas("RAdam", group["betas"])
        check_nonnegative("RAdam", "weight_decay value", group["weight_decay"])

    def _backend_update(self, backend: Backend) -> Callable[..., None]:
        return backend.radam_update

    def _hyper(self, group: dict) -> dict:
        beta1, beta2 = group["betas"]
        return dict(lr=float(group["lr"]), beta1=float(beta1), beta2=float(beta2),
                    eps=float(group["eps"]), weight_decay=float(group["weight_decay"]),
                    decoupled_weight_decay=bool(group["decoupled_weight_decay"]),
                    maximize=bool(group["maximize"]))  # fmt: skip

    def _init_state(self, x: Array, group: dict) -> dict:
        xp = get_backend(x).xp
        return {"step": 0.0, "exp_avg": xp.zeros_like(x), "exp_avg_sq": xp.zeros_like(x)}
