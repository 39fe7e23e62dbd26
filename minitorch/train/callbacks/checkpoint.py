"""``ModelCheckpoint``: save the whole training state when the monitored value improves."""

from __future__ import annotations

from typing import Any

from minitorch.train.callbacks.base import FitState
from minitorch.train.callbacks.monitor import Monitored


class ModelCheckpoint(Monitored):
    """``mt.save`` the run (model, optimizer, scheduler, epoch, history, RNG state, callbacks'
    state, and ``monitor``'s value) whenever ``monitor`` improves.

    ``save_best_only=False`` saves after every epoch instead (``monitor`` then need not be
    logged). ``path`` may hold ``{epoch}`` and logged names, as in Keras:
    ``"ckpt-{epoch:03d}-{val_loss:.3f}.ckpt"``. The file is written once every callback has seen
    the epoch. Reload the weights with ``model.load_state_dict(mt.load(path)["model"])``, or go
    on training with ``fit(..., resume_from=path)``.
    """

    def __init__(self, path: Any, monitor: str = "val_loss", mode: str = "auto",
                 save_best_only: bool = True) -> None:  # fmt: skip
        super().__init__(monitor, mode)
        self.path, self.save_best_only = path, save_best_only

    def on_epoch_end(self, epoch: int, logs: dict[str, float], state: FitState) -> None:
        if not self.save_best_only and self.monitor not in logs:
            state.save_checkpoint(self.filename(epoch, logs))
            return
        value = self.value(logs)
        improved = self.improved(value)
        if improved:
            self.best, self.best_epoch = value, epoch
        if improved or not self.save_best_only:
            state.save_checkpoint(self.filename(epoch, logs), **{self.monitor: value})

    def filename(self, epoch: int, logs: dict[str, float]) -> Any:
        """``path`` with ``{epoch}`` and ``{name}`` placeholders filled in."""
        text = str(self.path)
        if "{" not in text:
            return self.path
        try:
            return text.format(epoch=epoch, **logs)
        except (KeyError, IndexError, ValueError) as err:
            raise ValueError(
                f"ModelCheckpoint: path {text!r} names {err}, but only 'epoch' and "
                f"{sorted(logs)} can be filled in"
            ) from err

    def state_dict(self) -> dict:
        """The best value and epoch so far (for resuming)."""
        return {"best": self.best, "best_epoch": self.best_epoch}

    def load_state_dict(self, state: dict) -> None:
        """Restore ``state_dict()``."""
        self.best, self.best_epoch = state["best"], state["best_epoch"]
