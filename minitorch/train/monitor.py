"""``GradientMonitorCallback``: a ``GradientMonitor`` attached to the model for a ``fit`` run."""

from __future__ import annotations

from typing import Any

from minitorch.train.callbacks import Callback, FitState
from minitorch.utils.inspect import GradientMonitor


class GradientMonitorCallback(Callback):
    """Record each layer's gradient norms and activations while ``fit`` trains.

    The monitor (``self.monitor``, a ``GradientMonitor``) is attached when training begins and
    removed when it ends, so the model is left without hooks; its history stays readable.
    ``verbose`` prints the verdict after each epoch and the report at the end; ``plot`` is a
    path where the curves are saved at the end (needs matplotlib).
    """

    def __init__(self, every: int = 1, verbose: bool = True, plot: Any = None) -> None:
        if not isinstance(every, int) or isinstance(every, bool) or every < 1:
            raise ValueError(
                f"GradientMonitorCallback: every must be a positive int, got {every!r}"
            )
        self.every, self.verbose, self.plot = every, verbose, plot
        self.monitor: GradientMonitor | None = None
        self._seen = 0

    def on_train_begin(self, state: FitState) -> None:
        self.monitor = GradientMonitor(state.model, every=self.every)
        self._seen = 0

    def on_epoch_end(self, epoch: int, logs: dict[str, float], state: FitState) -> None:
        new = len(self.monitor.history) - self._seen  # steps recorded during this epoch
        if self.verbose and new:
            print(f"epoch {epoch}: {self.monitor.verdict(last=new)}")
        self._seen = len(self.monitor.history)

    def on_train_end(self, state: FitState) -> None:
        self.monitor.remove()
        if self.verbose:
            print(self.monitor.report())
        if self.plot is not None:
            self.monitor.plot(self.plot)
