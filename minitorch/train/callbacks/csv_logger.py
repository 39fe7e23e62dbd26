"""``CSVLogger``: one CSV row per epoch, as Keras's ``CSVLogger``."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, TextIO

from minitorch.train.callbacks.base import Callback, FitState


class CSVLogger(Callback):
    """Write each epoch's logs to ``path``: a header ``epoch,<names sorted>``, then one row per
    epoch (``epoch`` counts from 1, as ``fit`` does), flushed as it is written.

    ``append=True`` adds to an existing file (the header only if the file is empty): use it
    when resuming. Values are written in full precision (``str`` of a float round-trips); the
    columns are fixed by the first epoch (or the existing header): a name missing later is
    written ``NA`` and one appearing later is left out, as Keras does.
    """

    def __init__(self, path: Any, separator: str = ",", append: bool = False) -> None:
        if not isinstance(separator, str) or len(separator) != 1:
            raise ValueError(f"CSVLogger: separator must be one character, got {separator!r}")
        self.path, self.separator, self.append = Path(path), separator, append
        self.keys: list[str] | None = None
        self._file: TextIO | None = None
        self._writer: Any = None

    def on_train_begin(self, state: FitState) -> None:
        has_rows = self.append and self.path.exists() and self.path.stat().st_size > 0
        self.keys = None
        if has_rows:  # go on with the columns already there
            with open(self.path, newline="") as f:
                header = next(csv.reader(f, delimiter=self.separator), None)
            self.keys = header[1:] if header else None
        self._file = open(self.path, "a" if self.append else "w", newline="")
        self._writer = None
        self._header_needed = not has_rows

    def on_epoch_end(self, epoch: int, logs: dict[str, float], state: FitState) -> None:
        if self.keys is None:
            self.keys = sorted(logs)
        if self._writer is None:
            self._writer = csv.DictWriter(self._file, fieldnames=["epoch", *self.keys],
                                          delimiter=self.separator, extrasaction="ignore",
                                          lineterminator="\n")  # fmt: skip
            if self._header_needed:
                self._writer.writeheader()
        row = {"epoch": epoch, **{k: logs.get(k, "NA") for k in self.keys}}
        self._writer.writerow(row)
        self._file.flush()

    def on_train_end(self, state: FitState) -> None:
        if self._file is not None:
            self._file.close()
            self._file = self._writer = None
