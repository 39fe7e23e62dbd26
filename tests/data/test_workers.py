"""DataLoader(num_workers=N): the same batches as without workers, in order, seeded as PyTorch,
errors that name the worker, and no process left behind."""

import gc
import multiprocessing
import os
import random
import time

import numpy as np
import pytest

import minitorch as mt
from minitorch.data import DataLoader, Dataset, IterableDataset, TensorDataset, get_worker_info
from minitorch.data.worker import numpy_seed_state


@pytest.fixture(autouse=True)
def _no_leftover_workers():
    before = set(multiprocessing.active_children())
    yield
    gc.collect()
    left = set(multiprocessing.active_children()) - before
    for p in left:  # don't let one failure leak into the next tests
        p.terminate()
    assert not left, f"worker processes left behind: {left}"


class Records(Dataset):
    """Dict samples built in Python (the per-sample path), optionally slow or failing."""

    def __init__(self, n=12, slow=(), fail_at=None, error=ValueError):
        self.n, self.slow, self.fail_at, self.error = n, set(slow), fail_at, error

    def __getitem__(self, i):
        if i in self.slow:
            time.sleep(0.2)
        if i == self.fail_at:
            raise self.error(f"bad sample {i}")
        return {"x": np.full(3, i, np.float32), "y": i, "name": f"s{i}"}

    def __len__(self):
        return self.n


class WhoAmI(Dataset):
    """Each sample reports the worker that loaded it and a draw from each random stream."""

    def __getitem__(self, i):
        info = get_worker_info()
        return {
            "pid": os.getpid(),
            "id": -1 if info is None else info.id,
            "num_workers": 0 if info is None else info.num_workers,
            "seed": -1 if info is None else info.seed,
            "copy": info is not None and isinstance(info.dataset, WhoAmI),
            "mt": float(mt.rand(1).item()),
            "np": int(np.random.randint(0, 2**31)),
            "py": random.random(),
        }

    def __len__(self):
        return 4


def _plain(batch):
    if isinstance(batch, dict):
        return {k: _plain(v) for k, v in batch.items()}
    if isinstance(batch, (list, tuple)):
        return [_plain(v) for v in batch]
    return batch.tolist() if hasattr(batch, "tolist") else batch


def _labels(samples):
    return [d["y"] for d in samples]


def _digits_like(n=50):
    return TensorDataset(mt.arange(n * 4, dtype=mt.float32).reshape(n, 1, 2, 2), mt.arange(n))


@pytest.mark.parametrize(
    "make, kwargs",
    [
        (_digits_like, {"batch_size": 8}),
        (_digits_like, {"batch_size": 8, "shuffle": True, "drop_last": True}),
        (Records, {"batch_size": 5}),
        (Records, {"batch_size": None}),
        (Records, {"batch_size": 4, "collate_fn": _labels}),
    ],
)
def test_workers_give_the_batches_of_the_main_process(make, kwargs):
    def run(num_workers):
        mt.manual_seed(3)
        loader = DataLoader(make(), num_workers=num_workers, **kwargs)
        return [_plain(b) for b in loader]

    without = run(0)
    assert run(2) == without and len(without) > 1


def test_tensors_come_back_as_minitorch_tensors():
    x, y = next(iter(DataLoader(_digits_like(), batch_size=4, num_workers=1)))
    assert isinstance(x, mt.Tensor) and x.dtype == mt.float32 and x.shape == (4, 1, 2, 2)
    assert isinstance(y, mt.Tensor) and y.dtype == mt.int64


class Gated(Records):
    """Sample 0 waits until sample 3 has been loaded: with batches of 2 and two workers, worker
    0's first batch finishes after worker 1's."""

    def __init__(self, n):
        super().__init__(n)
        self.gate = multiprocessing.Event()

    def __getitem__(self, i):
        if i == 0:
            self.gate.wait(timeout=5)
            time.sleep(0.05)
        if i == 3:
            self.gate.set()
        return super().__getitem__(i)


def test_order_is_the_sampler_order_whoever_finishes_first():
    loader = DataLoader(Gated(12), batch_size=2, num_workers=2)
    assert [b["y"].tolist() for b in loader] == [[i, i + 1] for i in range(0, 12, 2)]


def test_in_order_false_hands_out_batches_as_they_come():
    loader = DataLoader(Gated(8), batch_size=2, num_workers=2, in_order=False)
    got = [b["y"].tolist() for b in loader]
    assert sorted(got) == [[0, 1], [2, 3], [4, 5], [6, 7]] and got[0] == [2, 3]


def test_worker_info_and_seeds_as_pytorch():
    g = mt.Generator().manual_seed(11)
    loader = DataLoader(WhoAmI(), batch_size=None, num_workers=2, generator=g)
    it = iter(loader)
    samples = list(it)
    base = it.base_seed
    assert [s["id"] for s in samples] == [0, 1, 0, 1]
    assert all(s["num_workers"] == 2 and s["copy"] for s in samples)
    assert [s["seed"] for s in samples] == [base, base + 1, base, base + 1]
    assert get_worker_info() is None  # in the main process
    # minitorch's stream is seeded with base_seed + id; NumPy's legacy one as torch seeds it
    for s in samples[:2]:
        mt.manual_seed(s["seed"])
        assert s["mt"] == float(mt.rand(1).item())
        random.seed(s["seed"])
        assert s["py"] == random.random()
        np.random.seed(numpy_seed_state(base, s["id"]))
        assert s["np"] == np.random.randint(0, 2**31)
    assert samples[0]["np"] != samples[1]["np"] and samples[0]["mt"] != samples[1]["mt"]
    again = list(
        DataLoader(
            WhoAmI(), batch_size=None, num_workers=2, generator=mt.Generator().manual_seed(11)
        )
    )
    assert [s["mt"] for s in again] == [s["mt"] for s in samples]


def test_numpy_seed_state_is_torchs(torch):
    worker = pytest.importorskip("torch.utils.data._utils.worker")
    for base, wid in [(0, 0), (12345678901234, 1), (2**63 - 1, 5)]:
        assert numpy_seed_state(base, wid) == worker._generate_state(base, wid)


class Logged(WhoAmI):
    def __init__(self, log_dir):
        self.log_dir = log_dir


def _record_init(worker_id):
    info = get_worker_info()
    with open(os.path.join(info.dataset.log_dir, f"{worker_id}-{os.getpid()}-{info.seed}"), "w"):
        pass


def test_worker_init_fn_once_per_worker_and_persistent_workers(tmp_path):
    loader = DataLoader(
        Logged(str(tmp_path)), batch_size=None, num_workers=2, worker_init_fn=_record_init,
        persistent_workers=True,
    )  # fmt: skip
    pids = [{s["pid"] for s in loader} for _ in range(3)]
    assert pids[0] == pids[1] == pids[2] and len(pids[0]) == 2  # the same two processes
    calls = sorted(p.name for p in tmp_path.iterdir())
    assert [c.split("-")[0] for c in calls] == ["0", "1"]  # once per worker, not per epoch
    assert {int(c.split("-")[1]) for c in calls} == pids[0]
    assert len(multiprocessing.active_children()) >= 2
    del loader
    gc.collect()
    assert not multiprocessing.active_children()


def test_persistent_workers_survive_an_unfinished_epoch():
    loader = DataLoader(Records(20), batch_size=2, num_workers=2, persistent_workers=True)
    first = iter(loader)
    next(first)
    assert [b["y"].tolist()[0] for b in loader] == list(range(0, 20, 2))  # a clean new pass
    del loader, first


def test_workers_stop_when_a_pass_ends_or_the_iterator_goes():
    loader = DataLoader(Records(8), batch_size=2, num_workers=2)
    list(loader)
    assert not multiprocessing.active_children()  # exhausted: shut down at once
    it = iter(loader)
    next(it)
    assert len(multiprocessing.active_children()) == 2
    del it  # garbage collected mid-pass
    assert not multiprocessing.active_children()
    for _ in loader:
        break  # a `break` drops the iterator too
    assert not multiprocessing.active_children()


def test_a_worker_error_names_the_worker_and_keeps_the_type():
    # batches of 2: indices 2-3 are batch 1, which goes to worker 1
    loader = DataLoader(Records(8, fail_at=3), batch_size=2, num_workers=2)
    with pytest.raises(ValueError) as info:
        list(loader)
    text = str(info.value)
    assert text.startswith("Caught ValueError in DataLoader worker process 1.\nOriginal Traceback")
    assert "bad sample 3" in text and "__getitem__" in text and "test_workers.py" in text
    del info


def test_key_errors_read_well_and_odd_exceptions_become_runtime_errors():
    with pytest.raises(KeyError) as info:
        list(DataLoader(Records(4, fail_at=1, error=KeyError), batch_size=2, num_workers=1))
    assert str(info.value).startswith("Caught KeyError in DataLoader worker process 0.")
    del info

    with pytest.raises(RuntimeError, match="Caught TwoArgsError in DataLoader worker process 0"):
        list(DataLoader(Records(4), batch_size=2, num_workers=1, collate_fn=_raise_odd_error))


def _raise_odd_error(samples):
    class TwoArgsError(Exception):  # can't be pickled (local), nor built from one message
        def __init__(self, a, b):
            super().__init__(a, b)

    raise TwoArgsError(1, 2)


def _failing_init(worker_id):
    raise OSError(f"init failed in {worker_id}")


def test_worker_init_fn_errors_surface_at_the_first_batch():
    loader = DataLoader(Records(4), batch_size=2, num_workers=1, worker_init_fn=_failing_init)
    with pytest.raises(OSError, match="Caught OSError in DataLoader worker process 0") as info:
        list(loader)
    assert "init failed in 0" in str(info.value)
    del info


def test_timeout():
    loader = DataLoader(Records(4, slow={0}), batch_size=2, num_workers=1, timeout=0.05)
    start = time.perf_counter()
    with pytest.raises(RuntimeError, match="DataLoader timed out after 0.05 seconds") as info:
        list(loader)
    assert time.perf_counter() - start < 1.0
    del info


class Dies(Dataset):
    def __getitem__(self, i):
        os._exit(3)

    def __len__(self):
        return 2


def test_a_dead_worker_is_reported():
    with pytest.raises(
        RuntimeError, match=r"DataLoader worker \(pid\(s\) \d+\) exited unexpectedly"
    ):
        list(DataLoader(Dies(), num_workers=1))


class Shards(IterableDataset):
    """0 .. n-1, each worker taking its share when ``shard`` (else every worker gives all)."""

    def __init__(self, n, shard=True):
        self.n, self.shard = n, shard

    def __iter__(self):
        info = get_worker_info()
        if info is None or not self.shard:
            return iter(range(self.n))
        return iter(range(info.id, self.n, info.num_workers))


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs the fork start method"
)
def test_iterable_dataset_with_workers_as_torch(torch):
    class TorchShards(torch.utils.data.IterableDataset):
        def __iter__(self):
            info = torch.utils.data.get_worker_info()
            return iter(range(info.id, 11, info.num_workers))

    ours = [b.tolist() for b in DataLoader(Shards(11), batch_size=2, num_workers=2)]
    fork = multiprocessing.get_context("fork")  # the oracle's dataset is local: not picklable
    theirs = torch.utils.data.DataLoader(
        TorchShards(), batch_size=2, num_workers=2, multiprocessing_context=fork
    )
    theirs = [b.tolist() for b in theirs]
    assert ours == theirs
    assert sorted(i for b in ours for i in b) == list(range(11))
    dup = list(DataLoader(Shards(3, shard=False), batch_size=None, num_workers=2))
    assert sorted(dup) == [0, 0, 1, 1, 2, 2]  # each worker iterates its own full copy


def test_persistent_workers_with_an_iterable_dataset():
    loader = DataLoader(Shards(6), batch_size=2, num_workers=2, persistent_workers=True)
    passes = [sorted(i for b in loader for i in b.tolist()) for _ in range(2)]
    assert passes == [list(range(6))] * 2
    del loader


FLAG = "module default"


class ReadFlag(Dataset):
    def __getitem__(self, i):
        return FLAG

    def __len__(self):
        return 1


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs the fork start method"
)
def test_multiprocessing_context_is_honoured():
    """A forked worker sees the main process's globals; a spawned one imports the module
    afresh (and everything it needs crossed by pickling)."""
    globals()["FLAG"] = "changed"
    try:
        forked, spawned = (
            list(DataLoader(ReadFlag(), batch_size=None, num_workers=1, multiprocessing_context=m))
            for m in ("fork", "spawn")
        )
    finally:
        globals()["FLAG"] = "module default"
    assert forked == ["changed"] and spawned == ["module default"]


def _unpicklable(samples):
    return lambda: 0


def test_a_batch_that_cannot_be_pickled_is_an_error_not_a_hang():
    loader = DataLoader(Records(2), batch_size=2, num_workers=1, collate_fn=_unpicklable)
    with pytest.raises(Exception, match="Caught .*PicklingError|Caught AttributeError") as info:
        list(loader)
    assert "DataLoader worker process 0" in str(info.value)
    del info


def test_an_iterator_collected_in_a_reference_cycle_still_stops_its_workers():
    it = iter(DataLoader(Records(8), batch_size=2, num_workers=2))
    next(it)
    workers = list(it._workers)
    cycle = [it]
    cycle.append(cycle)
    del it, cycle
    gc.collect()  # the queues' feeder threads are finalized first: workers see the done event
    assert not multiprocessing.active_children()
    # they left by themselves (exit code 0), not terminated after a join timed out (-15)
    assert [w.exitcode for w in workers] == [0, 0]
