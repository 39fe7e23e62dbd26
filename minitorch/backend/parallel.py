"""minitorch's own CPU threads: a small persistent pool that runs the pieces of one elementwise
pass side by side.

NumPy ufuncs release the GIL on large arrays, so disjoint slices of one pass can run on several
cores at once; each element is computed by the same ufunc call on the same inputs as in a
single pass, so the result is the same bit for bit. ``groups(pieces)`` cuts a list of pieces
into one contiguous group per thread and ``run_groups`` runs them, the last on the calling
thread. Today the chunked optimizer update uses it, through its backend
(``Backend.piece_groups`` / ``run_groups``), so on a GPU the pieces run one after another.

The pool's size is ``mt.set_num_threads`` (which also sizes BLAS, as PyTorch's one intra-op
setting does), else ``MINITORCH_NUM_THREADS``, else 1: every pass on the calling thread, as
before the pool existed. One thread is the default because it measured faster on the 2-core
reference machine, shared or idle: an SGD-momentum step over the 670k parameters of the
benchmark MLP took 0.36-0.75 ms on one thread and 0.54-6.9 ms on two while other programs ran,
0.49 against 0.61-0.76 ms with the machine idle (Adam 1.40 against 1.69-1.88 ms). The pieces
are short in-cache passes, and between them the threads take turns at the GIL. On a machine
with more cores, measure your own step with both settings.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

_size: int | None = None  # None: not decided yet (see pool_size)
_pool: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def pool_size() -> int:
    """How many threads (the caller's included) run the pieces of a pass (see module)."""
    global _size
    if _size is None:
        value = os.environ.get("MINITORCH_NUM_THREADS", "").strip()
        if value:
            if not value.isdigit() or int(value) < 1:
                raise ValueError(
                    f"MINITORCH_NUM_THREADS must be a positive integer, got {value!r}"
                )
            _size = int(value)
        else:
            _size = 1
    return _size


def set_pool_size(num: int) -> None:
    """Run passes on ``num`` threads from now on (``mt.set_num_threads`` calls this)."""
    global _size, _pool
    with _lock:
        if _pool is not None and num != _size:
            _pool.shutdown(wait=True)
            _pool = None
        _size = num


def groups(pieces: list) -> list[list]:
    """``pieces`` cut into one contiguous group per thread (fewer when there are fewer pieces)."""
    n = min(pool_size(), len(pieces))
    bounds = [len(pieces) * g // n for g in range(n + 1)] if n else [0, 0]
    return [pieces[a:b] for a, b in zip(bounds, bounds[1:])]


def run_groups(fn: Callable[[int, list], Any], parts: list[list]) -> list:
    """``[fn(g, group) for g, group in enumerate(parts)]``, one group per thread, the last on
    the calling thread; results in order, exceptions propagate (the first group's first).

    ``fn`` must touch only its own group's data (disjoint slices), which makes the order in
    which groups run irrelevant to the result.
    """
    if len(parts) <= 1:
        return [fn(g, group) for g, group in enumerate(parts)]
    futures = [_executor().submit(fn, g, group) for g, group in enumerate(parts[:-1])]
    last = fn(len(parts) - 1, parts[-1])
    return [f.result() for f in futures] + [last]


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max(pool_size() - 1, 1), thread_name_prefix="minitorch")
        return _pool
