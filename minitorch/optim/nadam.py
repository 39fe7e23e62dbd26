"""NAdam: Adam with Nesterov momentum (Dozat, 2016), momentum warmed up by ``momentum_decay``."""

from __future__ import annotations

from typing import Any, Callable, Iterable

from minitorch.backend import Array, Backend, dtypes, get_backend
from minitorch.optim.checks import check_betas, check_nonnegative
from minitorch.optim.optimizer import Optimizer, grad_with_decay_, lerp, lerp_


def _momentum(beta1: float, momentum_decay: float, step: float) -> float:
    return beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay))


def _advance_mu_product(state: dict, mu: float) -> float:
    """``mu_product *= mu`` as PyTorch computes it: in a 0-d tensor of float64 when that is the
    default dtype and of float32 otherwise, so each product is rounded to float32 by default
    (about 2e-10 apart from float64 arithmetic after 100 steps)."""
    product = state["mu_product"] * mu
    if dtypes.get_default_dtype() != dtypes.float64:
        f32 = dtypes.float32.type
        product = float(f32(float(f32(state["mu_product"])) * float(f32(mu))))
    state["mu_product"] = product
    return product


def nadam_reference(xp: Any, x: Array, grad: Array, state: dict, scratch: Any, *, lr: float,
                    beta1: float, beta2: float, eps: float, weight_decay: float,
                    momentum_decay: float, decoupled_weight_decay: bool,
                    maximize: bool) -> None:  # fmt: skip
    """One NAdam step in plain array math, line by line as ``torch.optim.NAdam`` (allocates)."""
    state["step"] += 1
    step = state["step"]
    g = -grad if maximize else grad
    bias_correction2 = 1 - beta2**step
    if weight_decay != 0:
        if decoupled_weight_decay:
            x *= 1 - lr * weight_decay
        else:
            g = g + weight_decay * x
    mu = _momentum(beta1, momentum_decay, step)
    mu_next = _momentum(beta1, momentum_decay, step + 1)
    mu_product = _advance_mu_product(state, mu)
    m, v = state["exp_avg"], state["exp_avg_sq"]
    m[...] = lerp(m, g, 1 - beta1)
    v[...] = v * beta2 + (1 - beta2) * g * g
    denom = xp.sqrt(v / bias_correction2) + eps
    mu_product_next = mu_product * mu_next
    x += (-lr * (1.0 - mu) / (1.0 - mu_product)) * g / denom
    x += (-lr * mu_next / (1.0 - mu_product_next)) * m / denom


def nadam_update_(xp: Any, x: Array, grad: Array, state: dict, scratch: Any, *, lr: float,
                  beta1: float, beta2: float, eps: float, weight_decay: float,
                  momentum_decay: float, decoupled_weight_decay: bool,
                  maximize: bool) -> None:  # fmt: skip
    """The same step in place. Workspace: two arrays (``t``, ``denom``), plus one for the
    modified gradient with maximize or (coupled) weight decay. The two last lines divide before
    scaling, which differs from the reference in the last bit only."""
    state["step"] += 1
    step = state["step"]
    bias_correction2 = 1 - beta2**step
    if weight_decay != 0 and decoupled_weight_decay:
        x *= 1 - lr * weight_decay
        weight_decay = 0.0
    g_out = scratch(2) if maximize or weight_decay != 0 else None
    g = grad_with_decay_(xp, x, grad, weight_decay, maximize, g_out)  # grad itself or g_out
    mu = _momentum(beta1, momentum_decay, step)
    mu_next = _momentum(beta1, momentum_decay, step + 1)
    mu_product = _advance_mu_product(state, mu)
    m, v = state["exp_avg"], state["exp_avg_sq"]
    t, denom = scratch(0), scratch(1)
    lerp_(xp, m, g, 1 - beta1, t)
    v *= beta2
    xp.multiply(g, 1 - beta2, out=t)
    t *= g
    v += t
    xp.divide(v, bias_correction2, out=denom)
    xp.sqrt(denom, out=denom)
    denom += eps
    xp.divide(g, denom, out=t)
    t *= -lr * (1.0 - mu) / (1.0 - mu_product)
    x += t
    xp.divide(m, denom, out=t)
    t *= -lr * mu_next / (1.0 - mu_product * mu_next)
    x += t


class NAdam(Optimizer):
    """NAdam: Adam's moments ``m``, ``v`` with momentum ``mu_t = beta1 * (1 - 0.5 *
    0.96**(t * momentum_decay))``; ``p -= lr * ((1 - mu_t) / (1 - prod mu) * g +
    mu_{t+1} / (1 - prod mu * mu_{t+1}) * m) / (sqrt(v / (1 - beta2**t)) + eps)``, with
    ``g = grad + weight_decay * p`` (decoupled: ``p *= 1 - lr * weight_decay``). Same update,
    defaults and state (``step``, ``mu_product``, ``exp_avg``, ``exp_avg_sq``) as
    ``torch.optim.NAdam``; PyTorch's ``foreach``/``capturable``/``differentiable`` switches are
    not taken.

    Temporaries per step: two parameter-sized workspace arrays (three with maximize or coupled
    weight decay), reused across parameters and steps; no allocation per step.
    """

    update = staticmethod(nadam_update_)
    reference = staticmethod(nadam_reference)

    def __init__(self, params: Iterable[Any], lr: float = 2e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, *,
                 maximize: bool = False) -> None:  # fmt: skip
        defaults = dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                        momentum_decay=momentum_decay,
                        decoupled_weight_decay=decoupled_weight_decay,
                        maximize=maximize)  # fmt: skip
        super().__init__(params, defaults)

    def _validate(self, group: dict) -> None:
        check_nonnegative("NAdam", "epsilon value", group["eps"])
        check_betas("NAdam", group["betas"])
        check_nonnegative("NAdam", "weight_decay value", group["weight_decay"])
        check_nonnegative("NAdam", "momentum_decay value", group["momentum_decay"])

    def _backend_update(self, backend: Backend) -> Callable[..., None]:
        return backend.nadam_update

    def _hyper(self, group: dict) -> dict:
        beta1, beta2 = group["betas"]
        return dict(lr=float(group["lr"]), beta1=float(beta1), beta2=float(beta2),
                    eps=float(group["eps"]), weight_decay=float(group["weight_decay"]),
                    momentum_decay=float(group["momentum_decay"]),
                    decoupled_weight_decay=bool(group["decoupled_weight_decay"]),
                    maximize=bool(group["maximize"]))  # fmt: skip

    def _init_state(self, x: Array, group: dict) -> dict:
        xp = get_backend(x).xp
        return {"step": 0.0, "mu_product": 1.0, "exp_avg": xp.zeros_like(x),
                "exp_avg_sq": xp.zeros_like(x)}  # fmt: skip
