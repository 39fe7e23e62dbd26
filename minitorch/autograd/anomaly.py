"""``detect_anomaly()``'s report: the first call whose backward returned nan or inf, named by
its path in the model (``encoder.layers.2.linear1 (Linear)``) when it ran inside module calls."""

from __future__ import annotations

from minitorch.autograd.function import Node
from minitorch.backend import get_backend


def check_finite(node: Node, grads: list, result: tuple) -> None:
    """detect_anomaly(): name the first layer whose backward returned nan or inf, by its path
    in the model (``encoder.layers.2.linear1 (Linear)``) when it ran inside a module call."""
    for i, g in enumerate(result):
        xp = get_backend(g).xp if g is not None else None
        if g is None or bool(xp.isfinite(g).all()):
            continue
        what = "nan" if bool(xp.isnan(g).any()) else "inf"
        incoming = all(bool(get_backend(x).xp.isfinite(x).all()) for x in grads if x is not None)
        raise RuntimeError(
            f"{describe(node)} returned {what} in the gradient of input {i}"
            + (" from finite incoming gradients" if incoming else " (its incoming gradient was "
               "already not finite)")
        )  # fmt: skip


def describe(node: Node) -> str:
    """``path (Type).backward`` for a module's call, ``Op.backward (in path, Type)`` for an
    op called inside a module's forward, or just ``Type.backward``."""
    trace = node.trace
    names = []
    for parent, child in zip(trace, trace[1:]):
        names.append(next((n for n, m in parent.named_modules() if m is child and n), "?"))
    path = ".".join(names)
    fn, where = node.fn, trace[-1] if trace else None
    if where is fn:
        return f"{path or type(fn).__name__} ({type(fn).__name__}).backward"
    inside = f" (in {path + ', ' if path else ''}{type(where).__name__})" if where else ""
    return f"{type(fn).__name__}.backward{inside}"
