"""Adam and AdamW (one implementation; AdamW decouples the weight decay from the gradient)."""

from __future__ import annotations

from typing import Any, Callable, Iterable

from minitorch.backend import Array, Backend, get_backend
from minitorch.optim.checks import check_betas, check_nonnegative
from minitorch.optim.optimizer import Optimizer, grad_with_decay_, lerp, lerp_


def adam_reference(xp: Any, x: Array, grad: Array, state: dict, scratch: Any, *, lr: float,
                   beta1: float, beta2: float, eps: float, weight_decay: float, amsgrad: bool,
                   maximize: bool, decoupled_weight_decay: bool) -> None:  # fmt: skip
    """One Adam step in plain array math, line by line as ``torch.optim.Adam`` (allocates)."""
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
    step_size = lr / bias_correction1
    bias_correction2_sqrt = bias_correction2**0.5
    if amsgrad:
        state["max_exp_avg_sq"][...] = xp.maximum(state["max_exp_avg_sq"], v)
        v = state["max_exp_avg_sq"]
    denom = xp.sqrt(v) / bias_correction2_sqrt + eps
    x += -step_size * m / denom


def adam_update_(xp: Any, x: Array, grad: Array, state: dict, scratch: Any, *, lr: float,
                 beta1: float, beta2: float, eps: float, weight_decay: float, amsgrad: bool,
                 maximize: bool, decoupled_weight_decay: bool) -> None:  # fmt: skip
    """The same step in place. Workspace: one array (``t``), plus one for the modified gradient
    with maximize or (coupled) weight decay. The last line divides before scaling
    (``(m / denom) * -step_size``), which differs from the reference in the last bit only."""
    state["step"] += 1
    step = state["step"]
    m, v = state["exp_avg"], state["exp_avg_sq"]
    if weight_decay != 0 and decoupled_weight_decay:
        x *= 1 - lr * weight_decay
        weight_decay = 0.0
    g_out = scratch(1) if maximize or weight_decay != 0 else None
    g = grad_with_decay_(xp, x, grad, weight_decay, maximize, g_out)  # grad itself or g_out
    t = scratch(0)
    lerp_(xp, m, g, 1 - beta1, t)
    v *= beta2
    xp.multiply(g, 1 - beta2, out=t)
    t *= g
    v += t
    bias_correction1 = 1 - beta1**step
    bias_correction2 = 1 - beta2**step
    step_size = lr / bias_correction1
    bias_correction2_sqrt = bias_correction2**0.5
    if amsgrad:
        v = xp.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
    xp.sqrt(v, out=t)  # t = denom
    t /= bias_correction2_sqrt
    t += eps
    xp.divide(m, t, out=t)
    t *= -step_size
    x += t


class Adam(Optimizer):
    """Adam: ``m = lerp(m, g, 1 - beta1)``, ``v = beta2 * v + (1 - beta2) * g * g``,
    ``p -= lr / (1 - beta1**t) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)``, with
    ``g = grad + weight_decay * p`` (or, decoupled as AdamW, ``p *= 1 - lr * weight_decay``).
    ``amsgrad`` uses the running maximum of ``v``. Same update as ``torch.optim.Adam``; state
    ``step``, ``exp_avg``, ``exp_avg_sq`` (and ``max_exp_avg_sq``).

    Temporaries per step: one parameter-sized workspace array (two with maximize or coupled
    weight decay), reused across parameters and steps; no allocation per step.
    """

    update = staticmethod(adam_update_)
    reference = staticmethod(adam_reference)

    def __init__(self, params: Iterable[Any], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, amsgrad: bool = False, *, maximize: bool = False,
                 decoupled_weight_decay: bool = False) -> None:  # fmt: skip
        defaults = dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                        amsgrad=amsgrad, maximize=maximize,
                        decoupled_weight_decay=decoupled_weight_decay)  # fmt: skip
        super().__init__(params, defaults)

    def _validate(self, group: dict) -> None:
        name = type(self).__name__
        check_betas(name, group["betas"])
        check_nonnegative(name, "epsilon value", group["eps"])
        check_nonnegative(name, "weight_decay value", group["weight_decay"])

    def _backend_update(self, backend: Backend) -> Callable[..., None]:
        return backend.adam_update

    def _hyper(self, group: dict) -> dict:
        beta1, beta2 = group["betas"]
        return dict(lr=float(group["lr"]), beta1=float(beta1), beta2=float(beta2),
                    eps=float(group["eps"]), weight_decay=float(group["weight_decay"]),
                    amsgrad=bool(group["amsgrad"]), maximize=bool(group["maximize"]),
                    decoupled_weight_decay=bool(group["decoupled_weight_decay"]))  # fmt: skip

    def _init_state(self, x: Array, group: dict) -> dict:
        xp = get_backend(x).xp
        state = {"step": 0.0, "exp_avg": xp.zeros_like(x), "exp_avg_sq": xp.zeros_like(x)}
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = xp.zeros_like(x)
        return state


class AdamW(Adam):
    """Adam with decoupled weight decay (``p *= 1 - lr * weight_decay`` before the Adam step),
    as ``torch.optim.AdamW``; default ``weight_decay=1e-2``."""

    def __init__(self, params: Iterable[Any], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, *,
                 maximize: bool = False) -> None:  # fmt: skip
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize,
                         decoupled_weight_decay=True)  # fmt: skip

    def load_state_dict(self, state_dict: dict) -> None:
        super().load_state_dict(state_dict)
        for group in self.param_groups:  # AdamW is always decoupled, as in PyTorch
            group["decoupled_weight_decay"] = True
