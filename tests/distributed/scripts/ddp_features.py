"""Rank program: what DistributedDataParallel does besides averaging (2 ranks).

    mpiexec -n 2 python ddp_features.py

Construction broadcasts rank 0's state, buffers follow rank 0 before each training forward,
unused parameters (with and without find_unused_parameters), gradient_as_bucket_view, one
collective per bucket launched during backward, state_dict keys, kwargs and dict outputs,
and the errors: shape mismatch, a parameter that got no gradient, a double backward.
"""

import re

import numpy as np

import minitorch as mt
import minitorch.distributed as dist
from minitorch import nn
from minitorch.nn.parallel import DistributedDataParallel as DDP  # noqa: N817 (PyTorch users write DDP)

dist.init_process_group("mpi")
rank, world = dist.get_rank(), dist.get_world_size()
assert world == 2
group = model = None


def raises(error, match, call):
    try:
        call()
    except error as e:
        assert re.search(match, str(e)), (match, str(e))
        return str(e)
    raise AssertionError(f"no {error.__name__} matching {match!r}")


def mean_over_ranks(array):
    t = mt.tensor(array.copy())
    dist.all_reduce(t, op=dist.ReduceOp.AVG)
    return t.array


class Net(nn.Module):
    def __init__(self, width=6):
        super().__init__()
        self.fc1, self.fc2, self.spare = nn.Linear(4, width), nn.Linear(width, 3), nn.Linear(4, 3)
        self.norm = nn.BatchNorm1d(width)

    def forward(self, x, use_spare=False, scale=1.0):
        h = self.norm(self.fc1(x)).relu()
        out = {"logits": self.fc2(h) * scale}
        if use_spare:
            out["logits"] = out["logits"] + self.spare(x)
        return out


# --- construction: rank 0's parameters and buffers everywhere; state_dict keys ---------------
mt.manual_seed(rank)  # different weights on each rank before DDP
net = Net()
net.norm.running_mean.array[...] = rank + 5.0
model = DDP(net, find_unused_parameters=True)
for name, p in net.named_parameters():
    assert np.array_equal(p.array, mean_over_ranks(p.array)), f"{name} not broadcast"
assert np.all(net.norm.running_mean.array == 5.0)
assert list(model.state_dict()) == ["module." + k for k in net.state_dict()]
assert model.module is net and "DistributedDataParallel" in repr(model)

# --- find_unused_parameters: rank 1 uses `spare`, rank 0 does not ---------------------------
x = mt.tensor(np.random.default_rng(rank).standard_normal((8, 4)), dtype=mt.float32)
out = model(x, use_spare=(rank == 1), scale=2.0)  # kwargs pass through, dict output
out["logits"].sum().backward()
local = {n: p.grad.array.copy() if p.grad is not None else None for n, p in net.named_parameters()}
spare = net.spare.weight.grad
assert spare is not None  # locally unused, used on rank 1: gets the mean (half rank 1's)
both = [mt.zeros((3, 4)) for _ in range(world)]
dist.all_gather(both, spare)
assert np.array_equal(both[0].array, both[1].array)
net.norm.running_mean.array[...] = 100.0 + rank  # buffers drift apart during training ...
model(x)  # ... and the next forward broadcasts rank 0's
assert np.all(net.norm.running_mean.array != 100.0 + 1)
model.zero_grad()
model(x)["logits"].sum().backward()  # nobody uses `spare`: its grad stays None, as PyTorch
assert net.spare.weight.grad is None and net.fc1.weight.grad is not None

# --- without find_unused_parameters: the next forward names the parameter -------------------
mt.manual_seed(0)
strict = DDP(Net())
strict(x)["logits"].sum().backward()  # `spare` gets no gradient: the reduction never finishes
message = raises(RuntimeError, "spare.weight", lambda: strict(x))
assert "find_unused_parameters=True" in message and "fc1.weight" not in message

# --- averaging, one collective per bucket, launched during backward -------------------------
mt.manual_seed(0)
net = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))
model = DDP(net, bucket_cap_mb=0.01)  # 10 kB buckets: fc3 + fc2 (closed by fc2.weight), fc1
assert [len(b.indices) for b in model.reducer.buckets] == [4, 2]
launches, real_allreduce = [], model.process_group.allreduce


def counting_allreduce(x, op):
    ready = sum(p.grad is not None for p in net.parameters())
    launches.append((x.size, ready))
    return real_allreduce(x, op)


model.process_group.allreduce = counting_allreduce
(model(x) ** 2).mean().backward()
assert [size for size, _ in launches] == [3 + 3 * 64 + 64 + 64 * 64, 64 + 64 * 4], launches
assert launches[0][1] == 4, "the first bucket should start while fc1's gradients are pending"
model.process_group.allreduce = real_allreduce
averaged = {name: p.grad.array.copy() for name, p in net.named_parameters()}
net.zero_grad()
(net(x) ** 2).mean().backward()  # the plain module: no communication, the local gradient
for name, p in net.named_parameters():
    np.testing.assert_allclose(
        averaged[name], mean_over_ranks(p.grad.array), rtol=1e-6, atol=1e-7, err_msg=name
    )

# --- gradient_as_bucket_view: .grad is a view into the bucket, accumulation lands in it ------
mt.manual_seed(0)
model = DDP(nn.Linear(4, 3), gradient_as_bucket_view=True)
model(x).sum().backward()
buffer = model.reducer.buckets[0].buffer
for p in model.parameters():
    assert np.shares_memory(p.grad.array, buffer)
first = model.module.weight.grad.array.copy()  # the mean over ranks of the local gradient
model.zero_grad(set_to_none=False)
with model.no_sync():
    model(x).sum().backward()  # accumulates into the bucket, no communication
local = model.module.weight.grad.array.copy()
assert np.shares_memory(model.module.weight.grad.array, buffer)
assert not np.allclose(local, first)  # each rank has other data: local is not the mean yet
np.testing.assert_allclose(mean_over_ranks(local), first, rtol=1e-6)
model(x).sum().backward()  # synced: reduces the accumulated sum of both backward passes
np.testing.assert_allclose(model.module.weight.grad.array, 2 * first, rtol=1e-6)


# --- two backward passes in one iteration: disjoint parameters are fine, shared ones not ----
class TwoHeads(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk, self.a, self.b = nn.Linear(4, 4), nn.Linear(4, 1), nn.Linear(4, 1)

    def forward(self, x):
        h = self.trunk(x)
        return self.a(h), self.b(h)


mt.manual_seed(0)
model = DDP(TwoHeads())
a, b = model(x)
a.sum().backward(retain_graph=True)  # trunk and head a are ready, head b is pending
raises(RuntimeError, "trunk.weight received a gradient", lambda: b.sum().backward())
mt.manual_seed(0)
model = DDP(nn.ModuleDict({"a": nn.Linear(4, 1), "b": nn.Linear(4, 1)}))
model.module.forward = lambda x: (model.module["a"](x), model.module["b"](x))
a, b = model(x)
a.sum().backward()
assert model.reducer.next_bucket == 0  # the one bucket still waits for head b
b.sum().backward()  # completes it: both heads averaged
for p in model.parameters():
    local = x.array.sum(0) if p.ndim == 2 else np.array([len(x)], dtype=np.float32)
    np.testing.assert_allclose(p.grad.array.reshape(-1), mean_over_ranks(local), rtol=1e-6)

# --- parameter shapes that differ between ranks ---------------------------------------------
mine, theirs = f"({6 + rank}, 4) on rank {rank}", f"({7 - rank}, 4) on rank {1 - rank}"
raises(
    ValueError,
    re.escape(f"'fc1.weight' has shape {mine} but {theirs}"),
    lambda: DDP(Net(width=6 + rank)),
)
raises(
    ValueError,
    "rank 0 has 2 parameters, rank 1 has 4|rank 1 has 4 parameters, rank 0 has 2",
    lambda: DDP(nn.Linear(2, 2) if rank == 0 else nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2))),
)
raises(ValueError, "device_ids", lambda: DDP(nn.Linear(2, 2), device_ids=[0]))
raises(RuntimeError, "doesn't have any parameter", lambda: DDP(nn.ReLU()))
raises(TypeError, "nn.Module", lambda: DDP(lambda x: x))
raises(ValueError, "bucket_cap_mb", lambda: DDP(nn.Linear(2, 2), bucket_cap_mb=0))
print(f"rank {rank}: DistributedDataParallel features passed")
