"""``Monitored``: the part ``ModelCheckpoint`` and ``EarlyStopping`` share: which logged value
to watch, which way is better (``mode``), and what counts as an improvement."""

from __future__ import annotations

import math

from minitorch.train.callbacks.base import Callback

# Metric names (without ``val_``) whose direction ``mode="auto"`` knows, beyond ``*loss``.
LOWER_IS_BETTER = {"mse", "mae", "rmse", "error", "perplexity"}
HIGHER_IS_BETTER = {"accuracy", "acc", "auc", "f1", "precision", "recall"}


def resolve_mode(monitor: str, mode: str, owner: str) -> str:
    """``"min"`` or ``"max"`` for ``mode``; ``"auto"`` decides from the name, as Keras does:
    losses and errors go down, accuracies and the like go up, anything else is an error."""
    if mode in ("min", "max"):
        return mode
    if mode != "auto":
        raise ValueError(f"{owner}: mode must be 'auto', 'min' or 'max', got {mode!r}")
    name = monitor.removeprefix("val_")
    if name.endswith("loss") or name in LOWER_IS_BETTER:
        return "min"
    if name in HIGHER_IS_BETTER or "acc" in name:
        return "max"
    raise ValueError(
        f"{owner}: mode='auto' cannot tell whether {monitor!r} should go down or up; "
        "pass mode='min' or mode='max'"
    )


class Monitored(Callback):
    """A callback watching ``logs[monitor]``; ``best`` is ``None`` until the first epoch."""

    def __init__(self, monitor: str, mode: str, min_delta: float = 0.0) -> None:
        if not isinstance(monitor, str) or not monitor:
            raise ValueError(f"{type(self).__name__}: monitor must be a logged name like "
                             f"'val_loss', got {monitor!r}")  # fmt: skip
        if not (isinstance(min_delta, (int, float)) and math.isfinite(min_delta)):
            raise ValueError(f"{type(self).__name__}: min_delta must be a finite number, "
                             f"got {min_delta!r}")  # fmt: skip
        self.monitor, self.min_delta = monitor, abs(float(min_delta))
        self.mode = resolve_mode(monitor, mode, type(self).__name__)
        self.best: float | None = None
        self.best_epoch: int | None = None

    def value(self, logs: dict[str, float]) -> float:
        """``logs[monitor]``, or a ``KeyError`` that lists what is logged."""
        if self.monitor not in logs:
            raise KeyError(
                f"{type(self).__name__} monitors {self.monitor!r} but the epoch logs have only "
                f"{sorted(logs)}; pass monitor= one of those (val_* needs a val_loader)"
            )
        return logs[self.monitor]

    def improved(self, value: float) -> bool:
        """Better than ``best`` by more than ``min_delta`` (always, before the first epoch)."""
        if self.best is None:
            return True
        if self.mode == "min":  # Keras's form, so ties in floating point go the same way
            return value + self.min_delta < self.best
        return value - self.min_delta > self.best
