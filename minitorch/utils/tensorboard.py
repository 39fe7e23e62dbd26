"""``SummaryWriter``: TensorBoard event files with ``torch.utils.tensorboard``'s method names.

A thin layer over the ``tensorboardX`` package (``pip install tensorboardX``, or
``pip install ".[tensorboard]"`` from a clone), imported when a writer is made, never by
``import minitorch``. Tensors and CuPy arrays are brought to the host first.

    from minitorch.utils.tensorboard import SummaryWriter
    with SummaryWriter("runs/exp1") as writer:
        for step in range(100):
            writer.add_scalar("loss", loss.item(), step)
        writer.add_histogram("fc1.weight", model.fc1.weight, step)

Then ``tensorboard --logdir runs`` (TensorBoard itself is a separate install).
"""

from __future__ import annotations

from typing import Any

from minitorch.autograd import Tensor
from minitorch.backend import get_backend

__all__ = ["SummaryWriter"]

_HINT = (
    "minitorch.utils.tensorboard.SummaryWriter needs the tensorboardX package: "
    'pip install tensorboardX (or pip install ".[tensorboard]" from a minitorch clone)'
)


def _host(value: Any) -> Any:
    """A Tensor or backend array as a NumPy array; anything else unchanged."""
    if isinstance(value, Tensor):
        value = value.detach().array
    if hasattr(value, "__cuda_array_interface__") or hasattr(value, "__array_interface__"):
        return get_backend(value).to_host(value)
    return value


def _scalar(value: Any, where: str) -> float:
    value = _host(value)
    if getattr(value, "size", 1) != 1:
        raise ValueError(
            f"SummaryWriter.{where}: expected a single number, got an array of shape "
            f"{tuple(value.shape)}"
        )
    return float(value.item() if hasattr(value, "item") else value)


class SummaryWriter:
    """Writes scalars and histograms to TensorBoard event files in ``log_dir``.

    ``log_dir=None`` uses ``runs/<date>_<host><comment>`` as PyTorch does. Also a context
    manager (closed on exit).
    """

    def __init__(self, log_dir: Any = None, comment: str = "", purge_step: int | None = None,
                 max_queue: int = 10, flush_secs: int = 120,
                 filename_suffix: str = "") -> None:  # fmt: skip
        try:
            from tensorboardX import SummaryWriter as Writer
        except ImportError as err:
            raise ImportError(_HINT) from err
        self._writer = Writer(
            logdir=None if log_dir is None else str(log_dir), comment=comment,
            purge_step=purge_step, max_queue=max_queue, flush_secs=flush_secs,
            filename_suffix=filename_suffix,
        )  # fmt: skip
        self.log_dir = self._writer.logdir

    def get_logdir(self) -> str:
        """The directory the event files go to."""
        return self.log_dir

    def add_scalar(self, tag: str, scalar_value: Any, global_step: int | None = None,
                   walltime: float | None = None) -> None:  # fmt: skip
        """One value (a number, 0-d/1-element Tensor or array) of the curve ``tag``."""
        value = _scalar(scalar_value, "add_scalar")
        self._writer.add_scalar(tag, value, global_step=global_step, walltime=walltime)

    def add_scalars(self, main_tag: str, tag_scalar_dict: dict[str, Any],
                    global_step: int | None = None,
                    walltime: float | None = None) -> None:  # fmt: skip
        """Several curves drawn on one chart ``main_tag`` (e.g. ``{"train": .., "val": ..}``)."""
        values = {k: _scalar(v, "add_scalars") for k, v in tag_scalar_dict.items()}
        self._writer.add_scalars(main_tag, values, global_step=global_step, walltime=walltime)

    def add_histogram(self, tag: str, values: Any, global_step: int | None = None,
                      bins: Any = "tensorflow", walltime: float | None = None,
                      max_bins: int | None = None) -> None:  # fmt: skip
        """The distribution of ``values`` (a Tensor or array, e.g. a layer's weights)."""
        self._writer.add_histogram(tag, _host(values), global_step=global_step, bins=bins,
                                   walltime=walltime, max_bins=max_bins)  # fmt: skip

    def flush(self) -> None:
        """Write pending events to disk."""
        self._writer.flush()

    def close(self) -> None:
        """Flush and close the event files."""
        self._writer.close()

    def __enter__(self) -> SummaryWriter:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
