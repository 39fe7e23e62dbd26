"""Utilities around training: gradient checking, checkpoints (``save``/``load``, also
``mt.save``/``mt.load``) and progress bars (``tqdm``, imported only when a bar is drawn)."""

from minitorch.utils.gradcheck import GradcheckError, gradcheck
from minitorch.utils.progress import format_metrics, progress_bar, progress_enabled
from minitorch.utils.serialization import CheckpointError, load, save

__all__ = [
    "CheckpointError",
    "GradcheckError",
    "format_metrics",
    "gradcheck",
    "load",
    "progress_bar",
    "progress_enabled",
    "save",
]
