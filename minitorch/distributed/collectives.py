"""The collectives on Tensors, in place, as ``torch.distributed``: checks, then the backend.

Every function works on the default process group (``group=None``). With ``async_op=True`` it
returns a ``Work`` whose ``wait()`` must be called before the result is read; otherwise it
returns None once the result is in the tensors. Every rank must call the same collectives in
the same order, with tensors of the same shape and dtype. None of them is differentiable.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Sequence

from minitorch.autograd import Tensor
from minitorch.backend import get_backend
from minitorch.distributed.group import Array, ProcessGroup, Work
from minitorch.distributed.reduce_op import ReduceOp, as_reduce_op
from minitorch.distributed.state import default_group


def all_reduce(
    tensor: Tensor, op: Any = ReduceOp.SUM, group: Any = None, async_op: bool = False
) -> Work | None:
    """Every rank's ``tensor`` becomes ``op`` over all ranks' ``tensor`` (elementwise).

    Shape: tensor (*), the same on every rank; overwritten in place.
    """
    pg = default_group("all_reduce", group)
    x = _array(pg, tensor, "all_reduce")
    return _done(pg.allreduce(x, as_reduce_op(op, "all_reduce")), async_op)


def broadcast(
    tensor: Tensor,
    src: int | None = None,
    group: Any = None,
    async_op: bool = False,
    group_src: int | None = None,
) -> Work | None:
    """Every rank's ``tensor`` becomes rank ``src``'s.

    Shape: tensor (*), the same on every rank; overwritten in place.
    """
    pg = default_group("broadcast", group)
    root = _root(pg, "broadcast", "src", src, group_src)
    return _done(pg.broadcast(_array(pg, tensor, "broadcast"), root), async_op)


def reduce(
    tensor: Tensor,
    dst: int | None = None,
    op: Any = ReduceOp.SUM,
    group: Any = None,
    async_op: bool = False,
    group_dst: int | None = None,
) -> Work | None:
    """Rank ``dst``'s ``tensor`` becomes ``op`` over all ranks' (the others keep theirs).

    Shape: tensor (*), the same on every rank; overwritten in place on ``dst``.
    """
    pg = default_group("reduce", group)
    root = _root(pg, "reduce", "dst", dst, group_dst)
    x = _array(pg, tensor, "reduce")
    return _done(pg.reduce(x, as_reduce_op(op, "reduce"), root), async_op)


def all_gather(
    tensor_list: Sequence[Tensor], tensor: Tensor, group: Any = None, async_op: bool = False
) -> Work | None:
    """``tensor_list[r]`` becomes rank ``r``'s ``tensor``, on every rank.

    Shape: tensor (*) -> tensor_list: world_size tensors (*), filled in place.
    """
    pg = default_group("all_gather", group)
    x = _array(pg, tensor, "all_gather")
    targets = _tensor_list(pg, tensor_list, x, "all_gather", "tensor_list")
    out = _stacked_like(x, pg.size)
    return _done(pg.allgather(out, x), async_op, then=_copier(out, targets))


def all_gather_into_tensor(
    output_tensor: Tensor, input_tensor: Tensor, group: Any = None, async_op: bool = False
) -> Work | None:
    """The ranks' ``input_tensor`` one after the other in ``output_tensor`` (no copy).

    Shape: input (N, *) -> output (world_size * N, *) or (world_size, N, *).
    """
    pg = default_group("all_gather_into_tensor", group)
    x = _array(pg, input_tensor, "all_gather_into_tensor", "input_tensor")
    out = _array(pg, output_tensor, "all_gather_into_tensor", "output_tensor")
    if out.size != pg.size * x.size or out.dtype != x.dtype:
        raise ValueError(
            f"all_gather_into_tensor: output_tensor must hold world_size ({pg.size}) x the "
            f"input {tuple(x.shape)} {x.dtype}, got {tuple(out.shape)} {out.dtype}"
        )
    return _done(pg.allgather(out.reshape((pg.size, *x.shape)), x), async_op)


def gather(
    tensor: Tensor,
    gather_list: Sequence[Tensor] | None = None,
    dst: int | None = None,
    group: Any = None,
    async_op: bool = False,
    group_dst: int | None = None,
) -> Work | None:
    """On rank ``dst``, ``gather_list[r]`` becomes rank ``r``'s ``tensor`` (dst defaults to 0;
    other ranks pass no ``gather_list``).

    Shape: tensor (*) -> gather_list on dst: world_size tensors (*), filled in place.
    """
    pg = default_group("gather", group)
    root = _root(pg, "gather", "dst", dst, group_dst, default=0)
    x = _array(pg, tensor, "gather")
    if pg.rank != root:
        _not_here(gather_list, "gather_list", "destination")
        return _done(pg.gather(x, None, root), async_op)
    targets = _tensor_list(pg, gather_list, x, "gather", "gather_list")
    out = _stacked_like(x, pg.size)
    return _done(pg.gather(x, out, root), async_op, then=_copier(out, targets))


def scatter(
    tensor: Tensor,
    scatter_list: Sequence[Tensor] | None = None,
    src: int | None = None,
    group: Any = None,
    async_op: bool = False,
    group_src: int | None = None,
) -> Work | None:
    """Rank ``r``'s ``tensor`` becomes ``scatter_list[r]`` of rank ``src`` (default 0; other
    ranks pass no ``scatter_list``).

    Shape: scatter_list on src: world_size tensors (*) -> tensor (*), overwritten in place.
    """
    pg = default_group("scatter", group)
    root = _root(pg, "scatter", "src", src, group_src, default=0)
    x = _array(pg, tensor, "scatter")
    if pg.rank != root:
        _not_here(scatter_list, "scatter_list", "source")
        return _done(pg.scatter(x, None, root), async_op)
    sources = _tensor_list(pg, scatter_list, x, "scatter", "scatter_list")
    chunks = get_backend(x).xp.stack(sources)  # MPI and NCCL read one buffer: one copy
    return _done(pg.scatter(x, chunks, root), async_op)


def barrier(
    group: Any = None,
    async_op: bool = False,
    device_ids: Any = None,
    timeout: timedelta | None = None,
) -> Work | None:
    """Wait until every rank has reached this call (at most ``timeout``, default the
    group's). ``device_ids`` (NCCL only) must name this rank's GPU if given."""
    pg = default_group("barrier", group)
    if device_ids is not None:
        index = getattr(pg, "device_index", None)
        if index is None or list(device_ids) != [index]:
            raise ValueError(
                f"barrier: device_ids={device_ids!r} must be None, or [this rank's GPU] with "
                f"backend 'nccl' (this group: {pg.backend}"
                + ("" if index is None else f", cuda:{index}")
                + ")"
            )
    work = pg.barrier()
    if async_op:
        return work
    work.wait(timeout)
    return None


# --- argument checks --------------------------------------------------------------------------
def _array(pg: ProcessGroup, tensor: Any, name: str, arg: str = "tensor") -> Array:
    """The raw array of ``tensor``, checked: a contiguous Tensor on this group's device."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"{name}: {arg} must be a Tensor, got {type(tensor).__name__}")
    x = tensor.array
    if not x.flags.c_contiguous:
        raise ValueError(f"{name}: {arg} must be contiguous; pass {arg}.contiguous()")
    pg.check_array(x, name, arg)
    return x


def _tensor_list(pg: ProcessGroup, tensors: Any, x: Array, name: str, arg: str) -> list:
    """The arrays of ``tensors``: world_size Tensors shaped and typed like ``x``."""
    if not isinstance(tensors, (list, tuple)) or len(tensors) != pg.size:
        got = f"{len(tensors)} tensors" if isinstance(tensors, (list, tuple)) else repr(tensors)
        raise ValueError(
            f"{name}: {arg} must be a list of world_size ({pg.size}) tensors, got {got}"
        )
    arrays = [_array(pg, t, name, f"{arg}[{i}]") for i, t in enumerate(tensors)]
    for i, a in enumerate(arrays):
        if a.shape != x.shape or a.dtype != x.dtype:
            raise ValueError(
                f"{name}: {arg}[{i}] is {tuple(a.shape)} {a.dtype}, expected "
                f"{tuple(x.shape)} {x.dtype} like the tensor"
            )
    return arrays


def _root(
    pg: ProcessGroup,
    name: str,
    arg: str,
    rank: int | None,
    group_rank: int | None,
    default: int | None = None,
) -> int:
    """``src``/``dst`` (or its ``group_`` form: the same for the default group), checked."""
    if rank is not None and group_rank is not None:
        raise ValueError(f"{name}: give {arg} or group_{arg}, not both")
    root = rank if rank is not None else group_rank if group_rank is not None else default
    if root is None:
        raise ValueError(f"{name}: {arg} (the rank to use as the root) is required")
    if isinstance(root, bool) or not isinstance(root, int) or not 0 <= root < pg.size:
        raise ValueError(f"{name}: {arg} must be a rank in [0, {pg.size - 1}], got {root!r}")
    return root


def _not_here(tensors: Any, arg: str, role: str) -> None:
    if tensors:
        raise ValueError(f"Argument {arg} must NOT be specified on non-{role} ranks.")


def _stacked_like(x: Array, size: int) -> Array:
    return get_backend(x).xp.empty_like(x, shape=(size, *x.shape))


def _copier(out: Array, targets: list) -> Any:
    def copy() -> None:
        for target, row in zip(targets, out):
            target[...] = row

    return copy


def _done(work: Work, async_op: bool, then: Any = None) -> Work | None:
    if then is not None:
        work.then_also(then)
    if async_op:
        return work
    work.wait()
    return None
