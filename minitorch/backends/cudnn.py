"""``mt.backends.cudnn``: PyTorch's cuDNN switches, as settable module attributes.

minitorch makes no cuDNN calls (its convolutions are im2col and a cuBLAS matmul, on the CPU
NumPy's), so these flags have no effect on any device; they exist, keep what is assigned, and
start at PyTorch's defaults so that programs setting or reading them run unchanged.
``is_available()`` is False for the same reason. For run-to-run reproducibility seed with
``mt.manual_seed``; note that GPU scatter-adds (embedding and indexing gradients) use atomics
whose summation order can vary.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any, Iterator

enabled = True
benchmark = False
deterministic = False
allow_tf32 = True


def is_available() -> bool:
    """False: minitorch does not use cuDNN."""
    return False


def version() -> None:
    """None, as PyTorch answers without cuDNN."""
    return None


@contextlib.contextmanager
def flags(enabled: bool = False, benchmark: bool = False, deterministic: bool = False,
          allow_tf32: bool = True) -> Iterator[None]:  # fmt: skip
    """Set the four flags inside a ``with`` block, restoring them after (as PyTorch's)."""
    module = sys.modules[__name__]
    names = ("enabled", "benchmark", "deterministic", "allow_tf32")
    saved = {n: getattr(module, n) for n in names}
    new: dict[str, Any] = dict(zip(names, (enabled, benchmark, deterministic, allow_tf32)))
    for name, value in new.items():
        setattr(module, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(module, name, value)
