"""``History``: what ``fit`` returns, the per-epoch logs; saved as JSON, and plotted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from minitorch.utils.atomic import atomic_write
from minitorch.utils.progress import format_metrics

FORMAT = "minitorch.history"


class History:
    """Per-epoch values: ``history["loss"]``, ``history["val_accuracy"]``, ... (lists)."""

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.epochs: list[int] = []

    def append(self, epoch: int, logs: dict[str, float]) -> None:
        """Record epoch ``epoch``'s values (numbers become Python floats)."""
        self.epochs.append(int(epoch))
        for key, value in logs.items():
            self.history.setdefault(key, []).append(float(value))

    def to_dict(self) -> dict[str, Any]:
        """``{"epochs": [...], "history": {name: [...]}}``, plain JSON-able lists."""
        return {
            "epochs": list(self.epochs),
            "history": {k: list(v) for k, v in self.history.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> History:
        """The inverse of ``to_dict``."""
        history = cls()
        history.epochs = [int(e) for e in data["epochs"]]
        history.history = {k: [float(x) for x in v] for k, v in data["history"].items()}
        return history

    def save(self, path: Any) -> None:
        """Write to ``path`` as JSON, atomically (a crash leaves the old file as it was).

        Floats round-trip exactly; non-finite values are written as JSON's ``NaN``/``Infinity``
        extension, which Python (and most JSON readers) accept.
        """
        text = json.dumps({"format": FORMAT, "version": 1, **self.to_dict()}, indent=1)
        with atomic_write(Path(path)) as f:
            f.write(text.encode("utf-8"))

    @classmethod
    def load(cls, path: Any) -> History:
        """Read a file written by ``save``."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"History.load: {path} is not a history written by History.save")
        return cls.from_dict(data)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, History):
            return NotImplemented
        return self.epochs == other.epochs and self.history == other.history

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

        Needs matplotlib: ``pip install matplotlib``.
        """
        try:
            from matplotlib.backends.backend_agg import FigureCanvasAgg
            from matplotlib.figure import Figure
        except ImportError as err:
            raise ImportError(
                "History.plot needs matplotlib; install it with: pip install matplotlib "
                '(or pip install ".[plot]" from a minitorch clone)'
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
