"""The whole state of a ``fit`` run as one ``mt.save``-able dict, and putting it back.

A checkpoint holds the model, optimizer and scheduler state dicts, the last finished epoch, the
history, the random state of every backend (dropout, shuffling) and of the training loader's
own ``generator`` if it has one, and the state of callbacks that define ``state_dict``.
Restoring all of it and going on gives the same parameters, bit for bit on the CPU, as a run
that was never interrupted.
"""

from __future__ import annotations

import warnings
from typing import Any

from minitorch.backend import get_rng_state, set_rng_state
from minitorch.train.callbacks import FitState
from minitorch.train.history import History
from minitorch.utils.serialization import load

REQUIRED = ("model", "optimizer", "epoch")


def _stateful(callbacks: list) -> list[tuple[str, Any]]:
    """``(key, callback)`` for callbacks with ``state_dict``; the key is ``Type:n``."""
    seen: dict[str, int] = {}
    keyed = []
    for cb in callbacks:
        if callable(getattr(cb, "state_dict", None)):
            name = type(cb).__name__
            keyed.append((f"{name}:{seen.get(name, 0)}", cb))
            seen[name] = seen.get(name, 0) + 1
    return keyed


def _loader_generator(loader: Any) -> Any:
    generator = getattr(loader, "generator", None)
    return generator if callable(getattr(generator, "get_state", None)) else None


def training_state(state: FitState) -> dict[str, Any]:
    """Everything needed to go on with the run after ``state.epoch``."""
    generator = _loader_generator(state.train_loader)
    return {
        "model": state.model.state_dict(),
        "optimizer": state.optimizer.state_dict(),
        "scheduler": None if state.scheduler is None else state.scheduler.state_dict(),
        "epoch": state.epoch,
        "history": state.history.to_dict(),
        "rng": get_rng_state(),
        "loader_generator": None if generator is None else generator.get_state(),
        "callbacks": {key: cb.state_dict() for key, cb in _stateful(state.callbacks)},
    }


def load_training_state(path: Any, device: Any = None) -> dict[str, Any]:
    """Read a checkpoint for ``fit(resume_from=path)`` and check that it can resume a run."""
    checkpoint = load(path, map_location=device)
    missing = [k for k in REQUIRED if not isinstance(checkpoint, dict) or k not in checkpoint]
    if missing:
        raise ValueError(
            f"fit(resume_from={str(path)!r}): the checkpoint has no {missing}; resume from a "
            "file written by ModelCheckpoint (or a dict with 'model', 'optimizer' and 'epoch')"
        )
    return checkpoint


def restore_training_state(state: FitState, checkpoint: dict[str, Any], where: str) -> int:
    """Put the model, optimizer, scheduler, history and random state back; returns the epoch
    to start from. Callback state is restored separately (``restore_callbacks``)."""
    state.model.load_state_dict(checkpoint["model"])
    state.optimizer.load_state_dict(checkpoint["optimizer"])
    saved_scheduler = checkpoint.get("scheduler")
    if state.scheduler is not None:
        if saved_scheduler is None:
            raise ValueError(f"{where}: fit has a scheduler but the checkpoint has none")
        state.scheduler.load_state_dict(saved_scheduler)
    elif saved_scheduler is not None:
        warnings.warn(f"{where}: the checkpoint has a scheduler state but fit got no "
                      "scheduler; the learning rate stays as the optimizer's state says",
                      stacklevel=3)  # fmt: skip
    missing = [k for k in ("history", "rng") if checkpoint.get(k) is None]
    if missing:
        warnings.warn(f"{where}: the checkpoint has no {missing}; the run goes on, but not "
                      "exactly as an uninterrupted one would", stacklevel=3)  # fmt: skip
    if checkpoint.get("history") is not None:
        restored = History.from_dict(checkpoint["history"])
        state.history.epochs, state.history.history = restored.epochs, restored.history
    if checkpoint.get("rng") is not None:
        set_rng_state(checkpoint["rng"])
    generator = _loader_generator(state.train_loader)
    if generator is not None and checkpoint.get("loader_generator") is not None:
        generator.set_state(checkpoint["loader_generator"])
    return int(checkpoint["epoch"]) + 1


def restore_callbacks(callbacks: list, checkpoint: dict[str, Any]) -> None:
    """Give each stateful callback the state saved for it (matched by type and order: the
    second ``EarlyStopping`` of this run gets the second one's). A callback the checkpoint has
    no state for starts afresh; saved state of callbacks this run lacks is left unused."""
    saved = checkpoint.get("callbacks") or {}
    for key, cb in _stateful(callbacks):
        if key in saved:
            cb.load_state_dict(saved[key])
