"""DataLoader's arguments against torch's: the same checks and messages, the same len()."""

import multiprocessing
import warnings

import numpy as np
import pytest

import minitorch as mt
from minitorch.data import (
    BatchSampler,
    DataLoader,
    IterableDataset,
    RandomSampler,
    SequentialSampler,
    TensorDataset,
)


def _error(fn):
    try:
        fn()
    except Exception as err:  # noqa: BLE001 - the test compares whatever each side raises
        return type(err), str(err)
    return None


def _pair(torch, n=10):
    """The same 10-sample dataset for each library."""
    ours = TensorDataset(mt.arange(n, dtype=mt.float32))
    theirs = torch.utils.data.TensorDataset(torch.arange(n, dtype=torch.float32))
    return ours, theirs


class Stream(IterableDataset):
    def __init__(self, n=10):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))

    def __len__(self):
        return self.n


def _torch_stream(torch, n=10):
    class TorchStream(torch.utils.data.IterableDataset):
        def __iter__(self):
            return iter(range(n))

        def __len__(self):
            return n

    return TorchStream()


BAD_ARGS = [
    {"num_workers": -1},
    {"timeout": -1},
    {"prefetch_factor": 2},
    {"num_workers": 1, "prefetch_factor": -1},
    {"persistent_workers": True},
    {"sampler": [0, 1], "shuffle": True},
    {"batch_sampler": [[0, 1]], "batch_size": 2},
    {"batch_sampler": [[0, 1]], "shuffle": True},
    {"batch_sampler": [[0, 1]], "sampler": [0]},
    {"batch_sampler": [[0, 1]], "drop_last": True},
    {"batch_size": None, "drop_last": True},
    {"batch_size": 0},
    {"batch_size": -2},
    {"batch_size": 1.5},
    {"drop_last": 1},
    {"multiprocessing_context": "spawn"},
    {"num_workers": 1, "multiprocessing_context": "nope"},
    {"num_workers": 1, "multiprocessing_context": 3},
]


@pytest.mark.parametrize("kwargs", BAD_ARGS, ids=lambda k: "-".join(map(str, k)))
def test_argument_errors_as_torch(torch, kwargs):
    ours, theirs = _pair(torch)
    mine = _error(lambda: DataLoader(ours, **kwargs))
    torchs = _error(lambda: torch.utils.data.DataLoader(theirs, **kwargs))
    assert mine is not None and torchs is not None
    assert (
        mine[0] is torchs[0]
        and mine[1].replace("multiprocessing. let", "multiprocessing.let") == torchs[1]
    )


@pytest.mark.parametrize(
    "kwargs",
    [{"shuffle": True}, {"sampler": [0]}, {"batch_sampler": [[0]]}],
)
def test_iterable_dataset_argument_errors_as_torch(torch, kwargs):
    mine = _error(lambda: DataLoader(Stream(), **kwargs))
    torchs = _error(lambda: torch.utils.data.DataLoader(_torch_stream(torch), **kwargs))
    assert mine is not None and mine[0] is torchs[0]
    assert mine[1].split(", but got")[0] == torchs[1].split(", but got")[0]


def test_own_argument_errors():
    ds = TensorDataset(mt.arange(4))
    with pytest.raises(ValueError, match="timeout option needs num_workers > 0"):
        DataLoader(ds, timeout=1)
    with pytest.raises(ValueError, match="prefetch_factor must be greater than 0"):
        DataLoader(ds, num_workers=1, prefetch_factor=0)
    with pytest.raises(TypeError, match="num_workers should be an int"):
        DataLoader(ds, num_workers=1.0)
    with pytest.raises(TypeError, match="generator must be an mt.Generator"):
        DataLoader(ds, shuffle=True, generator=np.random.default_rng())


LEN_ARGS = [
    {},
    {"batch_size": 3},
    {"batch_size": 3, "drop_last": True},
    {"batch_size": 4, "shuffle": True},
    {"batch_size": None},
    {"batch_size": 20},
    {"batch_size": 20, "drop_last": True},
    {"batch_size": 2, "sampler": [1, 2, 3]},
    {"batch_sampler": [[0, 1], [2], [3, 4, 5]]},
]


@pytest.mark.parametrize("kwargs", LEN_ARGS, ids=lambda k: "-".join(map(str, k)) or "default")
def test_len_as_torch(torch, kwargs):
    ours, theirs = _pair(torch)
    mine = DataLoader(ours, **kwargs)
    torchs = torch.utils.data.DataLoader(theirs, **kwargs)
    assert len(mine) == len(torchs) == len(list(mine))


@pytest.mark.parametrize("kwargs", [{}, {"batch_size": 3}, {"batch_size": 3, "drop_last": True}])
def test_len_of_an_iterable_dataset_as_torch(torch, kwargs):
    mine = DataLoader(Stream(), **kwargs)
    torchs = torch.utils.data.DataLoader(_torch_stream(torch), **kwargs)
    assert len(mine) == len(torchs) == len(list(mine)) == len(list(torchs))


def test_iterable_dataset_batches_as_torch(torch):
    mine = [b.tolist() for b in DataLoader(Stream(7), batch_size=3)]
    torchs = [
        b.tolist() for b in torch.utils.data.DataLoader(_torch_stream(torch, 7), batch_size=3)
    ]
    assert mine == torchs == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(DataLoader(Stream(3), batch_size=None)) == [0, 1, 2]


def test_iterable_dataset_longer_than_its_len_warns():
    class Liar(Stream):
        def __len__(self):
            return 2

    loader = DataLoader(Liar(4), batch_size=None)
    assert len(loader) == 2
    with pytest.warns(UserWarning, match="was reported to be 2"):
        list(loader)


def test_attributes_are_frozen_after_init(torch):
    loader = DataLoader(TensorDataset(mt.arange(4)))
    for name in ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset"):
        with pytest.raises(ValueError, match=f"{name} attribute should not be set after"):
            setattr(loader, name, None)
    loader.num_workers = 0  # others may change, as in torch


def test_defaults_as_torch(torch):
    ours, theirs = _pair(torch)
    for kwargs in ({}, {"num_workers": 2}):
        mine, torchs = DataLoader(ours, **kwargs), torch.utils.data.DataLoader(theirs, **kwargs)
        for name in ("batch_size", "drop_last", "num_workers", "prefetch_factor", "timeout"):
            assert getattr(mine, name) == getattr(torchs, name), name
        assert type(mine.sampler).__name__ == type(torchs.sampler).__name__
        assert type(mine.batch_sampler).__name__ == type(torchs.batch_sampler).__name__
    assert isinstance(DataLoader(ours, shuffle=True).sampler, RandomSampler)
    assert isinstance(DataLoader(ours, shuffle=False).sampler, SequentialSampler)
    assert isinstance(DataLoader(ours).batch_sampler, BatchSampler)
    assert DataLoader(ours, batch_sampler=[[0]]).batch_size is None


def test_multiprocessing_context_by_name_or_object():
    ds = TensorDataset(mt.arange(4))
    loader = DataLoader(ds, num_workers=1, multiprocessing_context="fork")
    assert loader.multiprocessing_context.get_start_method() == "fork"
    ctx = multiprocessing.get_context("spawn")
    assert (
        DataLoader(ds, num_workers=1, multiprocessing_context=ctx).multiprocessing_context is ctx
    )


def test_pin_memory_on_the_cpu_is_a_no_op_with_torchs_warning():
    if mt.cuda.is_available():
        pytest.skip("a GPU is present: batches are pinned")
    ds = TensorDataset(mt.arange(6, dtype=mt.float32))
    loader = DataLoader(ds, batch_size=4, pin_memory=True)
    with pytest.warns(UserWarning, match="no accelerator is found"):
        pinned = [b[0].tolist() for b in loader]
    assert pinned == [b[0].tolist() for b in DataLoader(ds, batch_size=4)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        list(DataLoader(ds, pin_memory=True, pin_memory_device="cuda"))
    assert any("pin_memory_device is deprecated" in str(w.message) for w in caught)
    assert all(w.filename == __file__ for w in caught)  # they point at the user's loop


def test_pin_memory_goes_through_the_backend(monkeypatch):
    """With a (pretend) GPU, each host array of a batch goes through Backend.pin_memory."""
    import minitorch.data.dataloader as dataloader

    pinned = []

    class Backend:
        def pin_memory(self, array):
            pinned.append(array.shape)
            return array.copy()

    monkeypatch.setattr(dataloader, "cuda_device_count", lambda: 1)
    monkeypatch.setattr(dataloader, "backend_for", lambda spec: Backend())
    ds = TensorDataset(mt.zeros(5, 2), mt.arange(5))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        batches = list(DataLoader(ds, batch_size=2, pin_memory=True))
    assert pinned == [(2, 2), (2,), (2, 2), (2,), (1, 2), (1,)]
    assert batches[2][1].tolist() == [4]


def test_base_backend_pin_memory_returns_the_array():
    a = np.zeros(3)
    assert mt.backend.numpy_backend().pin_memory(a) is a


def test_too_many_workers_warns_as_torch():
    with pytest.warns(UserWarning, match="This DataLoader will create 999 worker processes"):
        DataLoader(TensorDataset(mt.arange(4)), num_workers=999)


@pytest.mark.cuda
@pytest.mark.skipif(not mt.cuda.is_available(), reason="needs CuPy and a GPU")
@pytest.mark.parametrize("num_workers", [0, 1])
def test_pin_memory_pins_host_batches_on_cuda(num_workers):
    import cupy

    ds = TensorDataset(mt.arange(12, dtype=mt.float32).reshape(6, 2), mt.arange(6))
    loader = DataLoader(ds, batch_size=4, pin_memory=True, num_workers=num_workers)
    x, y = next(iter(loader))
    assert type(x.array) is np.ndarray and x.tolist() == [[0, 1], [2, 3], [4, 5], [6, 7]]
    for a in (x.array, y.array):
        attributes = cupy.cuda.runtime.pointerGetAttributes(a.ctypes.data)
        assert attributes.type == 1  # cudaMemoryTypeHost: page-locked host memory
    moved = DataLoader(ds, batch_size=4, pin_memory=True, num_workers=num_workers, device="cuda")
    x, y = next(iter(moved))
    assert x.device == mt.device("cuda") and y.tolist() == [0, 1, 2, 3]
