"""``Callback``: the hooks ``fit`` calls, and ``FitState``, what they see of the run."""

from __future__ import annotations

from typing import Any

from minitorch.train.history import History


class FitState:
    """What callbacks see: the model, optimizer, scheduler, history, and a switch to stop.

    ``epoch`` is the epoch being run (from 1); set ``stop_training = True`` to end after it.
    ``log(text)`` prints a line the way ``fit`` reports progress (nothing when it is silent,
    or with ``log_fn=None``);
    ``save_checkpoint(path)`` writes the whole training state once every callback has seen
    the epoch (what ``fit(resume_from=path)`` reads back).
    """

    def __init__(self, model: Any, optimizer: Any, history: History, scheduler: Any = None,
                 train_loader: Any = None, callbacks: list | None = None,
                 log_fn: Any = None) -> None:  # fmt: skip
        self.model, self.optimizer, self.history = model, optimizer, history
        self.scheduler, self.train_loader = scheduler, train_loader
        self.callbacks = list(callbacks or [])
        self.epoch = 0
        self.stop_training = False
        self.pending_saves: list[tuple[Any, dict]] = []
        self.log_fn = log_fn

    def log(self, text: str) -> None:
        """Print ``text`` where ``fit`` prints progress (above bars, or to stderr)."""
        if self.log_fn is not None:
            self.log_fn(text)

    def save_checkpoint(self, path: Any, **extra: Any) -> None:
        """Queue a checkpoint of the whole run to ``path`` (``extra`` keys added to it)."""
        self.pending_saves.append((path, extra))


class Callback:
    """Hooks called by ``fit``; override the ones you need.

    A callback with state worth resuming defines ``state_dict()`` / ``load_state_dict(d)``;
    checkpoints then carry it and ``fit(resume_from=...)`` puts it back after
    ``on_train_begin``.
    """

    def on_train_begin(self, state: FitState) -> None:
        """Before the first epoch (also when resuming)."""

    def on_epoch_begin(self, epoch: int, state: FitState) -> None:
        """Before epoch ``epoch`` (counted from 1)."""

    def on_epoch_end(self, epoch: int, logs: dict[str, float], state: FitState) -> None:
        """After epoch ``epoch``: ``logs`` has ``loss``, metrics, ``val_*`` and ``lr``."""

    def on_train_end(self, state: FitState) -> None:
        """After the last epoch, or after training was stopped."""
