"""``get_num_threads`` / ``set_num_threads``: the CPU threads NumPy's BLAS (and OpenMP) use.

The thread pools are the BLAS library's, fixed by ``OMP_NUM_THREADS`` / ``OPENBLAS_NUM_THREADS``
when NumPy loads it. Changing them afterwards needs the optional ``threadpoolctl`` package
(``pip install threadpoolctl``); without it ``set_num_threads`` warns that it had no effect.
"""

from __future__ import annotations

import os
import warnings

_ENV_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _threadpoolctl() -> object | None:
    try:
        import threadpoolctl
    except ImportError:
        return None
    return threadpoolctl


def get_num_threads() -> int:
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
    """Use ``num`` threads in BLAS and OpenMP from now on (needs threadpoolctl; see module)."""
    if not isinstance(num, int) or isinstance(num, bool) or num < 1:
        raise ValueError(f"set_num_threads expects a positive integer, got {num!r}")
    tpc = _threadpoolctl()
    if tpc is None:
        warnings.warn(
            "set_num_threads had no effect: changing the BLAS thread count after NumPy loaded "
            "needs threadpoolctl (pip install threadpoolctl), or set OMP_NUM_THREADS before "
            "the process starts",
            RuntimeWarning,
            stacklevel=2,
        )
        return
    tpc.threadpool_limits(limits=num)
