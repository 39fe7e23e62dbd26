"""``EarlyStopping``: stop when the monitored value has stopped improving (Keras's rule)."""

from __future__ import annotations

from minitorch.autograd import Tensor
from minitorch.train.callbacks.base import FitState
from minitorch.train.callbacks.monitor import Monitored


class EarlyStopping(Monitored):
    """Stop once ``monitor`` has gone ``patience`` epochs without improving by more than
    ``min_delta`` (Keras's rule: a counter grows each epoch, resets on an improvement, and
    training stops at the end of the epoch where it reaches ``patience``).

    ``mode="auto"`` minimises losses and maximises accuracies. ``restore_best_weights=True``
    puts the parameters and buffers of the best epoch back when training ends. It says why it
    stopped through ``fit``'s progress output; ``stopped_epoch`` and ``reason`` keep it.
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        min_delta: float = 0.0,
        patience: int = 0,
        mode: str = "auto",
        restore_best_weights: bool = False,
    ) -> None:
        super().__init__(monitor, mode, min_delta)
        if not isinstance(patience, int) or isinstance(patience, bool) or patience < 0:
            raise ValueError(f"EarlyStopping: patience must be an integer >= 0, got {patience!r}")
        self.patience, self.restore_best_weights = patience, restore_best_weights
        self.wait = 0
        self.stopped_epoch: int | None = None
        self.reason: str | None = None
        self.best_state: dict | None = None

    def on_train_begin(self, state: FitState) -> None:
        self.wait, self.stopped_epoch, self.reason, self.best_state = 0, None, None, None
        self.best = self.best_epoch = None

    def on_epoch_end(self, epoch: int, logs: dict[str, float], state: FitState) -> None:
        value = self.value(logs)
        self.wait += 1
        if self.improved(value):
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best_weights:
                self.best_state = {
                    k: Tensor(v.array.copy()) for k, v in state.model.state_dict().items()
                }
            return
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            state.stop_training = True
            by = f" by more than {self.min_delta:g}" if self.min_delta else ""
            self.reason = (
                f"{self.monitor} did not improve{by} for {self.wait} epoch"
                f"{'s' if self.wait != 1 else ''} (best {self.best:.4g} at epoch "
                f"{self.best_epoch}, patience {self.patience})"
            )
            state.log(f"EarlyStopping: stopped after epoch {epoch}: {self.reason}")

    def on_train_end(self, state: FitState) -> None:
        if self.restore_best_weights and self.best_state is not None:
            state.model.load_state_dict(self.best_state)
            state.log(f"EarlyStopping: restored the weights of epoch {self.best_epoch} "
                      f"({self.monitor} {self.best:.4g})")  # fmt: skip

    def state_dict(self) -> dict:
        """Counter, best value and epoch, and the best weights if kept (for resuming)."""
        return {"wait": self.wait, "best": self.best, "best_epoch": self.best_epoch,
                "best_state": self.best_state}  # fmt: skip

    def load_state_dict(self, state: dict) -> None:
        """Restore ``state_dict()``."""
        self.wait, self.best, self.best_epoch = state["wait"], state["best"], state["best_epoch"]
        self.best_state = state["best_state"]
