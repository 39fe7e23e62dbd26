"""The default process group: ``init_process_group``, ``get_rank``, ``destroy_process_group`` ...

One group per process, as PyTorch's default ("world") group. ``init_process_group`` creates it
for a backend (importing ``mpi4py`` or CuPy only then), installs the failure handler
(``faults.py``) and registers ``destroy_process_group`` to run at exit.
"""

from __future__ import annotations

import atexit
import importlib.util
from datetime import timedelta
from typing import Any

from minitorch.backend import as_device
from minitorch.distributed import faults
from minitorch.distributed.group import ProcessGroup

DEFAULT_TIMEOUT = {"mpi": timedelta(minutes=30), "nccl": timedelta(minutes=10)}  # PyTorch's
_world: list[ProcessGroup] = []
_at_exit: list[bool] = []


class Backend(str):
    """Backend names, as ``dist.Backend``: ``Backend.MPI == "mpi"``, ``Backend.NCCL``."""

    MPI = "mpi"
    NCCL = "nccl"

    def __new__(cls, name: str) -> Backend:
        if not isinstance(name, str):
            raise TypeError(f"Backend name must be a string, got {type(name).__name__}")
        value = name.lower()
        if value not in (cls.MPI, cls.NCCL):
            hint = " (gloo is not included: use 'mpi' on CPUs)" if value == "gloo" else ""
            raise ValueError(
                f"Invalid backend: {name!r}; minitorch.distributed has 'mpi' (CPU tensors, "
                f"through mpi4py) and 'nccl' (CUDA tensors, through CuPy){hint}"
            )
        return super().__new__(cls, value)


def is_mpi_available() -> bool:
    """True when ``mpi4py`` is installed (checked without importing it)."""
    return importlib.util.find_spec("mpi4py") is not None


def is_nccl_available() -> bool:
    """True when CuPy is installed (whether it has NCCL and a GPU shows at init)."""
    return importlib.util.find_spec("cupy") is not None


def is_available() -> bool:
    """True when some backend's library is installed (``mpi4py`` or CuPy)."""
    return is_mpi_available() or is_nccl_available()


def is_initialized() -> bool:
    return bool(_world)


def init_process_group(
    backend: str | None = None,
    init_method: str | None = None,
    timeout: timedelta | None = None,
    world_size: int = -1,
    rank: int = -1,
    device_id: Any = None,
) -> None:
    """Join the job's ranks into the default process group.

    ``backend="mpi"`` (the default): rank and world size come from the MPI launcher
    (``mpiexec -n 4 python train.py``; a plain ``python train.py`` is a world of one);
    ``world_size``/``rank``, if given, must agree with it; ``init_method`` is not used (MPI
    does the rendezvous, as in PyTorch's MPI backend).
    ``backend="nccl"``: CUDA tensors; ``rank``/``world_size`` default to the launcher's
    (``RANK``/``WORLD_SIZE``, or MPI's); the ranks meet over MPI when MPI launched them, else
    through ``init_method`` (``tcp://HOST:PORT``, ``file:///PATH``, ``env://``). The GPU is
    ``device_id`` (an index or ``"cuda:N"``), else the current CuPy device.
    ``timeout`` (a ``timedelta``; default 30 min for mpi, 10 min for nccl, as PyTorch) bounds
    every wait: past it the waiting rank raises (or, for NCCL, the job is aborted).
    """
    if _world:
        raise ValueError("trying to initialize the default process group twice!")
    name = Backend(backend if backend is not None else Backend.MPI)
    if timeout is None:
        timeout = DEFAULT_TIMEOUT[name]
    if not isinstance(timeout, timedelta):
        raise TypeError(
            f"init_process_group: expected timeout to be a datetime.timedelta, got "
            f"{type(timeout).__name__}"
        )
    for arg, value in (("world_size", world_size), ("rank", rank)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"init_process_group: {arg} must be an int, got {value!r}")
    group = (
        _mpi_group(timeout, world_size, rank, device_id)
        if name == Backend.MPI
        else (_nccl_group(timeout, world_size, rank, init_method, device_id))
    )
    _world.append(group)
    faults.install(group)
    if not _at_exit:
        atexit.register(_destroy_at_exit)
        _at_exit.append(True)


def _mpi_group(timeout: timedelta, world_size: int, rank: int, device_id: Any) -> ProcessGroup:
    from minitorch.distributed.mpi import MPIGroup

    if device_id is not None and _device(device_id).type != "cpu":
        raise ValueError(
            f"init_process_group: backend 'mpi' works on CPU tensors, got device_id="
            f"{device_id!r}; use backend='nccl' for CUDA tensors"
        )
    group = MPIGroup(timeout)
    for arg, value, actual in (("world_size", world_size, group.size), ("rank", rank, group.rank)):
        if value not in (-1, actual):
            group.destroy()
            raise ValueError(
                f"init_process_group: {arg}={value} disagrees with the MPI launch, where this "
                f"process has {arg} {actual} (for backend 'mpi' they come from mpiexec)"
            )
    return group


def _nccl_group(
    timeout: timedelta, world_size: int, rank: int, init_method: str | None, device_id: Any
) -> ProcessGroup:
    from minitorch.distributed import rendezvous
    from minitorch.distributed.nccl import NCCLGroup, import_nccl

    launched = rendezvous.launcher_env() or {}
    rank = launched.get("rank", -1) if rank == -1 else rank
    world_size = launched.get("world_size", -1) if world_size == -1 else world_size
    if rank < 0 or world_size < 1 or rank >= world_size:
        raise ValueError(
            f"init_process_group('nccl'): need 0 <= rank < world_size, got rank={rank}, "
            f"world_size={world_size}: pass them, or launch with mpiexec / python -m "
            "minitorch.distributed.run (which set RANK and WORLD_SIZE)"
        )
    if device_id is None:
        cupy, nccl = import_nccl()
        index = cupy.cuda.runtime.getDevice()
    else:
        dev = _device(device_id)
        if dev.type != "cuda":
            raise ValueError(
                f"init_process_group('nccl'): device_id must be a CUDA device, got {device_id!r}"
            )
        cupy, nccl = import_nccl()
        index = dev.index or 0
    unique_id = nccl.get_unique_id() if rank == 0 else None
    unique_id = rendezvous.share_unique_id(unique_id, rank, world_size, init_method, timeout)
    return NCCLGroup(rank, world_size, timeout, index, unique_id)


def _device(device_id: Any) -> Any:
    """``device_id`` as a device: an int is a GPU index, as in PyTorch."""
    is_index = isinstance(device_id, int) and not isinstance(device_id, bool)
    return as_device(f"cuda:{device_id}" if is_index else device_id)


def default_group(name: str, group: Any = None) -> ProcessGroup:
    """The default group (``group`` None or that group), or a clear error."""
    if not _world:
        raise ValueError(
            f"{name}: Default process group has not been initialized, please make sure to "
            "call init_process_group."
        )
    if group is not None and group is not _world[0]:
        raise ValueError(
            f"{name}: only the default process group is supported (group=None); new_group is "
            "not implemented"
        )
    return _world[0]


def get_rank(group: Any = None) -> int:
    """This process's rank in the group, ``0 .. world_size - 1``."""
    return default_group("get_rank", group).rank


def get_world_size(group: Any = None) -> int:
    return default_group("get_world_size", group).size


def get_backend(group: Any = None) -> Backend:
    """``"mpi"`` or ``"nccl"``."""
    return Backend(default_group("get_backend", group).backend)


def destroy_process_group(group: Any = None) -> None:
    """Release the default group (after which ``init_process_group`` may be called again)."""
    pg = default_group("destroy_process_group", group)
    _world.clear()
    faults.uninstall()
    pg.destroy()


def _destroy_at_exit() -> None:
    if _world:
        destroy_process_group()
