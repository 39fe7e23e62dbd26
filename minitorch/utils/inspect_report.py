"""What ``GradientMonitor`` says: the per-layer table, the verdict and the plot."""

from __future__ import annotations

from typing import Any

VANISHING, EXPLODING = 0.1, 10.0  # first/last gradient-norm ratios that get a warning
MOSTLY = 0.5  # a warning when more than half the units of a layer are saturated or dead


def table(summary: dict[str, dict], layers: dict[str, Any]) -> str:
    """One row per layer: gradient norms, activation mean/std, saturated or dead units."""
    header = (f"{'layer':>5}  {'module':<22} {'grad norm':>10} {'out-grad':>10} "
              f"{'act mean':>9} {'act std':>8}  units")  # fmt: skip
    rows = [header, "-" * len(header)]
    for i, (name, stats) in enumerate(summary.items(), 1):
        module = f"{name}: {type(layers[name]).__name__}"
        rows.append(
            f"{i:>5}  {module[:22]:<22} {_num(stats['grad_norm']):>10} "
            f"{_num(stats['output_grad_norm']):>10} {_num(stats['mean'], '.3f'):>9} "
            f"{_num(stats['std'], '.3f'):>8}  {_units(stats)}"
        )
    return "\n".join(rows)


def verdict(summary: dict[str, dict], layers: dict[str, Any], ratio: float | None) -> str:
    """``vanishing: layer 1 (0: Linear) receives 1/120 of the gradient of layer 4 (6: Linear);
    consider ReLU, He init or normalisation``, or ``exploding: ...``, or ``healthy: ...``."""
    n = len(summary)
    if n < 2:
        return "one layer with parameters: no gradient flow to compare"
    if ratio is None:
        return "no gradients recorded yet: run backward() while the monitor is attached"
    first, last = (_title(i, name, layers) for i, name in ((1, next(iter(layers))),
                                                           (n, list(layers)[-1])))  # fmt: skip
    if ratio == 0:
        return (f"vanishing: {first} receives no gradient at all ({last} does); look for dead "
                "or saturated units, or a cut in the graph (detach, no_grad)")  # fmt: skip
    if ratio < VANISHING:
        return (f"vanishing: {first} receives 1/{1 / ratio:.0f} of the gradient of {last}; "
                "consider ReLU, He init or normalisation")  # fmt: skip
    if ratio > EXPLODING:
        return (f"exploding: {first} receives {ratio:.0f} times the gradient of {last}; "
                "consider gradient clipping, a lower learning rate or normalisation")  # fmt: skip
    return f"healthy: {first} receives {ratio:.2g} times the gradient of {last} (within 10x)"


def _title(i: int, name: str, layers: dict[str, Any]) -> str:
    return f"layer {i} ({name}: {type(layers[name]).__name__})"


def warnings(summary: dict[str, dict]) -> list[str]:
    """A line for each layer whose units are mostly saturated (sigmoid/tanh) or dead (ReLU)."""
    out = []
    for i, stats in enumerate(summary.values(), 1):
        if stats["saturated"] is not None and stats["saturated"] > MOSTLY:
            out.append(f"layer {i}: {stats['saturated']:.0%} of its {stats['activation']} units "
                       "are saturated (slope under 10% of its peak)")  # fmt: skip
        if stats["dead"] is not None and stats["dead"] > MOSTLY:
            out.append(f"layer {i}: {stats['dead']:.0%} of its ReLU units are dead (zero for the "
                       "whole batch)")  # fmt: skip
    return out


def plot(monitor: Any, path: Any) -> None:
    """Gradient norm (log scale) and activation std of each layer against the step."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as error:
        raise ImportError(
            "GradientMonitor.plot needs matplotlib; install it with: pip install matplotlib"
        ) from error
    fig = Figure(figsize=(10, 3.8))
    FigureCanvasAgg(fig)
    left, right = fig.subplots(1, 2)
    for i, (name, values) in enumerate(monitor.series("grad_norm").items(), 1):
        left.plot(*_known(monitor.steps, values), label=f"layer {i} ({name})")
    for i, (name, values) in enumerate(monitor.series("std").items(), 1):
        right.plot(*_known(monitor.steps, values), label=f"layer {i} ({name})")
    left.set(yscale="log", xlabel="step", title="gradient norm of each layer's parameters")
    right.set(xlabel="step", title="activation std")
    left.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def _known(steps: list[int], values: list) -> tuple[list, list]:
    pairs = [(s, v) for s, v in zip(steps, values) if v is not None]
    return [s for s, _ in pairs], [v for _, v in pairs]


def _num(value: float | None, spec: str = ".3g") -> str:
    return "-" if value is None else format(value, spec)


def _units(stats: dict) -> str:
    if stats["saturated"] is not None:
        return f"{stats['saturated']:.0%} saturated ({stats['activation']})"
    if stats["dead"] is not None:
        return f"{stats['dead']:.0%} dead (relu)"
    return "-"
