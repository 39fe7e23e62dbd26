"""Stochastic gradient descent with momentum, dampening, Nesterov and weight decay."""

from __future__ import annotations

from typing import Any, Callable, Iterable

from minitorch.backend import Array, Backend
from minitorch.optim.optimizer import Optimizer, grad_with_decay_


def sgd_reference(xp: Any, x: Array, grad: Array, state: dict, scratch: Any, *, lr: float,
                  momentum: float, dampening: float, weight_decay: float, nesterov: bool,
                  maximize: bool) -> None:  # fmt: skip
    """One SGD step in plain array math, line by line as ``torch.optim.SGD`` (allocates)."""
    g = -grad if maximize else grad
    if weight_decay != 0:
        g = g + weight_decay * x
    if momentum != 0:
        buf = state.get("momentum_buffer")
        if buf is None:  # an array even where g is a NumPy scalar (``-grad`` of a 0-d grad)
            buf = state["momentum_buffer"] = xp.asarray(g).copy()
        else:
            buf[...] = buf * momentum + (1 - dampening) * g
        g = g + momentum * buf if nesterov else buf
    x += -lr * g


def sgd_update_(xp: Any, x: Array, grad: Array, state: dict, scratch: Any, *, lr: float,
                momentum: float, dampening: float, weight_decay: float, nesterov: bool,
                maximize: bool) -> None:  # fmt: skip
    """The same step in place. Workspace: one array (``scratch(0)``), two with Nesterov and
    weight decay or maximize; nothing is allocated after the first step (which creates the
    momentum buffer)."""
    tmp = scratch(0)
    g = grad_with_decay_(xp, x, grad, weight_decay, maximize, tmp)  # grad itself or tmp
    if momentum != 0:
        buf = state.get("momentum_buffer")
        if buf is None:
            buf = state["momentum_buffer"] = g.copy()
        else:
            buf *= momentum
            if dampening != 0:  # not Nesterov, so g is not needed after this: tmp may hold it
                xp.multiply(g, 1 - dampening, out=tmp)
                buf += tmp
            else:
                buf += g
        if nesterov:  # g + momentum * buf
            out = scratch(1) if g is tmp else tmp
            xp.multiply(buf, momentum, out=out)
            out += g
            g = out
        else:
            g = buf
    xp.multiply(g, -lr, out=tmp)
    x += tmp


class SGD(Optimizer):
    """``p -= lr * g`` where ``g = grad + weight_decay * p``, through momentum ``b`` if set:
    ``b = momentum * b + (1 - dampening) * g`` (``b = g`` on the first step), and
    ``g = g + momentum * b`` (Nesterov) or ``g = b``. ``maximize`` ascends ``grad`` instead.
    Same update as ``torch.optim.SGD``; state ``momentum_buffer`` (only with momentum).

    Temporaries per step: one parameter-sized workspace array (two with Nesterov combined with
    weight_decay or maximize), reused across parameters and steps; no allocation per step.
    """

    update = staticmethod(sgd_update_)
    reference = staticmethod(sgd_reference)

    def __init__(self, params: Iterable[Any], lr: float = 1e-3, momentum: float = 0.0,
                 dampening: float = 0.0, weight_decay: float = 0.0, nesterov: bool = False,
                 *, maximize: bool = False) -> None:  # fmt: skip
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                        nesterov=nesterov, maximize=maximize)  # fmt: skip
        super().__init__(params, defaults)

    def _validate(self, group: dict) -> None:
        if group["momentum"] < 0:
            raise ValueError(f"SGD: invalid momentum {group['momentum']} (must be >= 0)")
        if group["weight_decay"] < 0:
            raise ValueError(f"SGD: invalid weight_decay {group['weight_decay']} (must be >= 0)")
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError("SGD: Nesterov momentum requires momentum > 0 and dampening = 0")

    def _backend_update(self, backend: Backend) -> Callable[..., None]:
        return backend.sgd_update

    def _hyper(self, group: dict) -> dict:
        return dict(lr=float(group["lr"]), momentum=float(group["momentum"]),
                    dampening=float(group["dampening"]),
                    weight_decay=float(group["weight_decay"]), nesterov=bool(group["nesterov"]),
                    maximize=bool(group["maximize"]))  # fmt: skip
