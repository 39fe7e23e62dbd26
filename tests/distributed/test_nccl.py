"""The NCCL backend's parts that run without a GPU: how the ranks meet (file and TCP stores,
the launcher variables), NCCL's dtype and op tables, and the GPU run itself where one exists."""

from __future__ import annotations

import socket
import threading
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest

import minitorch as mt
from minitorch.distributed import ReduceOp
from minitorch.distributed.nccl import nccl_dtype, nccl_op
from minitorch.distributed.rendezvous import (
    DistStoreError,
    decode_id,
    encode_id,
    file_share,
    launcher_env,
    share_unique_id,
    tcp_share,
)

UNIQUE_ID = tuple((i * 37) % 256 - 128 for i in range(128))  # signed chars, as CuPy's
FAKE_NCCL = SimpleNamespace(
    NCCL_INT8=0,
    NCCL_UINT8=1,
    NCCL_INT32=2,
    NCCL_UINT32=3,
    NCCL_INT64=4,
    NCCL_UINT64=5,
    NCCL_FLOAT16=6,
    NCCL_FLOAT32=7,
    NCCL_FLOAT64=8,
    NCCL_SUM=0,
    NCCL_PROD=1,
    NCCL_MAX=2,
    NCCL_MIN=3,
    NCCL_AVG=4,
)


def ranks_meet(share, world: int) -> list:
    """Run ``share(rank)`` for every rank in threads; their results in rank order."""
    results: list = [None] * world

    def one(rank: int) -> None:
        try:
            results[rank] = share(rank)
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            results[rank] = error

    threads = [threading.Thread(target=one, args=(r,)) for r in reversed(range(world))]
    for t in threads:
        t.start()
        time.sleep(0.05)  # the others start before rank 0: they must wait for it
    for t in threads:
        t.join(10)
    return results


def test_the_id_survives_bytes():
    assert decode_id(encode_id(UNIQUE_ID)) == UNIQUE_ID and len(encode_id(UNIQUE_ID)) == 128


def test_file_store_hands_rank_0s_id_to_everyone(tmp_path):
    path = str(tmp_path / "nccl-id")
    got = ranks_meet(
        lambda r: share_unique_id(
            UNIQUE_ID if r == 0 else None, r, 3, f"file://{path}", timedelta(seconds=5)
        ),
        3,
    )
    assert got == [UNIQUE_ID] * 3
    with pytest.raises(DistStoreError, match="did not write it within 0.1 s"):
        file_share(None, str(tmp_path / "never"), timedelta(seconds=0.1))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_tcp_store_hands_rank_0s_id_to_everyone(monkeypatch):
    port = _free_port()
    got = ranks_meet(
        lambda r: share_unique_id(
            UNIQUE_ID if r == 0 else None, r, 3, f"tcp://127.0.0.1:{port}", timedelta(seconds=5)
        ),
        3,
    )
    assert got == [UNIQUE_ID] * 3
    port = _free_port()
    monkeypatch.setenv("MASTER_ADDR", "127.0.0.1")
    monkeypatch.setenv("MASTER_PORT", str(port))
    got = ranks_meet(
        lambda r: share_unique_id(
            UNIQUE_ID if r == 0 else None, r, 2, "env://", timedelta(seconds=5)
        ),
        2,
    )
    assert got == [UNIQUE_ID] * 2


def test_tcp_store_times_out_with_a_clear_error():
    port = _free_port()
    with pytest.raises(DistStoreError, match="only 0 of 1 ranks connected within 0.2 s"):
        tcp_share(encode_id(UNIQUE_ID), "127.0.0.1", port, 2, timedelta(seconds=0.2))
    with pytest.raises(DistStoreError, match="cannot reach rank 0 within 0.3 s"):
        tcp_share(None, "127.0.0.1", _free_port(), 2, timedelta(seconds=0.3))


def test_without_a_way_to_meet_the_error_lists_the_ways(monkeypatch):
    for name in ("MASTER_ADDR", "MASTER_PORT", "PMI_RANK", "OMPI_COMM_WORLD_RANK", "PMIX_RANK"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ValueError, match="tcp://HOST:PORT.*file:///shared/path"):
        share_unique_id(UNIQUE_ID, 0, 2, None, timedelta(seconds=1))
    with pytest.raises(ValueError, match="expected 'env://'"):
        share_unique_id(UNIQUE_ID, 0, 2, "nfs://x", timedelta(seconds=1))
    with pytest.raises(ValueError, match="tcp://HOST:PORT"):
        share_unique_id(UNIQUE_ID, 0, 2, "tcp://hostonly", timedelta(seconds=1))


def test_launcher_variables_of_each_launcher():
    torchrun = {"RANK": "3", "WORLD_SIZE": "8", "LOCAL_RANK": "1", "LOCAL_WORLD_SIZE": "4"}
    hydra = {"PMI_RANK": "1", "PMI_SIZE": "2", "MPI_LOCALRANKID": "1", "MPI_LOCALNRANKS": "2"}
    openmpi = {
        "OMPI_COMM_WORLD_RANK": "5",
        "OMPI_COMM_WORLD_SIZE": "6",
        "OMPI_COMM_WORLD_LOCAL_RANK": "2",
        "OMPI_COMM_WORLD_LOCAL_SIZE": "3",
    }
    slurm = {
        "SLURM_PROCID": "4",
        "SLURM_NTASKS": "8",
        "SLURM_LOCALID": "0",
        "SLURM_NTASKS_PER_NODE": "4(x2)",
    }
    assert launcher_env(torchrun) == {
        "rank": 3,
        "world_size": 8,
        "local_rank": 1,
        "local_world_size": 4,
    }
    assert launcher_env(hydra)["rank"] == 1 and launcher_env(openmpi)["local_rank"] == 2
    assert launcher_env(slurm)["local_world_size"] == 4
    assert launcher_env({**hydra, **torchrun})["rank"] == 3  # torchrun's names win
    assert launcher_env({}) is None


def test_nccl_dtypes_and_ops():
    assert nccl_dtype(FAKE_NCCL, mt.float32, "f") == 7 and nccl_dtype(FAKE_NCCL, mt.bool, "f") == 1
    with pytest.raises(TypeError, match="all_reduce: NCCL cannot reduce int16"):
        nccl_dtype(FAKE_NCCL, mt.int16, "all_reduce")
    assert nccl_op(FAKE_NCCL, ReduceOp.AVG, mt.float32, 21805, "f") == (4, False)
    assert nccl_op(FAKE_NCCL, ReduceOp.AVG, mt.float32, 20708, "f") == (0, True)  # old NCCL
    assert nccl_op(FAKE_NCCL, ReduceOp.SUM, mt.bool, 21805, "f") == (2, False)  # any = max
    assert nccl_op(FAKE_NCCL, ReduceOp.PRODUCT, mt.bool, 21805, "f") == (3, False)  # all = min
    with pytest.raises(TypeError, match="NCCL has no ReduceOp.BAND"):
        nccl_op(FAKE_NCCL, ReduceOp.BAND, mt.int32, 21805, "all_reduce")
    with pytest.raises(TypeError, match="AVG is not defined for bool"):
        nccl_op(FAKE_NCCL, ReduceOp.AVG, mt.bool, 21805, "all_reduce")
    with pytest.raises(TypeError, match="needs NCCL >= 2.10"):
        nccl_op(FAKE_NCCL, ReduceOp.AVG, mt.int64, 20708, "all_reduce")


@pytest.mark.cuda
@pytest.mark.skipif(not mt.cuda.is_available(), reason="needs CuPy and a GPU")
def test_a_one_gpu_nccl_group(tmp_path):
    import minitorch.distributed as dist

    dist.init_process_group(
        "nccl", init_method=f"file://{tmp_path / 'id'}", rank=0, world_size=1, device_id=0
    )
    try:
        t = mt.ones(4, device="cuda:0")
        dist.all_reduce(t, op=dist.ReduceOp.AVG)
        dist.broadcast(t, src=0, async_op=True).wait()
        out = [mt.zeros(4, device="cuda:0")]
        dist.all_gather(out, t)
        dist.barrier()
        assert out[0].tolist() == [1.0] * 4
        model = mt.nn.parallel.DistributedDataParallel(
            mt.nn.Linear(4, 2).to("cuda:0"), device_ids=[0]
        )
        model(mt.ones((3, 4))).sum().backward()  # the input is moved to cuda:0
        assert model.module.weight.grad.tolist() == [[3.0] * 4] * 2
    finally:
        dist.destroy_process_group()
