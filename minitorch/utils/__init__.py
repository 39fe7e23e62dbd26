"""Utilities around training: gradient checking, checkpoints (``save``/``load``, also
``mt.save``/``mt.load``) and progress bars (``tqdm``, imported only when a bar is drawn).

``minitorch.utils.data`` is ``minitorch.data`` (as ``torch.utils.data``), imported on first use.
"""

import importlib
from typing import Any

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


def __getattr__(name: str) -> Any:
    """``minitorch.utils.data``, imported on first use (``import minitorch`` stays light)."""
    if name == "data":
        return importlib.import_module("minitorch.utils.data")
    raise AttributeError(f"module 'minitorch.utils' has no attribute {name!r}")
