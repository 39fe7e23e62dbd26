"""Process groups and collectives, as ``torch.distributed``: MPI on CPUs, NCCL on GPUs.

``import minitorch.distributed as dist``; ``dist.init_process_group("mpi")`` under
``mpiexec -n 4 python train.py`` (or ``python -m minitorch.distributed.run --nproc-per-node 4
train.py``); then ``dist.all_reduce(t)``, ``dist.broadcast(t, src=0)`` ... on Tensors, in place.
minitorch has no network layer of its own: the MPI backend runs on ``mpi4py``, the NCCL one on
``cupy.cuda.nccl``, each imported only when its process group is created.
"""

from minitorch.distributed.collectives import (
    all_gather,
    all_gather_into_tensor,
    all_reduce,
    barrier,
    broadcast,
    gather,
    reduce,
    scatter,
)
from minitorch.distributed.group import (
    DistBackendError,
    DistError,
    DistStoreError,
    ProcessGroup,
    Work,
)
from minitorch.distributed.reduce_op import ReduceOp
from minitorch.distributed.state import (
    Backend,
    destroy_process_group,
    get_backend,
    get_rank,
    get_world_size,
    init_process_group,
    is_available,
    is_initialized,
    is_mpi_available,
    is_nccl_available,
)

__all__ = [
    "Backend",
    "DistBackendError",
    "DistError",
    "DistStoreError",
    "ProcessGroup",
    "ReduceOp",
    "Work",
    "all_gather",
    "all_gather_into_tensor",
    "all_reduce",
    "barrier",
    "broadcast",
    "destroy_process_group",
    "gather",
    "get_backend",
    "get_rank",
    "get_world_size",
    "init_process_group",
    "is_available",
    "is_initialized",
    "is_mpi_available",
    "is_nccl_available",
    "reduce",
    "scatter",
]
