"""When one rank fails, end the whole job, saying which rank and why.

Without this, a rank that raises leaves the others waiting in their next collective forever.
While a process group with more than one rank exists, an uncaught exception prints its
traceback as usual, then ``rank R failed: <error>``, then aborts the job (``MPI_Abort``, or the
NCCL communicator's abort), so the launcher stops every rank at once. Ranks that are merely
waiting for a rank that hangs are covered by the timeout of each wait (``group.py``).
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any

from minitorch.distributed.group import ProcessGroup

_previous: list = []  # the excepthook we replaced (restored by uninstall)


def install(group: ProcessGroup) -> None:
    """Make an uncaught exception on this rank abort the job after reporting it."""
    if _previous or group.size == 1:
        return
    previous = sys.excepthook

    def excepthook(kind: type, error: BaseException, tb: TracebackType | None) -> Any:
        try:
            previous(kind, error, tb)
            message = f"{kind.__name__}: {error}" if str(error) else kind.__name__
            sys.stderr.write(
                f"minitorch.distributed: rank {group.rank} failed: {message}; aborting all "
                f"{group.size} ranks\n"
            )
            sys.stderr.flush()
        finally:
            group.abort(1)

    _previous.append(previous)
    sys.excepthook = excepthook


def uninstall() -> None:
    if _previous:
        sys.excepthook = _previous.pop()
