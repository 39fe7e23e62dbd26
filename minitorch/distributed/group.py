"""``ProcessGroup`` and ``Work``: what every backend provides, on raw backend arrays.

A backend (``mpi.py``, ``nccl.py``) subclasses ``ProcessGroup`` and implements each collective
on arrays, in place, returning a ``Work`` for the operation in flight. The Tensor-level
functions (``collectives.py``) check their arguments and call these. Every blocking wait is
bounded by the group's timeout, so a rank that died or skipped a collective turns into an
error on the others instead of a job that hangs forever.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any, Callable

from minitorch.distributed.reduce_op import ReduceOp

Array = Any


class DistError(RuntimeError):
    """Base of the errors raised by ``minitorch.distributed`` (as ``torch.distributed``)."""


class DistBackendError(DistError):
    """A collective failed or did not complete within the process group's timeout."""


class DistStoreError(DistError):
    """The ranks could not meet through the store (``init_method``) within the timeout."""


class ProcessGroup:
    """One communicator over ``size`` ranks; this process is ``rank``.

    Subclasses implement the collectives below on contiguous backend arrays, in place.
    """

    backend = "?"

    def __init__(self, rank: int, size: int, timeout: timedelta) -> None:
        self.rank, self.size, self.timeout = rank, size, timeout
        self.broken: str | None = None  # why the group cannot be used any more

    # --- the collectives (each returns a Work) ------------------------------------------------
    def allreduce(self, x: Array, op: ReduceOp) -> Work:
        raise NotImplementedError

    def broadcast(self, x: Array, src: int) -> Work:
        raise NotImplementedError

    def allgather(self, out: Array, x: Array) -> Work:
        """``out`` (size, *x.shape): row ``r`` receives rank ``r``'s ``x``."""
        raise NotImplementedError

    def reduce(self, x: Array, op: ReduceOp, dst: int) -> Work:
        raise NotImplementedError

    def gather(self, x: Array, out: Array | None, dst: int) -> Work:
        """``out`` (size, *x.shape) on ``dst`` only."""
        raise NotImplementedError

    def scatter(self, x: Array, chunks: Array | None, src: int) -> Work:
        """``chunks`` (size, *x.shape) on ``src`` only: row ``r`` goes to rank ``r``."""
        raise NotImplementedError

    def barrier(self) -> Work:
        raise NotImplementedError

    def check_array(self, x: Array, name: str, arg: str) -> None:
        """Raise unless array ``x`` (argument ``arg`` of ``name``) lives where this group works."""
        raise NotImplementedError

    # --- life cycle ---------------------------------------------------------------------------
    def abort(self, code: int = 1) -> None:
        """End the whole job now (after a failure on this rank): never returns."""
        raise NotImplementedError

    def destroy(self) -> None:
        """Release the communicator (``destroy_process_group``)."""

    def check_usable(self, name: str) -> None:
        if self.broken is not None:
            raise DistBackendError(
                f"{name}: the process group can no longer be used: {self.broken}"
            )

    def __repr__(self) -> str:
        return f"ProcessGroup(backend={self.backend!r}, rank={self.rank}, size={self.size})"


class Work:
    """A collective in flight, what ``async_op=True`` returns: ``wait()``, ``is_completed()``.

    ``then`` runs once the data has arrived (a division for ``AVG``, copies out of a gather
    buffer); ``keep`` holds the arrays the transfer reads or writes until then.
    """

    def __init__(
        self,
        group: ProcessGroup,
        name: str,
        then: Callable[[], Any] | None = None,
        keep: tuple = (),
    ) -> None:
        self.group, self.name = group, name
        self._then, self._keep = then, keep
        self._done = False

    def then_also(self, fn: Callable[[], Any]) -> None:
        """Run ``fn`` too once the data has arrived (after what is already planned)."""
        before = self._then
        self._then = fn if before is None else lambda: (before(), fn())

    def _test(self) -> bool:
        """Has the transfer finished? (Backends: also drives MPI's progress.)"""
        raise NotImplementedError

    def _block(self, timeout: timedelta) -> None:
        """Wait until ``_test()``; raise ``DistBackendError`` after ``timeout``."""
        wait_until(self._test, timeout, lambda: self._timeout_message(timeout))

    def is_completed(self) -> bool:
        """True once the result is in the tensors (never blocks)."""
        if not self._done and self._test():
            self._finish()
        return self._done

    def wait(self, timeout: timedelta | None = None) -> bool:
        """Block until the result is in the tensors, at most ``timeout`` (default: the process
        group's timeout); then return True. A timeout raises ``DistBackendError``."""
        if not self._done:
            limit = self.group.timeout if timeout is None else timeout
            if not isinstance(limit, timedelta):
                raise TypeError(f"Work.wait: timeout must be a datetime.timedelta, got {limit!r}")
            self._block(limit)
            self._finish()
        return True

    def is_success(self) -> bool:
        """True once completed without error (a failure raises instead)."""
        return self.is_completed()

    def _finish(self) -> None:
        self._done = True
        then, self._then, self._keep = self._then, None, ()
        if then is not None:
            then()

    def _timeout_message(self, timeout: timedelta) -> str:
        group = self.group
        group.broken = f"{self.name} timed out on rank {group.rank}"
        return (
            f"{self.name} did not complete within {timeout.total_seconds():g} s on rank "
            f"{group.rank} of {group.size} ({group.backend}): another rank failed, hangs, or "
            "called a different collective (every rank must call the same collectives in the "
            "same order)"
        )

    def __repr__(self) -> str:
        state = "completed" if self._done else "in flight"
        return f"<Work {self.name} on rank {self.group.rank}: {state}>"


def wait_until(test: Callable[[], bool], timeout: timedelta, message: Callable[[], str]) -> None:
    """Poll ``test`` until it is true: spin for the first millisecond (latency), then sleep
    between polls (a rank waiting for a slower one leaves it the CPU); ``DistBackendError``
    after ``timeout``. (Each ``test`` of an MPI request also moves the transfer on.)"""
    if test():
        return
    start = time.monotonic()
    deadline = start + timeout.total_seconds()
    while not test():
        now = time.monotonic()
        if now - start < SPIN_S:
            continue
        if now > deadline:
            raise DistBackendError(message())
        time.sleep(5e-5 if now - start < 0.01 else 1e-3)


SPIN_S = 1e-3
