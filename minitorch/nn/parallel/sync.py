"""Making the ranks' modules agree: compare parameter shapes, broadcast tensors coalesced."""

from __future__ import annotations

from typing import Any

from minitorch.backend import dtypes, get_backend
from minitorch.distributed import ProcessGroup

DTYPES = ("float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool")


def verify_shapes(named: list, group: ProcessGroup) -> None:
    """Raise on every rank unless all ranks hold parameters of the same shapes and dtypes.

    Each rank describes its parameters in one small int64 array (``ndim, *shape, dtype``
    per parameter); the ranks all-gather the lengths, then the arrays (padded to the longest).
    """
    meta = []
    for _, p in named:
        meta += [p.ndim, *p.shape, _dtype_code(p.dtype)]
    backend = get_backend(named[0][1].array)
    lengths = [int(row[0]) for row in _allgather(backend, [len(meta)], group)]
    rows = _allgather(backend, meta + [-1] * (max(lengths) - len(meta)), group)
    mine = _decode(meta)
    for rank, (row, n) in enumerate(zip(rows, lengths)):
        theirs = _decode(row[:n])
        if theirs != mine:
            raise ValueError(
                "DistributedDataParallel: the ranks' models differ, "
                + _difference(named, mine, theirs, group.rank, rank)
                + ": build the same model on every rank"
            )


def _allgather(backend: Any, values: list, group: ProcessGroup) -> Any:
    x = backend.asarray(values, dtype=dtypes.int64)
    out = backend.xp.empty_like(x, shape=(group.size, x.size))
    group.allgather(out, x).wait()
    return backend.to_host(out)


def _dtype_code(dtype: Any) -> int:
    name = str(dtype)
    return DTYPES.index(name) if name in DTYPES else len(DTYPES)


def _decode(row: Any) -> list[tuple]:
    """``[(shape, dtype number), ...]`` back from the flat description."""
    row, out, i = [int(v) for v in row], [], 0
    while i < len(row):
        ndim = row[i]
        out.append((tuple(row[i + 1 : i + 1 + ndim]), row[i + 1 + ndim]))
        i += ndim + 2
    return out


def _difference(named: list, mine: list, theirs: list, me: int, rank: int) -> str:
    if len(theirs) != len(mine):
        return f"rank {me} has {len(mine)} parameters, rank {rank} has {len(theirs)}"
    k = next(k for k, (a, b) in enumerate(zip(mine, theirs)) if a != b)
    (shape, kind), (other_shape, other_kind) = mine[k], theirs[k]
    what = (
        f"shape {shape} on rank {me} but {other_shape} on rank {rank}"
        if shape != other_shape
        else f"dtype {_name(kind)} on rank {me} but {_name(other_kind)} on rank {rank}"
    )
    return f"parameter {named[k][0]!r} has {what}"


def _name(code: int) -> str:
    return DTYPES[code] if code < len(DTYPES) else "another dtype"


def broadcast_coalesced(tensors: list, group: ProcessGroup, src: int = 0) -> None:
    """Overwrite every rank's ``tensors`` with rank ``src``'s: one broadcast of one flat
    buffer per dtype instead of one per tensor."""
    by_dtype: dict = {}
    for t in tensors:
        by_dtype.setdefault(str(t.dtype), []).append(t.array)
    for arrays in by_dtype.values():
        xp = get_backend(arrays[0]).xp
        flat = xp.concatenate([a.reshape(-1) for a in arrays])
        group.broadcast(flat, src).wait()
        if group.rank == src:
            continue
        offset = 0
        for a in arrays:
            a[...] = flat[offset : offset + a.size].reshape(a.shape)
            offset += a.size
