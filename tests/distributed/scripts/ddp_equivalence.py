"""Rank program: DDP over 2 ranks x batch 32 == one process x batch 64, step for step.

    mpiexec -n 2 python ddp_equivalence.py CONFIG...

Each CONFIG is ``float32`` or ``float64``, optionally with ``+no_sync`` (each step as 2
micro-batches, the first inside ``no_sync()``), ``+view`` (gradient_as_bucket_view) and
``+small`` (1 kB buckets: several buckets). Every rank also trains the single-process
reference on the whole batch, in the same process, from the same initial weights, and compares
the parameters after 20 SGD-momentum steps: 1e-6 in float32, 1e-12 in float64.
"""

import sys

import numpy as np

import minitorch as mt
import minitorch.distributed as dist
from minitorch import nn, optim

STEPS, BATCH = 20, 64

dist.init_process_group("mpi")
rank, world = dist.get_rank(), dist.get_world_size()
share = BATCH // world
loss_fn = nn.CrossEntropyLoss()


def build(dtype) -> nn.Module:
    mt.manual_seed(0)
    return nn.Sequential(
        nn.Linear(20, 32), nn.Tanh(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 5)
    ).to(dtype)


def run(config: str) -> float:
    name, *options = config.split("+")
    dtype = getattr(mt, name)
    rng = np.random.default_rng(1)
    X = mt.tensor(rng.standard_normal((STEPS, BATCH, 20)), dtype=dtype)
    Y = mt.tensor(rng.integers(0, 5, (STEPS, BATCH)))
    reference = build(dtype)
    ref_opt = optim.SGD(reference.parameters(), lr=0.1, momentum=0.9)
    model = nn.parallel.DistributedDataParallel(
        build(dtype),
        bucket_cap_mb=0.001 if "small" in options else None,
        gradient_as_bucket_view="view" in options,
    )
    if "small" in options:
        assert len(model.reducer.buckets) > 1
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for step in range(STEPS):
        ref_opt.zero_grad()
        loss_fn(reference(X[step]), Y[step]).backward()
        ref_opt.step()

        opt.zero_grad()
        mine = slice(rank * share, (rank + 1) * share)
        x, y = X[step, mine], Y[step, mine]
        if "no_sync" in options:  # two micro-batches, the first without communication
            half = share // 2
            with model.no_sync():
                (loss_fn(model(x[:half]), y[:half]) / 2).backward()
            (loss_fn(model(x[half:]), y[half:]) / 2).backward()
        else:
            loss_fn(model(x), y).backward()
        opt.step()
    worst = 0.0
    for p, q in zip(model.module.parameters(), reference.parameters()):
        assert p.dtype == dtype and p.grad.dtype == dtype, (p.dtype, p.grad.dtype)
        worst = max(worst, float(np.abs(p.array - q.array).max()))
    return worst


failed = False
for config in sys.argv[1:]:
    worst = run(config)
    tolerance = 1e-6 if config.startswith("float32") else 1e-12
    verdict = "ok" if worst <= tolerance else f"FAILED (> {tolerance})"
    print(
        f"rank {rank}: {config}: worst parameter difference {worst:.3g} after {STEPS} steps: "
        f"{verdict}"
    )
    failed |= worst > tolerance
sys.exit(1 if failed else 0)
