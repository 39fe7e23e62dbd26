"""``fit``: the training loop itself (epochs of batches, validation, scheduler, callbacks)."""

from __future__ import annotations

import math
from typing import Any, Callable, Iterable

from minitorch.autograd import no_grad
from minitorch.train.callbacks import Callback, FitState
from minitorch.train.history import History
from minitorch.train.metrics import metric_functions
from minitorch.utils.progress import format_metrics, progress_bar


def _split(batch: Any) -> tuple[Any, Any]:
    if isinstance(batch, (tuple, list)) and len(batch) == 2:
        return batch[0], batch[1]
    raise ValueError(
        "fit expects each batch to be a pair (input, target); got "
        f"{type(batch).__name__} of length {len(batch) if hasattr(batch, '__len__') else '?'}"
    )


def _run_epoch(model, loss_fn, optimizer, bar, fns, device) -> dict[str, float]:
    """One pass; with ``optimizer=None`` an evaluation pass (the caller disables grad)."""
    totals = {"loss": 0.0, **{name: 0.0 for name in fns}}
    count = count_batches = 0
    for batch in bar:
        x, y = _split(batch)
        if device is not None:
            x, y = x.to(device), y.to(device)
        output = model(x)
        loss = loss_fn(output, y)
        value = loss.item()
        if not math.isfinite(value):
            raise FloatingPointError(
                f"fit: the {'training' if optimizer else 'validation'} loss became {value} at "
                f"batch {count_batches}; the weights were not updated with it. Lower the "
                "learning rate, check the inputs for nan/inf, or run the step under "
                "mt.autograd.detect_anomaly() to find the layer that produced it"
            )
        if optimizer is not None:
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        n = len(x)
        count += n
        count_batches += 1
        totals["loss"] += value * n
        for name, fn in fns.items():
            totals[name] += fn(output, y) * n
        bar.set_postfix(format_metrics({"loss": totals["loss"] / count}), refresh=False)
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
    progress: bool | None = True,
) -> History:
    """Train for ``epochs`` passes over ``train_loader``; evaluate on ``val_loader`` after each.

    Args:
        metrics: names (``"accuracy"``), functions ``f(output, target) -> float`` (a batch mean),
            or a dict ``{name: function}``; logged per epoch as ``name`` and ``val_name``.
        scheduler: an ``lr_scheduler``; ``step()`` is called after each epoch
            (``ReduceLROnPlateau`` gets the validation loss, or the training loss without one).
        callbacks: e.g. ``ModelCheckpoint``, ``EarlyStopping``; any ``Callback``.
        device: move the model and each batch there first (``None``: leave them where they are).
        progress: ``True`` shows bars when stderr is a terminal, ``False`` never, ``None`` auto.

    Returns a ``History`` with ``loss``, ``val_loss``, metrics, and ``lr`` per epoch.
    """
    if not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"fit: epochs must be a non-negative integer, got {epochs!r}")
    fns = metric_functions(metrics)
    callbacks = list(callbacks)
    if device is not None:
        model.to(device)
    history = History()
    state = FitState(model, optimizer, history)
    enabled = None if progress else False
    for cb in callbacks:
        cb.on_train_begin(state)
    epoch_bar = progress_bar(range(1, epochs + 1), desc="epochs", unit="epoch", enabled=enabled)
    for epoch in epoch_bar:
        state.epoch = epoch
        model.train()
        batches = progress_bar(train_loader, desc=f"epoch {epoch}", leave=False, unit="batch",
                               enabled=enabled)  # fmt: skip
        logs = _run_epoch(model, loss_fn, optimizer, batches, fns, device)
        batches.close()
        if val_loader is not None:
            model.eval()
            with no_grad():
                val = _run_epoch(model, loss_fn, None, _quiet(val_loader), fns, device)
            logs.update({f"val_{k}": v for k, v in val.items()})
            model.train()
        logs["lr"] = optimizer.param_groups[0]["lr"]
        if scheduler is not None:
            if type(scheduler).__name__ == "ReduceLROnPlateau":
                scheduler.step(logs.get("val_loss", logs["loss"]))
            else:
                scheduler.step()
        history.append(epoch, logs)
        epoch_bar.set_postfix(format_metrics({k: v for k, v in logs.items() if k != "lr"}))
        for cb in callbacks:
            cb.on_epoch_end(epoch, logs, state)
        if state.stop_training:
            break
    epoch_bar.close()
    for cb in callbacks:
        cb.on_train_end(state)
    return history


def _quiet(iterable: Iterable) -> Any:
    return progress_bar(iterable, enabled=False)
