"""``no_grad`` / ``enable_grad`` / ``set_grad_enabled``: is anything recorded?"""

from __future__ import annotations

import functools
from typing import Any, Callable

_enabled = True


def is_grad_enabled() -> bool:
    """True unless gradient recording is off (inside ``no_grad()`` ...)."""
    return _enabled


class _GradMode:
    """Context manager and decorator that sets grad mode to ``self.mode`` and restores it after."""

    mode = True

    def __enter__(self) -> None:
        global _enabled
        self._prev, _enabled = _enabled, self.mode

    def __exit__(self, *exc: Any) -> None:
        global _enabled
        _enabled = self._prev

    def __call__(self, fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with type(self)():
                return fn(*args, **kwargs)

        return wrapper


class no_grad(_GradMode):  # noqa: N801  (PyTorch's name)
    """Inside ``with mt.no_grad():`` (or a decorated function) nothing is recorded or cached."""

    mode = False


class inference_mode(_GradMode):  # noqa: N801
    """``with mt.inference_mode():`` records nothing, like ``no_grad`` (minitorch has no
    separate inference tensors, so it is exactly ``no_grad``); ``inference_mode(False)`` is a
    block that changes nothing."""

    def __init__(self, mode: bool = True) -> None:
        self._switch = bool(mode)

    def __enter__(self) -> None:
        global _enabled
        self._prev = _enabled
        if self._switch:
            _enabled = False

    def __call__(self, fn: Callable) -> Callable:
        switch = self._switch

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with inference_mode(switch):
                return fn(*args, **kwargs)

        return wrapper


class enable_grad(_GradMode):  # noqa: N801
    """Turn recording back on inside a ``no_grad`` block."""

    mode = True


class set_grad_enabled(_GradMode):  # noqa: N801
    """``set_grad_enabled(False)`` as a context manager, decorator or plain call."""

    def __init__(self, mode: bool) -> None:
        global _enabled
        self.mode = bool(mode)
        self._prev, _enabled = _enabled, self.mode

    def __enter__(self) -> None:
        pass  # already switched in __init__ so that a plain call works too

    def __call__(self, fn: Callable) -> Callable:
        global _enabled
        _enabled = self._prev
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with set_grad_enabled(mode):
                return fn(*args, **kwargs)

        return wrapper


_anomaly = False


def is_anomaly_enabled() -> bool:
    return _anomaly


class detect_anomaly:  # noqa: N801  (PyTorch's name)
    """Inside this block, backward checks every gradient a layer returns and raises, naming the
    layer, as soon as one holds nan or inf (slower: one extra pass per gradient)."""

    def __init__(self, mode: bool = True) -> None:
        self.mode = mode

    def __enter__(self) -> None:
        global _anomaly
        self._prev, _anomaly = _anomaly, self.mode

    def __exit__(self, *exc: Any) -> None:
        global _anomaly
        _anomaly = self._prev


def set_detect_anomaly(mode: bool) -> None:
    global _anomaly
    _anomaly = bool(mode)
