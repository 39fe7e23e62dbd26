"""Metrics for ``fit``: functions ``f(output, target) -> float`` (a batch mean), and the names
``fit(metrics=[...])`` knows them by."""

from __future__ import annotations

from typing import Any, Callable

from minitorch.autograd import Tensor

Metric = Callable[[Tensor, Tensor], float]


def accuracy(output: Tensor, target: Tensor) -> float:
    """Fraction of rows whose largest output is the target class (class indices or one-hot)."""
    predicted = output.array.argmax(axis=-1)
    target = target.array
    if target.ndim == output.ndim:  # one-hot or probabilities
        target = target.argmax(axis=-1)
    return float((predicted == target).mean())


METRICS: dict[str, Metric] = {"accuracy": accuracy, "acc": accuracy}


def metric_functions(metrics: Any) -> dict[str, Metric]:
    """``{name: function}`` from what ``fit(metrics=...)`` accepts: None, a name (``"accuracy"``),
    a function, a list of those, or a dict ``{name: function}``."""
    if metrics is None:
        return {}
    if isinstance(metrics, dict):
        return dict(metrics)
    fns = {}
    for m in [metrics] if isinstance(metrics, str) or callable(metrics) else metrics:
        if isinstance(m, str):
            if m not in METRICS:
                raise ValueError(
                    f"fit: unknown metric {m!r}; known: {sorted(METRICS)} or a function"
                )
            fns["accuracy" if m == "acc" else m] = METRICS[m]
        else:
            fns[getattr(m, "__name__", f"metric{len(fns)}")] = m
    return fns
