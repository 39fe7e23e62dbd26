"""Callbacks for ``fit``: the ``Callback`` hooks and ``FitState`` they see, checkpoints,
early stopping, and per-epoch logs to CSV and TensorBoard."""

from minitorch.train.callbacks.base import Callback, FitState
from minitorch.train.callbacks.checkpoint import ModelCheckpoint
from minitorch.train.callbacks.csv_logger import CSVLogger
from minitorch.train.callbacks.early_stopping import EarlyStopping
from minitorch.train.callbacks.tensorboard import TensorBoard

__all__ = ["CSVLogger", "Callback", "EarlyStopping", "FitState", "ModelCheckpoint", "TensorBoard"]
