"""A plain ``python single_rank.py`` (no mpiexec): backend 'mpi' is then a world of one.

The collectives leave the tensors as they are, DDP trains exactly like the bare module, the
sampler defaults to the whole dataset, and no failure handler is installed for one rank.
"""

import sys

import numpy as np

import minitorch as mt
import minitorch.distributed as dist
from minitorch import nn, optim
from minitorch.data.distributed import DistributedSampler

assert "mpi4py" not in sys.modules  # nothing imported it before the process group
dist.init_process_group("mpi")
assert "mpi4py.MPI" in sys.modules and dist.is_initialized()
assert (dist.get_rank(), dist.get_world_size(), dist.get_backend()) == (0, 1, "mpi")
assert sys.excepthook is sys.__excepthook__  # one rank: no abort handler needed

t = mt.tensor([1.0, 2.0])
for op in dist.ReduceOp:
    if op not in (dist.ReduceOp.BAND, dist.ReduceOp.BOR, dist.ReduceOp.BXOR):
        dist.all_reduce(t, op=op)
assert t.tolist() == [1.0, 2.0]
out = [mt.zeros(2)]
dist.all_gather(out, t)
assert out[0].tolist() == [1.0, 2.0]
assert list(DistributedSampler(range(5), shuffle=False)) == [0, 1, 2, 3, 4]


def build():
    mt.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))


x, y = mt.randn(8, 3), mt.randn(8, 2)
plain, wrapped = build(), nn.parallel.DistributedDataParallel(build())
for model in (plain, wrapped):
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for _ in range(5):
        opt.zero_grad()
        nn.functional.mse_loss(model(x), y).backward()
        opt.step()
for p, q in zip(plain.parameters(), wrapped.module.parameters()):
    np.testing.assert_array_equal(p.array, q.array)
dist.destroy_process_group()
try:
    dist.get_rank()
except ValueError as e:
    assert "init_process_group" in str(e)
dist.init_process_group("mpi")  # again, after a destroy
print("single rank ok")
