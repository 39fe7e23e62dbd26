"""``gradcheck``: compare a function's backward with central finite differences in float64."""

from __future__ import annotations

import itertools
from typing import Any, Callable

from minitorch.autograd import Tensor, no_grad
from minitorch.autograd.engine import backward as run_backward
from minitorch.backend import get_backend, get_rng_state, set_rng_state


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck`` with the worst mismatching element."""


def gradcheck(fn: Callable[..., Any], *inputs: Any, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3, seed: int = 0) -> bool:  # fmt: skip
    """Check ``fn``'s analytic gradients (inputs and, for a Module, parameters) numerically.

    Inputs are checked as PyTorch does: a Tensor when it has ``requires_grad=True`` (so a loss
    target passed as a plain Tensor stays a constant); a raw floating array always. Everything
    runs in float64 on copies: the caller's inputs are not touched, and a Module's parameters
    and buffers are restored afterwards. The output(s) are
    reduced to a scalar with fixed random weights, so every output element is exercised. Random
    layers (dropout) see the same random stream in every evaluation.

    Returns True, or raises ``GradcheckError`` naming the worst element with both values.
    """
    restore = _params_to_float64(fn)
    try:
        args, checked = _float64_inputs(inputs)
        params = [(f"parameter {n!r}", p) for n, p in _named_parameters(fn) if p.requires_grad]
        targets = [(f"input {i}", args[i]) for i in checked] + params
        if not targets:
            raise ValueError(
                "gradcheck: nothing to check (no floating input or parameter needs grad)"
            )
        rng_state = get_rng_state()

        def evaluate() -> list:
            set_rng_state(rng_state)
            out = fn(*args)
            return [o for o in (out if isinstance(out, (tuple, list)) else (out,))
                    if isinstance(o, Tensor) and o.dtype.kind == "f"]  # fmt: skip

        outputs = evaluate()
        xp = get_backend(outputs[0].array).xp
        weights = [xp.asarray(_weights(o.shape, seed + k)) for k, o in enumerate(outputs)]
        for _, t in targets:
            t._grad = None
        live = [(o, w) for o, w in zip(outputs, weights) if o.requires_grad]
        if live:
            run_backward([o for o, _ in live], [Tensor(w) for _, w in live])
        analytic = [
            t._grad.array.copy() if t._grad is not None else xp.zeros_like(t.array)
            for _, t in targets
        ]

        def projected() -> float:
            with no_grad():
                return sum(float((o.array * w).sum()) for o, w in zip(evaluate(), weights))

        worst = None
        for (name, t), grad in zip(targets, analytic):
            # element by element through n-d indices: a non-contiguous input keeps its layout
            # (a flat reshape of it would be a copy, and perturbing the copy would do nothing)
            for index in itertools.product(*map(range, t.shape)):
                orig = float(t.array[index])
                t.array[index] = orig + eps
                plus = projected()
                t.array[index] = orig - eps
                minus = projected()
                t.array[index] = orig
                numeric = (plus - minus) / (2 * eps)
                value = float(grad[index])
                excess = abs(value - numeric) - (atol + rtol * abs(numeric))
                if excess > 0 and (worst is None or excess > worst[0]):
                    worst = (excess, name, index, value, numeric)
        set_rng_state(rng_state)
        if worst is not None:
            _, name, index, value, numeric = worst
            raise GradcheckError(
                f"gradcheck failed for {name} at index {index}: analytic {value:.10g}, numeric "
                f"{numeric:.10g}, |difference| {abs(value - numeric):.3g} > atol + rtol*|numeric| "
                f"= {atol + rtol * abs(numeric):.3g}"
            )
        return True
    finally:
        restore()


def _named_parameters(fn: Any) -> list:
    named = getattr(fn, "named_parameters", None)
    return list(named()) if callable(named) else []


def _float64_inputs(inputs: tuple) -> tuple[list, list[int]]:
    """Copies of the inputs, floats as float64; indices of the ones to differentiate."""
    args, checked = [], []
    for i, x in enumerate(inputs):
        if isinstance(x, Tensor):
            data, wants = x.array, x.requires_grad
        elif hasattr(x, "dtype") and hasattr(x, "shape"):
            data, wants = x, x.dtype.kind == "f"
        else:
            args.append(x)
            continue
        if data.dtype.kind == "f":
            data = data.astype("float64", copy=True)
        t = Tensor(data)
        if wants:
            t.requires_grad_(True)
            checked.append(i)
        args.append(t)
    return args, checked


def _params_to_float64(fn: Any) -> Callable[[], None]:
    """Cast a Module's floating parameters and buffers to float64; return the undo function."""
    tensors = []
    if callable(getattr(fn, "named_parameters", None)):
        tensors = [t for _, t in fn.named_parameters()] + [b for _, b in fn.named_buffers()]
    saved = [(t, t.array, t._grad) for t in tensors]
    for t in tensors:
        if t.dtype.kind == "f":
            t.array = t.array.astype("float64", copy=True)
        t._grad = None

    def restore() -> None:
        for t, data, grad in saved:
            t.array, t._grad = data, grad

    return restore


def _weights(shape: tuple, seed: int) -> Any:
    """Fixed pseudo-random output weights in [0.5, 1.5) with random signs."""
    from minitorch.backend import numpy_backend

    rng = numpy_backend().xp.random.default_rng(seed)
    return rng.uniform(0.5, 1.5, size=shape) * rng.choice([-1.0, 1.0], size=shape)
