"""Rank program: every collective and every reduce op against a NumPy reference.

    mpiexec -n 2 (or 3) python collectives.py

Rank r's data is drawn from seed r, so every rank can compute what all ranks hold and
therefore the exact expected result. Any mismatch raises (and the job aborts non-zero).
"""

import numpy as np

import minitorch as mt
import minitorch.distributed as dist
from minitorch.distributed import ReduceOp

dist.init_process_group("mpi")
rank, world = dist.get_rank(), dist.get_world_size()
checked = []


def data(r: int, dtype: str, shape=(3, 4)) -> np.ndarray:
    rng = np.random.default_rng(r)
    if dtype == "bool":
        return rng.random(shape) < 0.5
    if dtype.startswith("int"):
        return rng.integers(1, 6, shape).astype(dtype)
    return (rng.random(shape) + 0.5).astype(dtype)


def same(got, want, what: str) -> None:
    got = got.array if isinstance(got, mt.Tensor) else got
    assert got.dtype == want.dtype, f"{what}: dtype {got.dtype}, expected {want.dtype}"
    if want.dtype.kind == "f":
        np.testing.assert_allclose(got, want, rtol=1e-6 if want.dtype == np.float32 else 1e-12)
    else:
        np.testing.assert_array_equal(got, want, err_msg=what)
    checked.append(what)


REFERENCE = {
    ReduceOp.SUM: lambda a: a.sum(0, dtype=a.dtype) if a.dtype != bool else a.any(0),
    ReduceOp.AVG: lambda a: a.sum(0, dtype=a.dtype) / a.dtype.type(len(a)),
    ReduceOp.PRODUCT: lambda a: a.prod(0, dtype=a.dtype) if a.dtype != bool else a.all(0),
    ReduceOp.MIN: lambda a: a.min(0),
    ReduceOp.MAX: lambda a: a.max(0),
    ReduceOp.BAND: lambda a: np.bitwise_and.reduce(a, 0),
    ReduceOp.BOR: lambda a: np.bitwise_or.reduce(a, 0),
    ReduceOp.BXOR: lambda a: np.bitwise_xor.reduce(a, 0),
}
CASES = [
    (op, dt)
    for op in (ReduceOp.SUM, ReduceOp.AVG, ReduceOp.PRODUCT, ReduceOp.MIN, ReduceOp.MAX)
    for dt in ("float32", "float64")
]
CASES += [(op, "int64") for op in (ReduceOp.SUM, ReduceOp.PRODUCT, ReduceOp.MIN, ReduceOp.MAX)]
CASES += [
    (op, dt) for op in (ReduceOp.BAND, ReduceOp.BOR, ReduceOp.BXOR) for dt in ("int32", "bool")
]
CASES += [(op, "bool") for op in (ReduceOp.SUM, ReduceOp.PRODUCT, ReduceOp.MIN, ReduceOp.MAX)]

for op, dt in CASES:
    everyone = np.stack([data(r, dt) for r in range(world)])
    want = REFERENCE[op](everyone)
    t = mt.tensor(data(rank, dt))
    dist.all_reduce(t, op=op)
    same(t, want, f"all_reduce {op} {dt}")
    t = mt.tensor(data(rank, dt))
    work = dist.all_reduce(t, op=op, async_op=True)
    assert work.wait() is True and work.is_completed()
    same(t, want, f"all_reduce async {op} {dt}")
    dst = world - 1
    t = mt.tensor(data(rank, dt))
    dist.reduce(t, dst=dst, op=op)
    same(t, want if rank == dst else data(rank, dt), f"reduce {op} {dt}")

for src in range(world):
    t = mt.tensor(data(rank, "float32", (5,)))
    dist.broadcast(t, src=src)
    same(t, data(src, "float32", (5,)), f"broadcast from {src}")
t = mt.tensor(data(rank, "int64"))
work = dist.broadcast(t, group_src=1, async_op=True)
while not work.is_completed():  # polling drives MPI to the end too
    pass
same(t, data(1, "int64"), "broadcast async")

x = mt.tensor(data(rank, "float64", (2, 3)))
gathered = [mt.zeros((2, 3), dtype=mt.float64) for _ in range(world)]
dist.all_gather(gathered, x)
for r, g in enumerate(gathered):
    same(g, data(r, "float64", (2, 3)), f"all_gather row {r}")
out = mt.zeros((world * 2, 3), dtype=mt.float64)
dist.all_gather_into_tensor(out, x)
same(out, np.concatenate([data(r, "float64", (2, 3)) for r in range(world)]), "into_tensor")
out = mt.zeros((world, 2, 3), dtype=mt.float64)
dist.all_gather_into_tensor(out, x, async_op=True).wait()
same(out, np.stack([data(r, "float64", (2, 3)) for r in range(world)]), "into_tensor stacked")

dst = world - 1
x = mt.tensor(data(rank, "int32", (4,)))
if rank == dst:
    parts = [mt.zeros(4, dtype=mt.int32) for _ in range(world)]
    dist.gather(x, parts, dst=dst)
    for r, g in enumerate(parts):
        same(g, data(r, "int32", (4,)), f"gather row {r}")
else:
    dist.gather(x, dst=dst)
    same(x, data(rank, "int32", (4,)), "gather leaves the input")
x = mt.tensor(data(rank, "float32", (4,)))
dist.gather(x, [mt.zeros(4) for _ in range(world)] if rank == 0 else None)  # dst defaults to 0

src = world - 1
t = mt.zeros(4)
chunks = [mt.tensor(data(10 + r, "float32", (4,))) for r in range(world)] if rank == src else None
dist.scatter(t, chunks, src=src, async_op=True).wait()
same(t, data(10 + rank, "float32", (4,)), "scatter")

scalar = mt.tensor(np.array(rank + 1.0))
dist.all_reduce(scalar)
same(scalar, np.array(world * (world + 1) / 2), "0-d all_reduce")
dist.barrier()
assert dist.barrier(async_op=True).wait()

# bad arguments raise the same error on every rank before anything is sent
for call, error, match in [
    (lambda: dist.all_reduce(np.ones(3)), TypeError, "must be a Tensor"),
    (lambda: dist.all_reduce(mt.ones(3), op="mean"), TypeError, "op must be one of"),
    (lambda: dist.all_reduce(mt.ones((4, 4)).T), ValueError, "contiguous"),
    (lambda: dist.all_reduce(mt.ones(3, dtype=mt.int64), op=ReduceOp.AVG), TypeError, "float"),
    (lambda: dist.all_reduce(mt.ones(3), op=ReduceOp.BAND), TypeError, "integer or bool"),
    (lambda: dist.broadcast(mt.ones(3)), ValueError, "src"),
    (lambda: dist.broadcast(mt.ones(3), src=world), ValueError, "must be a rank in"),
    (lambda: dist.broadcast(mt.ones(3), src=0, group_src=0), ValueError, "not both"),
    (lambda: dist.all_gather([mt.ones(3)], mt.ones(3)), ValueError, "world_size"),
    (lambda: dist.all_gather([mt.ones(2)] * world, mt.ones(3)), ValueError, r"\(2,\)"),
    (lambda: dist.all_gather_into_tensor(mt.ones(3), mt.ones(3)), ValueError, "world_size"),
    (
        lambda: dist.gather(mt.ones(3), [mt.ones(3)] * world, dst=(rank + 1) % world),
        ValueError,
        "non-destination",
    ),
    (lambda: dist.all_reduce(mt.ones(3), group=object()), ValueError, "default process group"),
    (lambda: dist.barrier(device_ids=[0]), ValueError, "device_ids"),
    (lambda: dist.init_process_group("mpi"), ValueError, "twice"),
]:
    try:
        call()
    except error as e:
        import re

        assert re.search(match, str(e)), (match, str(e))
    else:
        raise AssertionError(f"no {error.__name__} matching {match!r}")
    checked.append(f"error {match}")

dist.all_reduce(mt.ones(1))  # the group still works after the argument errors
print(f"rank {rank} of {world}: {len(checked)} checks passed")
dist.destroy_process_group()
assert not dist.is_initialized()
