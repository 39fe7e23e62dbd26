"""``fit``: the training loop itself (epochs of batches, validation, scheduler, callbacks)."""

from __future__ import annotations

import math
from typing import Any, Callable, Iterable

from minitorch.autograd import no_grad
from minitorch.nn.utils import clip_grad_norm_
from minitorch.train.callbacks import Callback, FitState
from minitorch.train.history import History
from minitorch.train.metrics import metric_functions
from minitorch.train.report import Reporter
from minitorch.train.resume import (
    load_training_state,
    restore_callbacks,
    restore_training_state,
    training_state,
)
from minitorch.utils.serialization import save

PER_BATCH_SCHEDULERS = {"OneCycleLR", "CyclicLR"}


def _split(batch: Any) -> tuple[Any, Any]:
    if isinstance(batch, (tuple, list)) and len(batch) == 2:
        return batch[0], batch[1]
    raise ValueError(
        "fit expects each batch to be a pair (input, target); got "
        f"{type(batch).__name__} of length {len(batch) if hasattr(batch, '__len__') else '?'}"
    )


def _scheduler_interval(scheduler: Any, interval: str | None) -> str | None:
    """``"epoch"`` or ``"batch"``: the given one, else per batch for the cyclic schedulers."""
    if scheduler is None:
        if interval is not None:
            raise ValueError("fit: scheduler_interval was given but there is no scheduler")
        return None
    name = type(scheduler).__name__
    if interval is None:
        return "batch" if name in PER_BATCH_SCHEDULERS else "epoch"
    if interval not in ("epoch", "batch"):
        raise ValueError(f"fit: scheduler_interval must be 'epoch' or 'batch', got {interval!r}")
    if interval == "batch" and name == "ReduceLROnPlateau":
        raise ValueError("fit: ReduceLROnPlateau steps on an epoch's loss; use "
                         "scheduler_interval='epoch'")  # fmt: skip
    return interval


class _Step:
    """One optimisation step's settings: clipping, and the scheduler when it steps per batch."""

    def __init__(self, model: Any, optimizer: Any, clip: float | None, scheduler: Any) -> None:
        self.model, self.optimizer, self.clip, self.scheduler = model, optimizer, clip, scheduler
        self.lr = optimizer.param_groups[0]["lr"]

    def __call__(self, loss: Any) -> None:
        self.optimizer.zero_grad()
        loss.backward()
        if self.clip is not None:
            clip_grad_norm_(self.model.parameters(), self.clip)
        self.lr = self.optimizer.param_groups[0]["lr"]  # the rate this step uses
        self.optimizer.step()
        if self.scheduler is not None:
            self.scheduler.step()


def _run_epoch(model, loss_fn, step, batches, fns, device, reporter) -> dict[str, float]:
    """One pass; with ``step=None`` an evaluation pass (the caller disables grad)."""
    totals = {"loss": 0.0, **{name: 0.0 for name in fns}}
    count = count_batches = 0
    for batch in batches:
        x, y = _split(batch)
        if device is not None:
            x, y = x.to(device), y.to(device)
        output = model(x)
        loss = loss_fn(output, y)
        value = loss.item()
        if not math.isfinite(value):
            raise FloatingPointError(
                f"fit: the {'training' if step else 'validation'} loss became {value} at "
                f"batch {count_batches}; the weights were not updated with it. Lower the "
                "learning rate, check the inputs for nan/inf, or run the step under "
                "mt.autograd.detect_anomaly() to find the layer that produced it"
            )
        if step is not None:
            step(loss)
        n = len(x)
        count += n
        count_batches += 1
        totals["loss"] += value * n
        for name, fn in fns.items():
            totals[name] += fn(output, y) * n
        if reporter is not None:
            reporter.batch_end(batches, totals["loss"] / count)
    if count == 0:
        raise ValueError("fit: the data loader yielded no batches (empty dataset, or drop_last?)")
    return {k: v / count for k, v in totals.items()}


def fit(
    model: Any,
    loss_fn: Callable,
    optimizer: Any,
    train_loader: Iterable,
    val_loader: Iterable | None = None,
    epochs: int = 1,
    metrics: Any = None,
    scheduler: Any = None,
    callbacks: Iterable[Callback] = (),
    device: Any = None,
    progress: bool | str | None = None,
    grad_clip_norm: float | None = None,
    scheduler_interval: str | None = None,
    resume_from: Any = None,
) -> History:
    """Train for ``epochs`` passes over ``train_loader``; evaluate on ``val_loader`` after each.

    Args:
        metrics: names (``"accuracy"``), functions ``f(output, target) -> float`` (a batch mean),
            or a dict ``{name: function}``; logged per epoch as ``name`` and ``val_name``.
        scheduler: an ``lr_scheduler``, stepped after each epoch, or after each batch for
            ``OneCycleLR``/``CyclicLR`` (``ReduceLROnPlateau`` gets the validation loss, or the
            training loss without one).
        scheduler_interval: ``"epoch"`` or ``"batch"`` overrides that choice.
        callbacks: e.g. ``ModelCheckpoint``, ``EarlyStopping``, ``CSVLogger``; any ``Callback``.
        device: move the model and each batch there first (``None``: leave them where they are).
        progress: ``None`` (auto): bars in a terminal or notebook, one line per epoch on stderr
            elsewhere (logs, CI); ``True`` bars, ``"log"`` lines, ``False`` nothing.
        grad_clip_norm: clip the gradients' joint 2-norm to this before each step.
        resume_from: a checkpoint written by ``ModelCheckpoint``: model, optimizer, scheduler,
            history, callbacks' and random state are restored and training goes on after its
            epoch, up to ``epochs`` in all (the result matches an uninterrupted run).

    Returns a ``History`` with ``loss``, ``val_loss``, metrics, and ``lr`` per epoch.
    """
    if not isinstance(epochs, int) or isinstance(epochs, bool) or epochs < 0:
        raise ValueError(f"fit: epochs must be a non-negative integer, got {epochs!r}")
    if grad_clip_norm is not None and not (
        isinstance(grad_clip_norm, (int, float)) and 0 < grad_clip_norm < math.inf
    ):
        raise ValueError(f"fit: grad_clip_norm must be a positive number, got {grad_clip_norm!r}")
    interval = _scheduler_interval(scheduler, scheduler_interval)
    fns = metric_functions(metrics)
    callbacks = list(callbacks)
    if device is not None:
        model.to(device)
    history = History()
    state = FitState(model, optimizer, history, scheduler, train_loader, callbacks)
    first_epoch, checkpoint = 1, None
    if resume_from is not None:
        where = f"fit(resume_from={str(resume_from)!r})"
        checkpoint = load_training_state(resume_from, device)
        first_epoch = restore_training_state(state, checkpoint, where)
    reporter = Reporter(progress, epochs, min(first_epoch, epochs + 1))
    state.log_fn = reporter.message
    step = _Step(model, optimizer, grad_clip_norm, scheduler if interval == "batch" else None)
    try:
        for cb in callbacks:
            cb.on_train_begin(state)
        if checkpoint is not None:
            restore_callbacks(callbacks, checkpoint)
        for epoch in range(first_epoch, epochs + 1):
            state.epoch = epoch
            for cb in callbacks:
                cb.on_epoch_begin(epoch, state)
            model.train()
            batches = reporter.batches(train_loader, epoch)
            logs = _run_epoch(model, loss_fn, step, batches, fns, device, reporter)
            batches.close()
            if val_loader is not None:
                model.eval()
                with no_grad():
                    val = _run_epoch(model, loss_fn, None, val_loader, fns, device, None)
                logs.update({f"val_{k}": v for k, v in val.items()})
                model.train()
            logs["lr"] = step.lr
            if interval == "epoch":
                if type(scheduler).__name__ == "ReduceLROnPlateau":
                    scheduler.step(logs.get("val_loss", logs["loss"]))
                else:
                    scheduler.step()
            history.append(epoch, logs)
            reporter.epoch_end(epoch, logs)
            for cb in callbacks:
                cb.on_epoch_end(epoch, logs, state)
            for path, extra in state.pending_saves:
                save({**training_state(state), **extra}, path)
            state.pending_saves.clear()
            if state.stop_training:
                break
        for cb in callbacks:
            cb.on_train_end(state)
    finally:
        reporter.close()
    return history
