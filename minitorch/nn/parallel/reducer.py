"""The gradient reducer behind ``DistributedDataParallel``: buckets, hooks, all-reduces.

Parameters are grouped into buckets of about ``bucket_cap_mb`` in reverse order of
``parameters()`` (gradients arrive roughly in that order), each bucket one flat buffer.
A post-accumulate-grad hook on every parameter copies its finished gradient into its bucket's
buffer during backward; when a bucket is full it is divided by the world size and all-reduced
asynchronously, in bucket order on every rank (so the ranks issue the same collectives in the
same order). The hook that completes the last bucket waits for all of them and writes the
averaged gradients back into ``.grad`` (or makes ``.grad`` a view of the bucket with
``gradient_as_bucket_view``).
"""

from __future__ import annotations

from typing import Any

from minitorch.autograd import Tensor
from minitorch.backend import dtypes, get_backend
from minitorch.distributed import ProcessGroup, ReduceOp

FIRST_BUCKET_BYTES = 1024 * 1024  # PyTorch's: a small first bucket starts communication early
# (used with the default bucket_cap_mb; an explicit one applies to every bucket, as PyTorch)


def assign_buckets(params: list, cap_bytes: int, first_bytes: int = FIRST_BUCKET_BYTES) -> list:
    """Indices of ``params`` per bucket, as PyTorch: walk them in reverse, one open bucket per
    (dtype, device); a bucket closes once it holds ``first_bytes`` (the first) or
    ``cap_bytes`` (the others); buckets still open at the end follow."""
    open_buckets: dict = {}  # (dtype, device) -> [indices, bytes, number closed so far]
    closed = []
    for k in reversed(range(len(params))):
        p = params[k]
        entry = open_buckets.setdefault((str(p.dtype), str(p.device)), [[], 0, 0])
        entry[0].append(k)
        entry[1] += p.array.nbytes
        if entry[1] >= (first_bytes if entry[2] == 0 else cap_bytes):
            closed.append(entry[0])
            entry[:] = [[], 0, entry[2] + 1]
    return closed + [entry[0] for entry in open_buckets.values() if entry[0]]


class Bucket:
    """Parameters ``indices`` and one flat buffer holding all their gradients.

    Shape: buffer (sum of the parameters' numel,); ``views[i]`` is parameter i's (shape).
    """

    def __init__(self, params: list, indices: list) -> None:
        first = params[indices[0]].array
        sizes = [params[k].array.size for k in indices]
        self.indices = indices
        self.buffer = get_backend(first).xp.zeros_like(first, shape=(sum(sizes),))
        offsets = [0]
        for n in sizes:
            offsets.append(offsets[-1] + n)
        self.views = [
            self.buffer[offsets[i] : offsets[i + 1]].reshape(params[k].shape)
            for i, k in enumerate(indices)
        ]
        self.pending = len(indices)
        self.work: Any = None


class Reducer:
    """Averages the gradients of ``params`` over the ranks of ``group`` during backward."""

    def __init__(
        self,
        params: list,
        names: list,
        group: ProcessGroup,
        bucket_cap_bytes: int,
        first_bucket_bytes: int,
        find_unused: bool,
        as_view: bool,
        static_graph: bool,
    ) -> None:
        self.params, self.names, self.group = params, names, group
        self.find_unused, self.as_view, self.static_graph = find_unused, as_view, static_graph
        assignment = assign_buckets(params, bucket_cap_bytes, first_bucket_bytes)
        self.buckets = [Bucket(params, ks) for ks in assignment]
        self.where = {}  # parameter index -> (bucket, position in it)
        for b, bucket in enumerate(self.buckets):
            for i, k in enumerate(bucket.indices):
                self.where[k] = (b, i)
        self.index = {id(p): k for k, p in enumerate(params)}
        self.handles = [p.register_post_accumulate_grad_hook(self.hook) for p in params]
        self.armed = False  # a synced forward ran: this backward reduces
        self.ready: set[int] = set()  # parameters marked ready in this backward
        self.used: set[int] = set()  # parameters that got a gradient since the last reduction
        self.unused: list[int] = []  # parameters the forward's graph does not reach
        self.static_unused: list[int] | None = None
        self.unused_marked = False
        self.reduced = False  # this iteration's reduction is done (until the next forward)
        self.roots: list = []  # graph nodes of the synced forward's outputs, until reduced
        self.graph_alive = False  # could that forward's graph still be differentiated?
        self.next_bucket = 0

    # --- forward side -----------------------------------------------------------------------
    def prepare(self, outputs: Any) -> None:
        """Arm the hooks for the backward of a synced forward whose result is ``outputs``
        (``check_finished`` ran before that forward)."""
        self.armed, self.unused_marked, self.reduced, self.next_bucket = True, False, False, 0
        self.ready.clear()
        for bucket in self.buckets:
            bucket.pending = len(bucket.indices)
        self.roots = [t.grad_fn for t in tensors_in(outputs) if t.grad_fn is not None]
        if self.static_graph and self.static_unused is not None:
            self.unused = self.static_unused
        elif self.find_unused or self.static_graph:
            reached = reachable_leaves(outputs)
            self.unused = [k for k, p in enumerate(self.params) if id(p) not in reached]
            if self.static_graph:
                self.static_unused = self.unused

    def local_forward(self) -> None:
        """A forward that will not be reduced (``no_sync()``) ran: its backward is local."""
        self.reduced = False

    def check_finished(self) -> None:
        """Raise if the previous synced backward left gradients unreduced."""
        if not (self.armed and self.ready and self.next_bucket < len(self.buckets)):
            return
        missing = [self.names[k] for k in range(len(self.params)) if k not in self.ready]
        self.armed = False
        raise RuntimeError(
            "DistributedDataParallel: the previous backward pass did not reduce every "
            f"gradient: parameters that received no gradient on rank {self.group.rank}: "
            f"{', '.join(missing)}. If they are not used in forward, pass "
            "find_unused_parameters=True to DistributedDataParallel; otherwise make sure "
            "every output of forward takes part in the loss"
        )

    # --- backward side ----------------------------------------------------------------------
    def hook(self, param: Tensor) -> None:
        """Post-accumulate-grad hook: ``param.grad`` is final for this backward pass."""
        k = self.index[id(param)]
        self.used.add(k)
        if not self.armed:
            if self.reduced and self.graph_alive and k in self.ready:
                raise RuntimeError(
                    f"DistributedDataParallel: parameter {self.names[k]} received a gradient "
                    "after this iteration's gradients were averaged (a second backward through "
                    "the same forward?): the ranks' gradients would silently differ. Run a new "
                    "forward through DistributedDataParallel first (inside no_sync() for a "
                    "local-only pass), or do all the backward passes of one forward but the last "
                    "inside no_sync()"
                )
            return  # no_sync(): the gradients accumulate locally
        if not self.unused_marked:
            self.unused_marked = True
            for j in self.unused:
                self.mark_ready(j)
        self.mark_ready(k)
        for bucket in self.buckets[: self.next_bucket]:  # lets MPI move the transfers on
            if bucket.work is not None:
                bucket.work.is_completed()

    def mark_ready(self, k: int) -> None:
        if k in self.ready:
            raise RuntimeError(
                f"DistributedDataParallel: parameter {self.names[k]} received a gradient twice "
                "in one iteration (two backward passes through one forward, or a parameter "
                "marked unused that got a gradient); call backward once per forward, or run the "
                "extra passes inside no_sync()"
            )
        self.ready.add(k)
        b, i = self.where[k]
        bucket, grad = self.buckets[b], self.params[k].grad
        view = bucket.views[i]
        if grad is None:
            view[...] = 0
        elif grad.array is not view:
            view[...] = grad.array
        bucket.pending -= 1
        while self.next_bucket < len(self.buckets) and self.buckets[self.next_bucket].pending == 0:
            self.launch(self.buckets[self.next_bucket])
            self.next_bucket += 1
        if self.next_bucket == len(self.buckets):
            self.finish()

    def launch(self, bucket: Bucket) -> None:
        bucket.buffer /= self.group.size  # PyTorch divides first: the sum is then the mean
        bucket.work = self.group.allreduce(bucket.buffer, ReduceOp.SUM)

    def finish(self) -> None:
        """Wait for every bucket, then write the averages into the parameters' ``.grad``."""
        used_work, used = None, None
        if self.find_unused:  # which parameters got a gradient on some rank
            first = self.params[0].array
            flags = [1 if k in self.used else 0 for k in range(len(self.params))]
            used = get_backend(first).asarray(flags, dtype=dtypes.int32)
            used_work = self.group.allreduce(used, ReduceOp.MAX)
        for bucket in self.buckets:
            bucket.work.wait()
            bucket.work = None
        if used_work is not None:
            used_work.wait()
            used = get_backend(used).to_host(used)
        for bucket in self.buckets:
            for k, view in zip(bucket.indices, bucket.views):
                if used is not None and not used[k]:
                    continue  # unused on every rank: .grad stays as it was, as PyTorch
                self.write_back(self.params[k], view)
        self.armed, self.reduced = False, True
        self.used.clear()
        # retained (retain_graph=True) or not yet walked: a later hook may come from this graph
        self.graph_alive = any(not node.freed for node in self.roots)
        self.roots = []

    def write_back(self, param: Tensor, view: Any) -> None:
        grad = param.grad
        if self.as_view:
            if grad is None or grad.array is not view:
                param.grad = Tensor(view)
        elif grad is None:
            param.grad = Tensor(view.copy())
        else:
            grad.array[...] = view

    def remove(self) -> None:
        for handle in self.handles:
            handle.remove()


def reachable_leaves(outputs: Any) -> set[int]:
    """``id`` of every leaf tensor and layer parameter the graph of ``outputs`` reaches."""
    found: set[int] = set()
    seen: set[int] = set()
    stack = []
    for t in tensors_in(outputs):
        if t.grad_fn is not None:
            stack.append(t.grad_fn)
        elif t.requires_grad:
            found.add(id(t))
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        found.update(id(p) for p in node.params)
        for edge in node.inputs:
            if type(edge) is tuple:
                stack.append(edge[0])
            elif edge is not None:
                found.add(id(edge))
    return found


def tensors_in(obj: Any) -> list[Tensor]:
    """The Tensors in a forward's result: a Tensor, or lists, tuples and dicts of them."""
    if isinstance(obj, Tensor):
        return [obj]
    if isinstance(obj, dict):
        obj = list(obj.values())
    if isinstance(obj, (list, tuple)):
        return [t for item in obj for t in tensors_in(item)]
    return []
