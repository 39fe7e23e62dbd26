"""Callbacks for ``fit``: the ``Callback`` hooks, the ``FitState`` they see, and two that watch
an epoch log (``ModelCheckpoint``, ``EarlyStopping``)."""

from __future__ import annotations

import math
from typing import Any

from minitorch.autograd import Tensor
from minitorch.train.history import History
from minitorch.utils.serialization import save


class FitState:
    """What callbacks see: the model, the optimizer, the history, and a switch to stop."""

    def __init__(self, model: Any, optimizer: Any, history: History) -> None:
        self.model, self.optimizer, self.history = model, optimizer, history
        self.epoch = 0
        self.stop_training = False


class Callback:
    """Hooks called by ``fit``; override the ones you need."""

    def on_train_begin(self, state: FitState) -> None:
        pass

    def on_epoch_end(self, epoch: int, logs: dict[str, float], state: FitState) -> None:
        pass

    def on_train_end(self, state: FitState) -> None:
        pass


class _Monitor(Callback):
    def __init__(self, monitor: str, mode: str, min_delta: float = 0.0) -> None:
        if mode not in ("min", "max"):
            raise ValueError(f"{type(self).__name__}: mode must be 'min' or 'max', got {mode!r}")
        self.monitor, self.mode, self.min_delta = monitor, mode, abs(min_delta)
        self.best = math.inf if mode == "min" else -math.inf
        self.best_epoch: int | None = None

    def _value(self, logs: dict[str, float]) -> float:
        if self.monitor not in logs:
            raise KeyError(
                f"{type(self).__name__} monitors {self.monitor!r} but the epoch logs have only "
                f"{sorted(logs)}; pass monitor= one of those (val_* needs a val_loader)"
            )
        return logs[self.monitor]

    def _improved(self, value: float) -> bool:
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta


class ModelCheckpoint(_Monitor):
    """``mt.save`` ``{"model", "optimizer", "epoch", monitor}`` whenever ``monitor`` improves.

    ``save_best_only=False`` saves after every epoch instead. Reload with
    ``model.load_state_dict(mt.load(path)["model"])``.
    """

    def __init__(
        self, path: Any, monitor: str = "val_loss", mode: str = "min", save_best_only: bool = True
    ) -> None:
        super().__init__(monitor, mode)
        self.path, self.save_best_only = path, save_best_only

    def on_epoch_end(self, epoch: int, logs: dict[str, float], state: FitState) -> None:
        value = self._value(logs)
        improved = self._improved(value)
        if improved:
            self.best, self.best_epoch = value, epoch
        if improved or not self.save_best_only:
            save(
                {
                    "model": state.model.state_dict(),
                    "optimizer": state.optimizer.state_dict(),
                    "epoch": epoch,
                    self.monitor: value,
                },
                self.path,
            )


class EarlyStopping(_Monitor):
    """Stop when ``monitor`` has not improved by more than ``min_delta`` for ``patience`` epochs.

    ``restore_best_weights=True`` puts back the parameters of the best epoch at the end.
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        patience: int = 5,
        mode: str = "min",
        min_delta: float = 0.0,
        restore_best_weights: bool = False,
    ) -> None:
        super().__init__(monitor, mode, min_delta)
        if patience < 0:
            raise ValueError(f"EarlyStopping: patience must be >= 0, got {patience}")
        self.patience, self.restore_best_weights = patience, restore_best_weights
        self.wait, self.stopped_epoch = 0, None
        self._best_state: dict | None = None

    def on_train_begin(self, state: FitState) -> None:
        self.wait, self.stopped_epoch, self._best_state = 0, None, None
        self.best = math.inf if self.mode == "min" else -math.inf

    def on_epoch_end(self, epoch: int, logs: dict[str, float], state: FitState) -> None:
        value = self._value(logs)
        if self._improved(value):
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best_weights:
                self._best_state = {
                    k: Tensor(v.array.copy()) for k, v in state.model.state_dict().items()
                }
            return
        self.wait += 1
        if self.wait > self.patience:
            self.stopped_epoch = epoch
            state.stop_training = True

    def on_train_end(self, state: FitState) -> None:
        if self.restore_best_weights and self._best_state is not None:
            state.model.load_state_dict(self._best_state)
