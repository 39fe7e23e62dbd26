"""Who am I, and how do the ranks meet: launcher variables, and sharing NCCL's unique id.

``launcher_env()`` reads the rank and world size that the launcher set: torchrun's names
(``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``, ``LOCAL_WORLD_SIZE``), then MPICH/Hydra's (``PMI_*``,
``MPI_LOCALRANKID``), Open MPI's (``OMPI_COMM_WORLD_*``) and Slurm's (``SLURM_*``).

NCCL needs rank 0's unique id (128 bytes) on every rank before the communicator exists.
``share_unique_id`` sends it over MPI when MPI launched the job, else through the store that
``init_method`` names: ``file:///path`` (a file every rank can read; it must not exist yet, as
with PyTorch's FileStore) or ``tcp://host:port`` / ``env://`` (``MASTER_ADDR``, ``MASTER_PORT``):
rank 0 listens, the others connect. Only those 128 bytes travel this way.
"""

from __future__ import annotations

import os
import socket
import time
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

from minitorch.distributed.group import DistStoreError

ID_BYTES = 128
_SOURCES = (  # (rank, size, local rank, local size) variables of each launcher
    ("RANK", "WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE"),
    ("PMI_RANK", "PMI_SIZE", "MPI_LOCALRANKID", "MPI_LOCALNRANKS"),
    (
        "OMPI_COMM_WORLD_RANK",
        "OMPI_COMM_WORLD_SIZE",
        "OMPI_COMM_WORLD_LOCAL_RANK",
        "OMPI_COMM_WORLD_LOCAL_SIZE",
    ),
    ("SLURM_PROCID", "SLURM_NTASKS", "SLURM_LOCALID", "SLURM_NTASKS_PER_NODE"),
)
MPI_LAUNCH_VARS = ("PMI_RANK", "OMPI_COMM_WORLD_RANK", "PMIX_RANK")


def launcher_env(environ: Any = None) -> dict[str, int] | None:
    """``{"rank", "world_size", "local_rank", "local_world_size"}`` from the first launcher
    whose variables are set, or None outside any launcher (local values default to 0 and 1)."""
    env = os.environ if environ is None else environ
    for rank, size, local, local_size in _SOURCES:
        if rank in env and size in env:
            local_count = env.get(local_size, "1").split("(")[0]  # Slurm writes "4(x2)"
            return {
                "rank": int(env[rank]),
                "world_size": int(env[size]),
                "local_rank": int(env.get(local, 0)),
                "local_world_size": int(local_count),
            }
    return None


def launched_by_mpi(environ: Any = None) -> bool:
    env = os.environ if environ is None else environ
    return any(name in env for name in MPI_LAUNCH_VARS)


def encode_id(unique_id: tuple) -> bytes:
    """NCCL's id (a tuple of 128 signed chars, as CuPy returns it) as bytes, and back."""
    return bytes(b & 0xFF for b in unique_id)


def decode_id(data: bytes) -> tuple:
    return tuple(b - 256 if b > 127 else b for b in data)


def share_unique_id(
    unique_id: tuple | None,
    rank: int,
    world_size: int,
    init_method: str | None,
    timeout: timedelta,
) -> tuple:
    """Rank 0's ``unique_id`` on every rank (the others pass None)."""
    method = init_method or "env://"
    url = urlparse(method)
    if url.scheme == "env" and not ("MASTER_ADDR" in os.environ and "MASTER_PORT" in os.environ):
        if not launched_by_mpi():
            raise ValueError(
                "init_process_group('nccl'): the ranks have no way to meet: launch them with "
                "mpiexec or python -m minitorch.distributed.run, or pass "
                "init_method='tcp://HOST:PORT' or 'file:///shared/path', or set MASTER_ADDR "
                "and MASTER_PORT"
            )
        from minitorch.distributed.mpi import import_mpi

        data = import_mpi().COMM_WORLD.bcast(None if rank else encode_id(unique_id), root=0)
        return decode_id(data)
    if url.scheme == "env":
        host, port = os.environ["MASTER_ADDR"], int(os.environ["MASTER_PORT"])
        return decode_id(
            tcp_share(encode_id(unique_id) if rank == 0 else None, host, port, world_size, timeout)
        )
    if url.scheme == "tcp":
        if url.hostname is None or url.port is None:
            raise ValueError(f"init_method {method!r}: expected tcp://HOST:PORT")
        return decode_id(
            tcp_share(
                encode_id(unique_id) if rank == 0 else None,
                url.hostname,
                url.port,
                world_size,
                timeout,
            )
        )
    if url.scheme == "file":
        path = url.path if not url.netloc else f"//{url.netloc}{url.path}"
        return decode_id(file_share(encode_id(unique_id) if rank == 0 else None, path, timeout))
    raise ValueError(
        f"init_method {method!r}: expected 'env://', 'tcp://HOST:PORT' or 'file:///PATH'"
    )


def file_share(data: bytes | None, path: str, timeout: timedelta) -> bytes:
    """Rank 0 (``data`` given) writes ``path`` atomically; the others wait for it and read."""
    if data is not None:
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "wb") as f:
            f.write(data)
        os.replace(temporary, path)
        return data
    deadline = time.monotonic() + timeout.total_seconds()
    while True:
        try:
            with open(path, "rb") as f:
                found = f.read()
            if len(found) == ID_BYTES:
                return found
        except FileNotFoundError:
            pass
        if time.monotonic() > deadline:
            raise DistStoreError(
                f"init_method file://{path}: rank 0 did not write it within "
                f"{timeout.total_seconds():g} s (is the path on a file system every rank sees?)"
            )
        time.sleep(0.05)


def tcp_share(
    data: bytes | None, host: str, port: int, world_size: int, timeout: timedelta
) -> bytes:
    """Rank 0 (``data`` given) serves ``data`` to the ``world_size - 1`` others on ``port``;
    they connect to ``host:port`` (retrying while rank 0 starts) and read it."""
    deadline = time.monotonic() + timeout.total_seconds()
    if data is not None:
        with socket.create_server(("", port)) as srv:
            for served in range(world_size - 1):
                srv.settimeout(max(deadline - time.monotonic(), 0.001))
                try:
                    conn, _ = srv.accept()
                except TimeoutError as error:
                    raise DistStoreError(
                        f"init_method tcp://{host}:{port}: only {served} of {world_size - 1} "
                        f"ranks connected within {timeout.total_seconds():g} s"
                    ) from error
                with conn:
                    conn.sendall(data)
        return data
    while True:
        try:
            with socket.create_connection((host, port), timeout=5) as conn:
                return _receive(conn, ID_BYTES)
        except OSError as error:
            if time.monotonic() > deadline:
                raise DistStoreError(
                    f"init_method tcp://{host}:{port}: cannot reach rank 0 within "
                    f"{timeout.total_seconds():g} s ({error})"
                ) from error
            time.sleep(0.1)


def _receive(conn: socket.socket, n: int) -> bytes:
    chunks, got = [], 0
    while got < n:
        chunk = conn.recv(n - got)
        if not chunk:
            raise ConnectionError(f"the store closed after {got} of {n} bytes")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)
