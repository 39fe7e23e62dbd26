"""``fit``: an optional training loop with progress bars, metrics, validation and callbacks.

Sugar over the plain loop (zero_grad, forward, loss, backward, step), which stays the way to go
for anything unusual. Each batch is ``(input, target)``; ``fit`` returns a ``History``.

    history = fit(model, nn.CrossEntropyLoss(), optimizer, train_loader, val_loader, epochs=20,
                  metrics=["accuracy"], callbacks=[ModelCheckpoint("best.ckpt"), EarlyStopping()])
    history.plot("curves.png")
"""

from minitorch.train.callbacks import Callback, EarlyStopping, FitState, ModelCheckpoint
from minitorch.train.history import History
from minitorch.train.loop import fit
from minitorch.train.metrics import Metric, accuracy
from minitorch.train.monitor import GradientMonitorCallback

__all__ = [
    "Callback",
    "EarlyStopping",
    "FitState",
    "GradientMonitorCallback",
    "History",
    "Metric",
    "ModelCheckpoint",
    "accuracy",
    "fit",
]
