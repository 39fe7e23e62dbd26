"""``fit``: an optional training loop with progress bars, metrics, validation and callbacks.

Sugar over the plain loop (zero_grad, forward, loss, backward, step), which stays the way to go
for anything unusual. Each batch is ``(input, target)``; ``fit`` returns a ``History``.

    history = fit(model, nn.CrossEntropyLoss(), optimizer, train_loader, val_loader, epochs=20,
                  metrics=["accuracy"], callbacks=[ModelCheckpoint("best.ckpt"), EarlyStopping()])
    history.plot("curves.png")
"""

from __future__ import annotations

import math
from typing import Any, Callable, Iterable

from minitorch.autograd import Tensor, no_grad
from minitorch.utils.progress import format_metrics, progress_bar
from minitorch.utils.serialization import save

__all__ = [
    "Callback",
    "EarlyStopping",
    "FitState",
    "History",
    "ModelCheckpoint",
    "accuracy",
    "fit",
]

Metric = Callable[[Tensor, Tensor], float]


def accuracy(output: Tensor, target: Tensor) -> float:
    """Fraction of rows whose largest output is the target class (class indices or one-hot)."""
    predicted = output.array.argmax(axis=-1)
    target = target.array
    if target.ndim == output.ndim:  # one-hot or probabilities
        target = target.argmax(axis=-1)
    return float((predicted == target).mean())


_METRICS: dict[str, Metric] = {"accuracy": accuracy, "acc": accuracy}


class History:
    """Per-epoch values: ``history["loss"]``, ``history["val_accuracy"]``, ... (lists)."""

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.epochs: list[int] = []

    def append(self, epoch: int, logs: dict[str, float]) -> None:
        self.epochs.append(epoch)
        for key, value in logs.items():
            self.history.setdefault(key, []).append(value)

    def __getitem__(self, key: str) -> list[float]:
        return self.history[key]

    def __contains__(self, key: str) -> bool:
        return key in self.history

    def __len__(self) -> int:
        return len(self.epochs)

    def __repr__(self) -> str:
        last = {k: v[-1] for k, v in self.history.items()}
        return f"History(epochs={len(self)}, last={format_metrics(last)})"

    def plot(self, path: Any) -> None:
        """Draw loss (and metric) curves, train and validation, to an image file (PNG, SVG...).

        Needs matplotlib: ``pip install "minitorch[plot]"``.
        """
        try:
            from matplotlib.backends.backend_agg import FigureCanvasAgg
            from matplotlib.figure import Figure
        except ImportError as err:
            raise ImportError(
                'History.plot needs matplotlib; install it with: pip install "minitorch[plot]" '
                "(or pip install matplotlib)"
            ) from err
        names = list(dict.fromkeys(k.removeprefix("val_") for k in self.history if k != "lr"))
        fig = Figure(figsize=(5 * len(names), 3.6), layout="constrained")
        FigureCanvasAgg(fig)
        for ax, name in zip(fig.subplots(1, len(names), squeeze=False)[0], names, strict=True):
            if name in self.history:
                ax.plot(self.epochs, self.history[name], marker="o", ms=3, label=f"train {name}")
            if f"val_{name}" in self.history:
                ax.plot(self.epochs, self.history[f"val_{name}"], marker="o", ms=3,
                        label=f"validation {name}")  # fmt: skip
            ax.set_xlabel("epoch")
            ax.set_ylabel(name)
            ax.grid(alpha=0.3)
            ax.legend()
        fig.savefig(path, dpi=100)


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


def _split(batch: Any) -> tuple[Any, Any]:
    if isinstance(batch, (tuple, list)) and len(batch) == 2:
        return batch[0], batch[1]
    raise ValueError(
        "fit expects each batch to be a pair (input, target); got "
        f"{type(batch).__name__} of length {len(batch) if hasattr(batch, '__len__') else '?'}"
    )


def _metric_fns(metrics: Any) -> dict[str, Metric]:
    if metrics is None:
        return {}
    if isinstance(metrics, dict):
        return dict(metrics)
    fns = {}
    for m in [metrics] if isinstance(metrics, str) or callable(metrics) else metrics:
        if isinstance(m, str):
            if m not in _METRICS:
                raise ValueError(
                    f"fit: unknown metric {m!r}; known: {sorted(_METRICS)} or a function"
                )
            fns["accuracy" if m == "acc" else m] = _METRICS[m]
        else:
            fns[getattr(m, "__name__", f"metric{len(fns)}")] = m
    return fns


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
    fns = _metric_fns(metrics)
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
