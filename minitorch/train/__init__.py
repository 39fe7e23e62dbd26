"""``fit``: an optional training loop with progress, metrics, validation and callbacks.

Sugar over the plain loop (zero_grad, forward, loss, backward, step), which stays the way to go
for anything unusual. Each batch is ``(input, target)``; ``fit`` returns a ``History``.

    history = fit(model, nn.CrossEntropyLoss(), optimizer, train_loader, val_loader, epochs=20,
                  metrics=["accuracy"], grad_clip_norm=1.0,
                  callbacks=[ModelCheckpoint("best.ckpt"), EarlyStopping(patience=3),
                             CSVLogger("log.csv")])
    history.save("history.json"); history.plot("curves.png")
    fit(..., epochs=40, resume_from="best.ckpt")   # go on where the checkpoint left off
"""

from minitorch.train.callbacks import (
    Callback,
    CSVLogger,
    EarlyStopping,
    FitState,
    ModelCheckpoint,
    TensorBoard,
)
from minitorch.train.history import History
from minitorch.train.loop import fit
from minitorch.train.metrics import Metric, accuracy
from minitorch.train.monitor import GradientMonitorCallback

__all__ = [
    "CSVLogger",
    "Callback",
    "EarlyStopping",
    "FitState",
    "GradientMonitorCallback",
    "History",
    "Metric",
    "ModelCheckpoint",
    "TensorBoard",
    "accuracy",
    "fit",
]
