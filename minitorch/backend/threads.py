"""``get_num_threads`` / ``set_num_threads``: the CPU threads of one op, as in PyTorch: NumPy's
BLAS (and OpenMP) pool and minitorch's own pool for elementwise passes (``parallel.py``).

The BLAS pool is fixed by ``OMP_NUM_THREADS`` / ``OPENBLAS_NUM_THREADS`` when NumPy loads it.
Changing it afterwards needs the optional ``threadpoolctl`` package (``pip install
threadpoolctl``); without it ``set_num_threads`` sizes minitorch's pool only and warns.
``MINITORCH_NUM_THREADS`` sizes minitorch's pool at start (default: 1 thread; see
``parallel.py`` for why).
"""

from __future__ import annotations

import os
import warnings

from minitorch.backend import parallel

_ENV_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _threadpoolctl() -> object | None:
    try:
        import threadpoolctl
    except ImportError:
        return None
    return threadpoolctl


def get_num_threads() -> int:
    """The threads an op uses: the pool's size where ``MINITORCH_NUM_THREADS`` sets it, else
    the BLAS pool's size (which ``set_num_threads`` sets too, given threadpoolctl)."""
    if os.environ.get("MINITORCH_NUM_THREADS", "").strip():
        return parallel.pool_size()
    return blas_threads()


def blas_threads() -> int:
    """The threads matrix products use: the BLAS pool's size (through threadpoolctl), else
    the environment's setting, else the number of CPUs."""
    tpc = _threadpoolctl()
    if tpc is not None:
        counts = [p["num_threads"] for p in tpc.threadpool_info() if p.get("user_api") == "blas"]
        if counts:
            return max(counts)
    for name in _ENV_VARS:
        value = os.environ.get(name, "")
        if value.isdigit() and int(value) > 0:
            return int(value)
    return os.cpu_count() or 1


def set_num_threads(num: int) -> None:
    """Use ``num`` threads in BLAS, OpenMP and minitorch's elementwise passes from now on (BLAS
    needs threadpoolctl; see module). ``set_num_threads(1)`` makes every op single-threaded."""
    if not isinstance(num, int) or isinstance(num, bool) or num < 1:
        raise ValueError(f"set_num_threads expects a positive integer, got {num!r}")
    parallel.set_pool_size(num)
    tpc = _threadpoolctl()
    if tpc is None:
        warnings.warn(
            "set_num_threads had no effect on BLAS: changing its thread count after NumPy loaded "
            "needs threadpoolctl (pip install threadpoolctl), or set OMP_NUM_THREADS before "
            "the process starts",
            RuntimeWarning,
            stacklevel=2,
        )
        return
    tpc.threadpool_limits(limits=num)
