"""``TensorBoard``: each epoch's logs (and, if asked, weight histograms) to TensorBoard."""

from __future__ import annotations

from typing import Any

from minitorch.train.callbacks.base import Callback, FitState
from minitorch.utils.tensorboard import SummaryWriter


class TensorBoard(Callback):
    """Write every logged value per epoch with ``SummaryWriter.add_scalar`` (``loss`` and
    ``val_loss`` as ``epoch/loss`` and ``epoch/val_loss``, global step = epoch), and every
    ``histogram_freq`` epochs (0: never) each parameter's histogram under its name.

    ``log_dir`` or ``writer`` (an open ``SummaryWriter``, left open at the end) says where.
    Needs ``tensorboardX`` (``pip install tensorboardX``).
    """

    def __init__(self, log_dir: Any = None, histogram_freq: int = 0,
                 writer: SummaryWriter | None = None) -> None:  # fmt: skip
        if not isinstance(histogram_freq, int) or histogram_freq < 0:
            raise ValueError(
                f"TensorBoard: histogram_freq must be an integer >= 0, got {histogram_freq!r}"
            )
        if writer is not None and log_dir is not None:
            raise ValueError("TensorBoard: pass log_dir or writer, not both")
        self.log_dir, self.histogram_freq = log_dir, histogram_freq
        self._own = writer is None
        self.writer = writer

    def on_train_begin(self, state: FitState) -> None:
        if self.writer is None:
            self.writer = SummaryWriter(self.log_dir)

    def on_epoch_end(self, epoch: int, logs: dict[str, float], state: FitState) -> None:
        for name, value in logs.items():
            self.writer.add_scalar(f"epoch/{name}", value, epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            for name, param in state.model.named_parameters():
                self.writer.add_histogram(name, param, epoch)
        self.writer.flush()

    def on_train_end(self, state: FitState) -> None:
        if self._own and self.writer is not None:
            self.writer.close()
            self.writer = None
