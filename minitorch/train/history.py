"""``History``: what ``fit`` returns, the per-epoch logs (and a plot of them)."""

from __future__ import annotations

from typing import Any

from minitorch.utils.progress import format_metrics


class History:
    """Per-epoch values: ``history["loss"]``, ``history["val_accuracy"]``, ... (lists)."""

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.epochs: list[int] = []

    def append(self, epoch: int, logs: dict[str, float]) -> None:
        self.epochs.append(epoch)
        for key, value in logs.items():
            self.history.setdefault(key, []).append(value)

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

        Needs matplotlib: ``pip install "minitorch[plot]"``.
        """
        try:
            from matplotlib.backends.backend_agg import FigureCanvasAgg
            from matplotlib.figure import Figure
        except ImportError as err:
            raise ImportError(
                'History.plot needs matplotlib; install it with: pip install "minitorch[plot]" '
                "(or pip install matplotlib)"
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
