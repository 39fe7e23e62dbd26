"""Rank program: rank 1 fails (raises, or hangs) while rank 0 waits in an all_reduce.

    mpiexec -n 2 python failing_rank.py raise|hang TIMEOUT_S

``raise``: the failure handler prints "rank 1 failed: ..." and aborts the job at once.
``hang``: rank 0's wait times out after TIMEOUT_S and it aborts the job, naming itself.
Either way mpiexec returns non-zero long before rank 1's sleep would end.
"""

import sys
import time
from datetime import timedelta

import minitorch as mt
import minitorch.distributed as dist

mode, limit = sys.argv[1], float(sys.argv[2])
dist.init_process_group("mpi", timeout=timedelta(seconds=limit))
if dist.get_rank() == 1:
    if mode == "raise":
        raise ValueError("rank one broke on purpose")
    time.sleep(60)
dist.all_reduce(mt.ones(3))
print("unreachable: the all_reduce completed")
