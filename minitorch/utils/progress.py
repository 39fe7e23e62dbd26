"""Progress bars for training loops: ``tqdm`` when it can be seen, silence otherwise.

``tqdm`` is imported on first use, never by ``import minitorch``. A bar is shown only when
stderr is a terminal (so logs and CI output stay clean); ``enabled=False`` or the environment
variable ``MINITORCH_PROGRESS=0`` silences it everywhere, ``enabled=True`` forces it on.

    for epoch in progress_bar(range(epochs), desc="epochs"):
        bar = progress_bar(loader, desc=f"epoch {epoch}", leave=False)
        for x, y in bar:
            ...
            bar.set_postfix(loss=loss.item())
"""

from __future__ import annotations

import os
import sys
from typing import Any, Iterable, Iterator

__all__ = ["format_metrics", "progress_bar", "progress_enabled"]


def progress_enabled(enabled: bool | None = None) -> bool:
    """Whether to draw a bar: ``enabled`` if given, else ``MINITORCH_PROGRESS``, else a TTY."""
    if enabled is not None:
        return bool(enabled)
    env = os.environ.get("MINITORCH_PROGRESS", "").strip().lower()
    if env in ("0", "false", "no", "off"):
        return False
    if env in ("1", "true", "yes", "on"):
        return True
    stream = sys.stderr
    return stream is not None and hasattr(stream, "isatty") and stream.isatty()


def format_metrics(metrics: dict[str, Any]) -> dict[str, str]:
    """``{"loss": 0.12345678}`` -> ``{"loss": "0.1235"}`` (4 significant digits) for postfixes."""
    return {k: f"{v:.4g}" if isinstance(v, float) else str(v) for k, v in metrics.items()}


class _Silent:
    """The part of tqdm's interface a loop uses, doing nothing: iteration passes through."""

    def __init__(self, iterable: Iterable | None = None, total: int | None = None) -> None:
        self.iterable, self.total, self.n = iterable, total, 0

    def __iter__(self) -> Iterator:
        for item in self.iterable:
            self.n += 1
            yield item

    def __len__(self) -> int:
        return len(self.iterable) if self.total is None else self.total

    def __enter__(self) -> _Silent:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def update(self, n: int = 1) -> None:
        self.n += n

    def set_postfix(self, ordered_dict: Any = None, refresh: bool = True, **kwargs: Any) -> None:
        pass

    def set_description(self, desc: str | None = None, refresh: bool = True) -> None:
        pass

    def write(self, text: str) -> None:
        print(text)

    def close(self) -> None:
        pass


def progress_bar(
    iterable: Iterable | None = None,
    *,
    total: int | None = None,
    desc: str | None = None,
    leave: bool = True,
    unit: str = "it",
    enabled: bool | None = None,
) -> Any:
    """A ``tqdm`` bar over ``iterable`` (or a manual one of ``total`` steps), or a silent stand-in.

    Both have ``update``, ``set_postfix``, ``set_description``, ``write`` and ``close``.
    """
    if not progress_enabled(enabled):
        return _Silent(iterable, total)
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc, leave=leave, unit=unit, dynamic_ncols=True)
