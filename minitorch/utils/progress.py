"""Progress for training loops: bars where someone watches, one line per epoch elsewhere.

Three modes, chosen by ``progress_mode``:

* ``"bar"``: ``tqdm`` bars (``tqdm.auto``: a widget in Jupyter, text in a terminal); the default
  when stderr is a terminal or the code runs in a Jupyter kernel;
* ``"log"``: plain lines, one per epoch, flushed as they come; the default when stderr is a file,
  a pipe, CI or a batch system's log;
* ``"off"``: nothing.

``progress=True`` forces bars, ``False`` silences everything, ``"log"`` forces plain lines; the
environment variable ``MINITORCH_PROGRESS`` (``0``/``off``, ``1``/``bar``, ``log``) sets the
default. ``tqdm`` is imported on first use, never by ``import minitorch``.

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

__all__ = [
    "format_epoch",
    "format_metrics",
    "format_value",
    "in_notebook",
    "progress_bar",
    "progress_enabled",
    "progress_mode",
]

_MODES = {"bar", "log", "off"}
_ENV = {"0": "off", "false": "off", "no": "off", "off": "off", "1": "bar", "true": "bar",
        "yes": "bar", "on": "bar", "bar": "bar", "log": "log"}  # fmt: skip


def in_notebook() -> bool:
    """True inside a Jupyter (IPython kernel) session; never imports IPython itself."""
    ipython = sys.modules.get("IPython")
    get_ipython = getattr(ipython, "get_ipython", None)
    shell = get_ipython() if callable(get_ipython) else None
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def _stderr_is_terminal() -> bool:
    stream = sys.stderr
    return stream is not None and hasattr(stream, "isatty") and stream.isatty()


def progress_mode(progress: bool | str | None = None) -> str:
    """``"bar"``, ``"log"`` or ``"off"`` for a ``progress=`` argument.

    ``True``/``"bar"``: bars; ``False``/``"off"``: nothing; ``"log"``: one line per epoch;
    ``None``: ``MINITORCH_PROGRESS`` if set, else bars in a terminal or a notebook, else lines.
    """
    if progress is True:
        return "bar"
    if progress is False:
        return "off"
    if isinstance(progress, str):
        if progress not in _MODES:
            raise ValueError(
                f"progress must be True, False, None or one of {sorted(_MODES)}, got {progress!r}"
            )
        return progress
    if progress is not None:
        raise TypeError(f"progress must be a bool, None or a str, got {type(progress).__name__}")
    env = os.environ.get("MINITORCH_PROGRESS", "").strip().lower()
    if env:
        if env not in _ENV:
            raise ValueError(f"MINITORCH_PROGRESS must be one of {sorted(_ENV)}, got {env!r}")
        return _ENV[env]
    return "bar" if _stderr_is_terminal() or in_notebook() else "log"


def progress_enabled(enabled: bool | None = None) -> bool:
    """Whether to draw a bar: ``enabled`` if given, else whether ``progress_mode()`` is bars."""
    if enabled is not None:
        return bool(enabled)
    return progress_mode(None) == "bar"


def format_value(value: Any) -> str:
    """A float with 4 decimals (``0.1235``), or in scientific form when tiny or huge
    (``3.000e-05``); anything else as ``str``."""
    if not isinstance(value, float):
        return str(value)
    if value == 0 or 1e-3 <= abs(value) < 1e5 or value != value:
        return f"{value:.4f}"
    return f"{value:.3e}"


def format_metrics(metrics: dict[str, Any]) -> dict[str, str]:
    """``{"loss": 0.12345678}`` -> ``{"loss": "0.1235"}`` (``format_value``) for postfixes."""
    return {k: format_value(v) for k, v in metrics.items()}


def format_epoch(epoch: int, epochs: int, logs: dict[str, Any], seconds: float | None = None,
                 width: int | None = None) -> list[str]:  # fmt: skip
    """The line(s) that report one epoch: ``epoch 3/20  loss 0.2345  val_loss 0.2561  1.2s``.

    With ``width`` the metrics wrap onto indented continuation lines at metric boundaries, so
    none is cut at a narrow terminal (80 columns); without it one line of any length.
    """
    head = f"epoch {epoch:>{len(str(epochs))}}/{epochs}"
    parts = [f"{k} {v}" for k, v in format_metrics(logs).items()]
    if seconds is not None:
        parts.append(f"{seconds:.2f}s" if seconds < 10 else f"{seconds:.0f}s")
    lines, line = [], head
    for part in parts:
        if width is not None and len(line) + 2 + len(part) > width and line.strip():
            lines.append(line)
            line = " " * len(head)
        line = f"{line}  {part}"
    return [*lines, line]


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
    initial: int = 0,
) -> Any:
    """A ``tqdm.auto`` bar over ``iterable`` (or a manual one of ``total`` steps), or a silent
    stand-in when ``progress_enabled(enabled)`` is False.

    Both have ``update``, ``set_postfix``, ``set_description``, ``write`` and ``close``.
    """
    if not progress_enabled(enabled):
        return _Silent(iterable, total)
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc, leave=leave, unit=unit, dynamic_ncols=True,
                initial=initial)  # fmt: skip
