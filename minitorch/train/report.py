"""What ``fit`` shows while it trains: bars, plain per-epoch lines, or nothing.

In ``"bar"`` mode an epoch bar stays at the bottom, a batch bar (with the running loss) lives
for one epoch, and each finished epoch is written above the bars as full lines, wrapped to the
terminal's width so no metric is ever cut off. In ``"log"`` mode the same epoch lines go to
stderr, flushed one by one (log files, CI, SLURM). Messages from callbacks (early stopping,
restored weights) come out the same way.
"""

from __future__ import annotations

import shutil
import sys
import textwrap
import time
from typing import Any, Iterable

from minitorch.utils.progress import format_epoch, format_metrics, progress_bar, progress_mode


class Reporter:
    """Shows the progress of one ``fit`` call in the mode ``progress_mode(progress)`` picks."""

    def __init__(self, progress: bool | str | None, epochs: int, first_epoch: int = 1) -> None:
        self.mode = progress_mode(progress)
        self.epochs = epochs
        self._epoch_bar = None
        self._started = time.perf_counter()
        if self.mode == "bar":
            self._epoch_bar = progress_bar(total=epochs, initial=first_epoch - 1, desc="fit",
                                           unit="epoch", enabled=True)  # fmt: skip

    def batches(self, loader: Iterable, epoch: int) -> Any:
        """``loader`` wrapped in this epoch's batch bar (or passed through)."""
        self._started = time.perf_counter()
        if self.mode != "bar":
            return progress_bar(loader, enabled=False)
        return progress_bar(loader, desc=f"epoch {epoch}/{self.epochs}", leave=False,
                            unit="batch", enabled=True)  # fmt: skip

    @staticmethod
    def batch_end(bar: Any, mean_loss: float) -> None:
        """Show the running mean loss on the batch bar."""
        bar.set_postfix(format_metrics({"loss": mean_loss}), refresh=False)

    def epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        """Report a finished epoch: every value in ``logs`` and the epoch's wall time."""
        seconds = time.perf_counter() - self._started
        if self.mode == "bar":
            lines = format_epoch(epoch, self.epochs, logs, seconds, _terminal_width())
            self._epoch_bar.write("\n".join(lines), file=sys.stderr)
            self._epoch_bar.update(1)
        elif self.mode == "log":
            self.message(format_epoch(epoch, self.epochs, logs, seconds)[0])

    def message(self, text: str) -> None:
        """A line for the user (above the bars, wrapped to the terminal; to stderr in log mode;
        dropped when off)."""
        if self.mode == "bar":
            width = _terminal_width()
            if width is not None and "\n" not in text:
                text = "\n".join(textwrap.wrap(text, width, subsequent_indent="  "))
            self._epoch_bar.write(text, file=sys.stderr)
        elif self.mode == "log":
            print(text, file=sys.stderr, flush=True)

    def close(self) -> None:
        """Close the epoch bar (it stays on screen)."""
        if self._epoch_bar is not None:
            self._epoch_bar.close()


def _terminal_width() -> int | None:
    """Columns to wrap at when stderr is a terminal (one spare, so no line hits the edge)."""
    if sys.stderr is None or not hasattr(sys.stderr, "isatty") or not sys.stderr.isatty():
        return None
    return shutil.get_terminal_size((80, 24)).columns - 1
