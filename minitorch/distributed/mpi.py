"""The MPI backend: collectives through ``mpi4py`` on the arrays' own memory.

Arrays go to MPI as buffers (``comm.Iallreduce(MPI.IN_PLACE, x)``): no pickling and no copies
beyond what MPI itself does. Every collective is MPI's non-blocking form, so a blocking call is
the non-blocking one plus a wait bounded by the timeout. ``mpi4py`` is imported when the group
is created, never by ``import minitorch``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from minitorch.backend import dtypes, get_backend, numpy_backend
from minitorch.distributed.group import Array, DistBackendError, ProcessGroup, Work
from minitorch.distributed.reduce_op import ReduceOp

_BITWISE = {ReduceOp.BAND: "BAND", ReduceOp.BOR: "BOR", ReduceOp.BXOR: "BXOR"}
# bool tensors: sum is "any", product is "all", as PyTorch does for bool on every backend
_LOGICAL = {
    ReduceOp.SUM: "LOR",
    ReduceOp.MAX: "LOR",
    ReduceOp.BOR: "LOR",
    ReduceOp.PRODUCT: "LAND",
    ReduceOp.MIN: "LAND",
    ReduceOp.BAND: "LAND",
    ReduceOp.BXOR: "LXOR",
}
_ARITHMETIC = {
    ReduceOp.SUM: "SUM",
    ReduceOp.AVG: "SUM",
    ReduceOp.PRODUCT: "PROD",
    ReduceOp.MIN: "MIN",
    ReduceOp.MAX: "MAX",
}


def import_mpi() -> Any:
    """``mpi4py.MPI``, or an ImportError that says what to install."""
    try:
        from mpi4py import MPI
    except ImportError as error:
        raise ImportError(
            "minitorch.distributed backend 'mpi' needs mpi4py and an MPI library: "
            "pip install mpi4py mpich (or pip install '.[mpi]' in a clone of the repository)"
        ) from error
    return MPI


class MPIWork(Work):
    """An MPI request in flight; testing it is what moves the transfer on."""

    def __init__(self, group: ProcessGroup, name: str, request: Any, **kwargs: Any) -> None:
        super().__init__(group, name, **kwargs)
        self.request = request

    def _test(self) -> bool:
        return self.request.Test()


class MPIGroup(ProcessGroup):
    """The world of an MPI launch (``mpiexec -n N``): a duplicate of ``COMM_WORLD``, so that
    minitorch's traffic never matches a user's own MPI messages."""

    backend = "mpi"

    def __init__(self, timeout: timedelta) -> None:
        self.MPI = MPI = import_mpi()
        self.comm = MPI.COMM_WORLD.Dup()
        super().__init__(self.comm.Get_rank(), self.comm.Get_size(), timeout)

    def check_array(self, x: Array, name: str, arg: str) -> None:
        device = get_backend(x).device
        if device.type != "cpu":
            raise ValueError(
                f"{name}: backend 'mpi' works on CPU tensors, {arg} is on {device}; use "
                f"backend='nccl' for CUDA tensors, or pass {arg}.cpu()"
            )

    def _op(self, op: ReduceOp, x: Array, name: str) -> Any:
        if x.dtype == dtypes.bool:
            return getattr(self.MPI, _LOGICAL[op]) if op in _LOGICAL else self._bad(op, x, name)
        if op in _BITWISE:
            if x.dtype.kind not in "iu":
                raise TypeError(f"{name}: {op!r} needs an integer or bool tensor, got {x.dtype}")
            return getattr(self.MPI, _BITWISE[op])
        if op is ReduceOp.AVG and x.dtype.kind not in "fc":
            raise TypeError(f"{name}: ReduceOp.AVG needs a floating tensor, got {x.dtype}")
        return getattr(self.MPI, _ARITHMETIC[op])

    def _bad(self, op: ReduceOp, x: Array, name: str) -> Any:
        raise TypeError(f"{name}: {op!r} is not defined for {x.dtype} tensors")

    def _start(self, name: str, call: Any, *args: Any, **kwargs: Any) -> Any:
        self.check_usable(name)
        try:
            return call(*args, **kwargs)
        except self.MPI.Exception as error:
            raise DistBackendError(f"{name} failed on rank {self.rank}: {error}") from error
        except (TypeError, KeyError, ValueError) as error:  # a dtype MPI has no type for
            raise TypeError(f"{name}: MPI cannot send this array: {error}") from error

    def allreduce(self, x: Array, op: ReduceOp) -> Work:
        mpi_op = self._op(op, x, "all_reduce")
        request = self._start("all_reduce", self.comm.Iallreduce, self.MPI.IN_PLACE, x, mpi_op)
        then = _divider(x, self.size) if op is ReduceOp.AVG else None
        return MPIWork(self, "all_reduce", request, then=then, keep=(x,))

    def broadcast(self, x: Array, src: int) -> Work:
        request = self._start("broadcast", self.comm.Ibcast, x, root=src)
        return MPIWork(self, "broadcast", request, keep=(x,))

    def allgather(self, out: Array, x: Array) -> Work:
        request = self._start("all_gather", self.comm.Iallgather, x, out)
        return MPIWork(self, "all_gather", request, keep=(out, x))

    def reduce(self, x: Array, op: ReduceOp, dst: int) -> Work:
        mpi_op, root = self._op(op, x, "reduce"), self.rank == dst
        send, receive = (self.MPI.IN_PLACE, x) if root else (x, None)
        request = self._start("reduce", self.comm.Ireduce, send, receive, mpi_op, root=dst)
        then = _divider(x, self.size) if op is ReduceOp.AVG and root else None
        return MPIWork(self, "reduce", request, then=then, keep=(x,))

    def gather(self, x: Array, out: Array | None, dst: int) -> Work:
        request = self._start("gather", self.comm.Igather, x, out, root=dst)
        return MPIWork(self, "gather", request, keep=(x, out))

    def scatter(self, x: Array, chunks: Array | None, src: int) -> Work:
        request = self._start("scatter", self.comm.Iscatter, chunks, x, root=src)
        return MPIWork(self, "scatter", request, keep=(x, chunks))

    def barrier(self) -> Work:
        return MPIWork(self, "barrier", self._start("barrier", self.comm.Ibarrier))

    def abort(self, code: int = 1) -> None:
        self.comm.Abort(code)

    def destroy(self) -> None:
        if not self.MPI.Is_finalized() and self.comm != self.MPI.COMM_NULL:
            self.comm.Free()


def _divider(x: Array, size: int) -> Any:
    def divide() -> None:
        numpy_backend().xp.divide(x, size, out=x)

    return divide
