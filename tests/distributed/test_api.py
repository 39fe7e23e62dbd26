"""minitorch.distributed in this process, without a process group: the checks, the errors,
the pieces that need no second rank (waits, buckets, graph walks), and a world of one."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from datetime import timedelta

import pytest

import minitorch as mt
import minitorch.distributed as dist
from minitorch import nn
from minitorch.distributed import ReduceOp
from minitorch.distributed.group import DistBackendError, ProcessGroup, Work, wait_until
from minitorch.distributed.reduce_op import as_reduce_op
from minitorch.nn.parallel.reducer import assign_buckets, reachable_leaves, tensors_in
from tests.distributed.launch import HAVE_MPI, child_env, output, run_python


def test_import_stays_light():
    code = (
        "import sys, minitorch, minitorch.distributed, minitorch.nn, minitorch.utils.data\n"
        "import minitorch.nn.parallel, minitorch.data.distributed\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('mpi4py', 'cupy', 'torch')]\n"
        "assert not heavy, heavy\n"
        "assert minitorch.nn.parallel.DistributedDataParallel is "
        "minitorch.nn.parallel.distributed.DistributedDataParallel\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=child_env()
    )
    assert result.returncode == 0, result.stderr


def test_nothing_works_before_init_process_group():
    assert not dist.is_initialized()
    calls = [
        dist.get_rank,
        dist.get_world_size,
        dist.get_backend,
        dist.barrier,
        dist.destroy_process_group,
        lambda: dist.all_reduce(mt.ones(2)),
        lambda: nn.parallel.DistributedDataParallel(nn.Linear(2, 2)),
    ]
    for call in calls:
        with pytest.raises(ValueError, match="init_process_group"):
            call()


def test_init_checks_its_arguments_before_touching_a_backend():
    with pytest.raises(ValueError, match="Invalid backend: 'gloo'.*use 'mpi' on CPUs"):
        dist.init_process_group("gloo")
    with pytest.raises(ValueError, match="Invalid backend"):
        dist.init_process_group("tcp")
    with pytest.raises(TypeError, match="timedelta"):
        dist.init_process_group("mpi", timeout=30)
    with pytest.raises(TypeError, match="world_size must be an int"):
        dist.init_process_group("mpi", world_size=2.0)
    assert not dist.is_initialized()
    assert dist.Backend("MPI") == "mpi" and dist.Backend.NCCL == "nccl"
    has_mpi4py = importlib.util.find_spec("mpi4py") is not None
    assert isinstance(dist.is_available(), bool) and dist.is_mpi_available() == has_mpi4py


def test_nccl_init_without_a_rank_or_without_cupy_says_what_is_missing(monkeypatch):
    for name in (
        "RANK",
        "WORLD_SIZE",
        "PMI_RANK",
        "PMI_SIZE",
        "OMPI_COMM_WORLD_RANK",
        "SLURM_PROCID",
    ):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ValueError, match="need 0 <= rank < world_size, got rank=-1"):
        dist.init_process_group("nccl")
    with pytest.raises(ValueError, match="rank=2, world_size=2"):
        dist.init_process_group("nccl", rank=2, world_size=2)
    if not dist.is_nccl_available():
        with pytest.raises(ImportError, match=r"pip install cupy-cuda12x"):
            dist.init_process_group("nccl", rank=0, world_size=1)
    with pytest.raises(ValueError, match="CUDA tensors"):
        dist.init_process_group("mpi", device_id="cuda:0")
    assert not dist.is_initialized()


def test_reduce_op_names():
    assert as_reduce_op("sum", "f") is ReduceOp.SUM and as_reduce_op(ReduceOp.AVG, "f")
    assert repr(ReduceOp.PRODUCT) == "ReduceOp.PRODUCT"
    with pytest.raises(TypeError, match="all_reduce: op must be one of ReduceOp.SUM"):
        as_reduce_op(0, "all_reduce")


class Pending(Work):
    """A Work whose transfer finishes after ``polls`` tests."""

    def __init__(self, polls: int, **kwargs) -> None:
        super().__init__(ProcessGroup(0, 2, timedelta(seconds=0.2)), "all_reduce", **kwargs)
        self.polls = polls

    def _test(self) -> bool:
        self.polls -= 1
        return self.polls < 0


def test_work_runs_its_completions_once_in_order_and_times_out():
    seen = []
    work = Pending(3, then=lambda: seen.append("divide"))
    work.then_also(lambda: seen.append("copy out"))
    assert not work.is_completed() and seen == []
    assert work.wait() is True and work.wait() is True and work.is_completed()
    assert seen == ["divide", "copy out"]
    stuck = Pending(10**12)
    with pytest.raises(DistBackendError, match="did not complete within 0.2 s on rank 0 of 2"):
        stuck.wait()
    assert stuck.group.broken is not None  # the group refuses further work
    with pytest.raises(DistBackendError, match="can no longer be used"):
        stuck.group.check_usable("broadcast")
    with pytest.raises(TypeError, match="timedelta"):
        Pending(1).wait(timeout=5)
    with pytest.raises(DistBackendError, match="custom message"):
        wait_until(lambda: False, timedelta(seconds=0.01), lambda: "custom message")


def _params(*sizes, dtype=mt.float32):
    return [nn.Parameter(mt.zeros(n, dtype=dtype)) for n in sizes]


def test_buckets_follow_pytorch_reverse_order_and_caps():
    # float32: 4 bytes each; cap 400 B = 100 numbers, first bucket 40 numbers
    params = _params(30, 30, 50, 60, 10, 5)
    assert assign_buckets(params, 400, 160) == [[5, 4, 3], [2, 1, 0]]
    assert assign_buckets(params, 400, 400) == [[5, 4, 3, 2], [1, 0]]
    assert assign_buckets(params, 10**9, 10**9) == [[5, 4, 3, 2, 1, 0]]
    mixed = _params(10, 10) + _params(10, dtype=mt.float64) + _params(10)
    assert assign_buckets(mixed, 10**9, 10**9) == [[3, 1, 0], [2]]  # one bucket per dtype


def test_the_graph_walk_finds_layer_parameters_and_leaves():
    used, spare = nn.Linear(3, 2), nn.Linear(3, 2)
    w = mt.ones(2, requires_grad=True)
    x = mt.randn(4, 3)
    out = {"y": used(x) * w, "aux": [x, 3]}
    found = reachable_leaves(out)
    assert {id(used.weight), id(used.bias), id(w)} <= found
    assert id(spare.weight) not in found and id(x) not in found
    assert [t is x for t in tensors_in(out)] == [False, True]


@pytest.mark.skipif(not HAVE_MPI, reason="needs mpi4py (pip install mpi4py mpich)")
def test_a_plain_python_run_is_a_world_of_one():
    result = run_python("tests/distributed/scripts/single_rank.py")
    assert result.returncode == 0 and "single rank ok" in result.stdout, output(result)


def test_mt_distributed_is_the_package():
    assert mt.distributed is dist and mt.nn.parallel.DistributedDataParallel


def test_inputs_move_to_the_modules_gpu_in_nested_containers():
    from collections import namedtuple

    from minitorch.nn.parallel.distributed import to_device

    pair = namedtuple("Pair", "a b")
    x = mt.ones(2)
    moved = to_device({"p": pair(x, [x, 3]), "q": (x,)}, mt.device("cpu"))
    assert isinstance(moved["p"], pair) and moved["p"].b[1] == 3
    assert all(isinstance(t, mt.Tensor) for t in (moved["p"].a, moved["p"].b[0], moved["q"][0]))
