"""``RemovableHandle``: what registering a hook returns (tensor, module and engine hooks)."""

from __future__ import annotations

import itertools
from typing import Any, Callable

_ids = itertools.count()


class RemovableHandle:
    """Holds one hook in a registry dict; ``remove()`` (or leaving a ``with`` block) drops it."""

    def __init__(self, registry: dict, hook: Callable[..., Any]) -> None:
        self.registry, self.id = registry, next(_ids)
        registry[self.id] = hook

    def remove(self) -> None:
        self.registry.pop(self.id, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.remove()
