"""Started by ``python -m minitorch.distributed.run --nproc-per-node 2 launched.py ARGS``:
torchrun's variables are set, the arguments arrive, and the ranks can talk."""

import os
import sys

import minitorch as mt
import minitorch.distributed as dist

assert __name__ == "__main__"
rank, world = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
assert int(os.environ["LOCAL_RANK"]) == rank and os.environ["LOCAL_WORLD_SIZE"] == "2"
assert os.environ["OMP_NUM_THREADS"] == "1"
dist.init_process_group("mpi", rank=rank, world_size=world)  # torchrun style: they agree
t = mt.tensor([float(rank)])
dist.all_reduce(t)
print(f"rank {rank} of {world}: args {sys.argv[1:]} sum {t.item():g}")
