"""Moving an array between devices and dtypes: the one place arrays cross backends."""

from __future__ import annotations

from typing import Any

from minitorch.backend.base import Array, Backend
from minitorch.backend.registry import get_backend


def move(x: Array, target: Backend, dtype: Any = None, copy: bool = False) -> Array:
    """``x`` on ``target``'s device in ``dtype`` (None: keep its dtype).

    Copies only when needed: the result is ``x`` itself when it is already on ``target`` in
    ``dtype``, unless ``copy=True``, which always returns a new array (an array that crossed
    devices or changed dtype is new anyway). Crossing devices goes through host memory.
    """
    source = get_backend(x)
    if source is not target:
        x = target.from_host(source.to_host(x))
        copy = False
    if dtype is not None and x.dtype != dtype:
        return x.astype(dtype)
    return x.copy() if copy else x
