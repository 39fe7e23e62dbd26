"""The NCCL backend: collectives on CuPy arrays through ``cupy.cuda.nccl``, on the current stream.

Each collective is enqueued on the current CUDA stream with the arrays' device pointers, in
place; the host does not wait (as PyTorch's NCCL backend). ``Work.wait()`` makes the current
stream wait for the collective; ``barrier()`` blocks the host. A watchdog thread watches the
collectives in flight: one that is not done within the timeout (or an asynchronous NCCL error)
prints which rank and collective, aborts the communicator and ends the job.
CuPy is imported when the group is created, never by ``import minitorch``.
"""

from __future__ import annotations

import collections
import os
import sys
import threading
import time
from datetime import timedelta
from typing import Any

from minitorch.backend import get_backend
from minitorch.distributed.group import Array, ProcessGroup, Work, wait_until
from minitorch.distributed.reduce_op import ReduceOp

CUPY_HINT = (
    "backend 'nccl' needs CuPy built with NCCL and a GPU: pip install cupy-cuda12x (CUDA 12.x) "
    "or cupy-cuda13x (CUDA 13.x); for CPU tensors use backend='mpi'"
)

NCCL_DTYPES = {
    "int8": "NCCL_INT8",
    "uint8": "NCCL_UINT8",
    "int32": "NCCL_INT32",
    "uint32": "NCCL_UINT32",
    "int64": "NCCL_INT64",
    "uint64": "NCCL_UINT64",
    "float16": "NCCL_FLOAT16",
    "float32": "NCCL_FLOAT32",
    "float64": "NCCL_FLOAT64",
    "bool": "NCCL_UINT8",
}
NCCL_OPS = {
    ReduceOp.SUM: "NCCL_SUM",
    ReduceOp.PRODUCT: "NCCL_PROD",
    ReduceOp.MIN: "NCCL_MIN",
    ReduceOp.MAX: "NCCL_MAX",
    ReduceOp.AVG: "NCCL_AVG",
}
BOOL_OPS = {ReduceOp.SUM: ReduceOp.MAX, ReduceOp.PRODUCT: ReduceOp.MIN}  # any / all, as PyTorch


def import_nccl() -> tuple[Any, Any]:
    """``(cupy, cupy.cuda.nccl)``, or an ImportError that says what to install."""
    try:
        import cupy
        from cupy.cuda import nccl
    except ImportError as error:
        raise ImportError(f"init_process_group: {CUPY_HINT}") from error
    if not getattr(nccl, "available", False):
        raise ImportError(f"init_process_group: this CuPy has no NCCL; {CUPY_HINT}")
    return cupy, nccl


def nccl_dtype(nccl: Any, dtype: Any, name: str) -> int:
    """NCCL's code for ``dtype`` (bool travels as uint8); TypeError for the others."""
    code = NCCL_DTYPES.get(str(dtype))
    if code is None:
        supported = ", ".join(NCCL_DTYPES)
        raise TypeError(f"{name}: NCCL cannot reduce {dtype} tensors (supported: {supported})")
    return getattr(nccl, code)


def nccl_op(nccl: Any, op: ReduceOp, dtype: Any, version: int, name: str) -> tuple[int, bool]:
    """``(NCCL op code, divide afterwards)``: the op, with bool's SUM/PRODUCT as MAX/MIN and
    AVG as SUM plus a division where NCCL is older than 2.10 (which brought ncclAvg)."""
    if str(dtype) == "bool":
        if op is ReduceOp.AVG:
            raise TypeError(f"{name}: ReduceOp.AVG is not defined for bool tensors")
        op = BOOL_OPS.get(op, op)
    if op not in NCCL_OPS:
        raise TypeError(f"{name}: NCCL has no {op!r} (it offers SUM, AVG, PRODUCT, MIN, MAX)")
    if op is ReduceOp.AVG and version < 21000:
        if str(dtype)[0] not in "f":
            raise TypeError(f"{name}: ReduceOp.AVG on {dtype} needs NCCL >= 2.10")
        return nccl.NCCL_SUM, True
    return getattr(nccl, NCCL_OPS[op]), False


class NCCLWork(Work):
    """A collective enqueued on a stream, marked by the CUDA event recorded after it."""

    def __init__(self, group: NCCLGroup, name: str, event: Any, keep: tuple = ()) -> None:
        super().__init__(group, name, keep=keep)
        self.event = event
        self.started = time.monotonic()

    def _test(self) -> bool:
        return self.event.done

    def wait(self, timeout: timedelta | None = None) -> bool:
        """Make the current stream wait for the collective; the host does not block, unless
        ``timeout`` is given: then it waits for the collective itself, at most that long
        (without it, the watchdog applies the group's timeout)."""
        if not self._done:
            if timeout is not None:
                if not isinstance(timeout, timedelta):
                    raise TypeError(f"Work.wait: timeout must be a timedelta, got {timeout!r}")
                self._block(timeout)
            self.group.cupy.cuda.get_current_stream().wait_event(self.event)
            self._finish()
        return True


class NCCLGroup(ProcessGroup):
    """One NCCL communicator; this process drives GPU ``device_index``."""

    backend = "nccl"

    def __init__(
        self, rank: int, size: int, timeout: timedelta, device_index: int, unique_id: tuple
    ) -> None:
        super().__init__(rank, size, timeout)
        self.cupy, self.nccl = import_nccl()
        self.device_index = device_index
        with self.cupy.cuda.Device(device_index):
            self.comm = self.nccl.NcclCommunicator(size, unique_id, rank)
        self.version = self.nccl.get_version()
        self.watchdog = Watchdog(self)
        self.watchdog.start()

    # --- helpers --------------------------------------------------------------------------
    def check_array(self, x: Array, name: str, arg: str) -> None:
        device = get_backend(x).device
        if device.type != "cuda" or device.index != self.device_index:
            raise ValueError(
                f"{name}: this rank's NCCL group drives cuda:{self.device_index}, {arg} is on "
                f"{device}; move it there (.to('cuda:{self.device_index}'))"
            )

    def _buffer(self, x: Array, name: str) -> tuple[int, int, int]:
        """``(device pointer, count, NCCL dtype)`` of ``x``, which must live on our GPU."""
        self.check_array(x, name, "tensor")
        return x.data.ptr, x.size, nccl_dtype(self.nccl, x.dtype, name)

    def _run(self, name: str, enqueue: Any, keep: tuple) -> NCCLWork:
        """Enqueue the NCCL calls of ``enqueue(stream_ptr)`` on the current stream."""
        self.check_usable(name)
        with self.cupy.cuda.Device(self.device_index):
            stream = self.cupy.cuda.get_current_stream()
            enqueue(stream.ptr)
            event = self.cupy.cuda.Event(disable_timing=True)
            event.record(stream)
        work = NCCLWork(self, name, event, keep)
        self.watchdog.watch(work)
        return work

    def _grouped(self, calls: Any) -> Any:
        def enqueue(stream: int) -> None:
            self.nccl.groupStart()
            try:
                calls(stream)
            finally:
                self.nccl.groupEnd()

        return enqueue

    # --- the collectives ------------------------------------------------------------------
    def allreduce(self, x: Array, op: ReduceOp) -> Work:
        ptr, n, dt = self._buffer(x, "all_reduce")
        code, divide = nccl_op(self.nccl, op, x.dtype, self.version, "all_reduce")

        def enqueue(stream: int) -> None:
            self.comm.allReduce(ptr, ptr, n, dt, code, stream)
            if divide:
                x[...] /= self.size  # a CuPy kernel on the same (current) stream

        return self._run("all_reduce", enqueue, (x,))

    def broadcast(self, x: Array, src: int) -> Work:
        ptr, n, dt = self._buffer(x, "broadcast")
        return self._run("broadcast", lambda s: self.comm.broadcast(ptr, ptr, n, dt, src, s), (x,))

    def allgather(self, out: Array, x: Array) -> Work:
        ptr, n, dt = self._buffer(x, "all_gather")
        out_ptr = self._buffer(out, "all_gather")[0]
        return self._run(
            "all_gather", lambda s: self.comm.allGather(ptr, out_ptr, n, dt, s), (out, x)
        )

    def reduce(self, x: Array, op: ReduceOp, dst: int) -> Work:
        ptr, n, dt = self._buffer(x, "reduce")
        code, divide = nccl_op(self.nccl, op, x.dtype, self.version, "reduce")

        def enqueue(stream: int) -> None:
            self.comm.reduce(ptr, ptr, n, dt, code, dst, stream)
            if divide and self.rank == dst:
                x[...] /= self.size

        return self._run("reduce", enqueue, (x,))

    def gather(self, x: Array, out: Array | None, dst: int) -> Work:
        ptr, n, dt = self._buffer(x, "gather")

        def calls(stream: int) -> None:
            if self.rank != dst:
                self.comm.send(ptr, n, dt, dst, stream)
                return
            for r in range(self.size):
                if r == dst:
                    out[r][...] = x
                else:
                    self.comm.recv(self._buffer(out[r], "gather")[0], n, dt, r, stream)

        return self._run("gather", self._grouped(calls), (x, out))

    def scatter(self, x: Array, chunks: Array | None, src: int) -> Work:
        ptr, n, dt = self._buffer(x, "scatter")

        def calls(stream: int) -> None:
            if self.rank != src:
                self.comm.recv(ptr, n, dt, src, stream)
                return
            for r in range(self.size):
                if r == src:
                    x[...] = chunks[r]
                else:
                    self.comm.send(self._buffer(chunks[r], "scatter")[0], n, dt, r, stream)

        return self._run("scatter", self._grouped(calls), (x, chunks))

    def barrier(self) -> Work:
        """An all-reduce of one number, then the host waits for it (bounded by the timeout)."""
        with self.cupy.cuda.Device(self.device_index):
            token = self.cupy.zeros(1, dtype=self.cupy.int32)
        work = self.allreduce(token, ReduceOp.SUM)
        wait_until(work._test, self.timeout, lambda: work._timeout_message(self.timeout))
        return work

    # --- life cycle -----------------------------------------------------------------------
    def abort(self, code: int = 1) -> None:
        """Abort the communicator, then the MPI job if MPI launched us, then this process."""
        try:
            self.comm.abort()
        finally:
            mpi = sys.modules.get("mpi4py.MPI")
            if mpi is not None and mpi.Is_initialized() and not mpi.Is_finalized():
                mpi.COMM_WORLD.Abort(code)
            os._exit(code)

    def destroy(self) -> None:
        self.watchdog.stop()
        self.watchdog.join(timeout=5)  # it must not touch the communicator while it goes
        self.comm.destroy()


class Watchdog(threading.Thread):
    """Checks the oldest collective in flight every 0.1 s; past the timeout (or on an
    asynchronous NCCL error) it reports the rank and the collective and aborts the job."""

    def __init__(self, group: NCCLGroup) -> None:
        super().__init__(name="minitorch-nccl-watchdog", daemon=True)
        self.group = group
        self.pending: collections.deque = collections.deque()
        self.stopped = threading.Event()

    def watch(self, work: NCCLWork) -> None:
        self.pending.append(work)

    def stop(self) -> None:
        self.stopped.set()

    def run(self) -> None:
        self.group.cupy.cuda.Device(self.group.device_index).use()  # this thread's GPU too
        group, limit = self.group, self.group.timeout.total_seconds()
        while not self.stopped.wait(0.1):
            while self.pending and self.pending[0].event.done:
                self.pending.popleft()
            problem = None
            if self.pending and time.monotonic() - self.pending[0].started > limit:
                problem = self.pending[0]._timeout_message(group.timeout)
            elif group.version >= 2400:  # ncclCommGetAsyncError came with NCCL 2.4
                try:
                    group.comm.check_async_error()
                except group.nccl.NcclError as error:  # a peer died, a network failure
                    problem = f"NCCL reported an error: {error}"
            if problem is not None and not self.stopped.is_set():
                sys.stderr.write(
                    f"minitorch.distributed: rank {group.rank}: {problem}; aborting the job\n"
                )
                sys.stderr.flush()
                group.abort(1)
