from collections import namedtuple

import numpy as np
import pytest

import minitorch as mt
from minitorch.data import DataLoader, Dataset, TensorDataset, default_collate


class Samples(Dataset):
    """A non-array dataset: per-sample Python objects, collated by default_collate."""

    def __init__(self, n=10, bad=None):
        self.n, self.bad = n, bad

    def __getitem__(self, i):
        shape = (3,) if i != self.bad else (4,)
        return {"x": np.full(shape, i, np.float32), "y": i, "w": float(i), "name": f"s{i}"}

    def __len__(self):
        return self.n


def _ds(n=10):
    return TensorDataset(mt.arange(n * 2, dtype=mt.float32).reshape(n, 2), mt.arange(n))


@pytest.mark.parametrize("make", [_ds, Samples])
def test_last_batch_and_drop_last(make):
    ds = make(10)
    sizes = [len(b[1] if isinstance(b, list) else b["y"]) for b in DataLoader(ds, batch_size=4)]
    assert sizes == [4, 4, 2] and len(DataLoader(ds, batch_size=4)) == 3
    loader = DataLoader(ds, batch_size=4, drop_last=True)
    assert len(loader) == 2
    assert [len(b[1] if isinstance(b, list) else b["y"]) for b in loader] == [4, 4]


def test_sequential_order_and_contents():
    batches = list(DataLoader(_ds(5), batch_size=2))
    assert [b[1].tolist() for b in batches] == [[0, 1], [2, 3], [4]]
    assert batches[0][0].tolist() == [[0.0, 1.0], [2.0, 3.0]]
    assert batches[0][0].dtype == mt.float32 and batches[0][1].dtype == mt.int64


def _order(loader):
    return [i for b in loader for i in b[1].tolist()]


def test_shuffle_reproducible_with_manual_seed():
    loader = DataLoader(_ds(20), batch_size=3, shuffle=True)
    mt.manual_seed(7)
    first, second = _order(loader), _order(loader)
    assert sorted(first) == list(range(20)) and first != list(range(20))
    assert first != second  # a new order each epoch
    mt.manual_seed(7)
    assert _order(loader) == first and _order(loader) == second


def test_shuffle_reproducible_with_generator():
    def run(seed):
        g = mt.Generator().manual_seed(seed)
        loader = DataLoader(_ds(20), batch_size=4, shuffle=True, generator=g)
        mt.manual_seed(123)  # the global seed does not matter when a generator is given
        return _order(loader)

    assert run(1) == run(1) and run(1) != run(2)


def test_vectorised_and_per_sample_paths_agree():
    ds = _ds(9)
    fast = list(
        DataLoader(ds, batch_size=4, shuffle=True, generator=mt.Generator().manual_seed(0))
    )
    slow = list(
        DataLoader(
            ds,
            batch_size=4,
            shuffle=True,
            generator=mt.Generator().manual_seed(0),
            collate_fn=default_collate,
        )
    )
    for (xf, yf), (xs, ys) in zip(fast, slow, strict=True):
        assert np.array_equal(xf.numpy(), xs.numpy()) and np.array_equal(yf.numpy(), ys.numpy())


def test_default_collate_types():
    batch = next(iter(DataLoader(Samples(5), batch_size=3)))
    assert batch["x"].shape == (3, 3) and batch["x"].dtype == mt.float32
    assert batch["y"].dtype == mt.int64 and batch["y"].tolist() == [0, 1, 2]
    assert batch["w"].dtype == mt.float64 and batch["name"] == ["s0", "s1", "s2"]
    point = namedtuple("Point", "a b")
    out = default_collate([point(mt.ones(2), True), point(mt.zeros(2), False)])
    assert isinstance(out, point) and out.a.shape == (2, 2) and out.b.tolist() == [True, False]
    assert [t.tolist() for t in default_collate([[1, 2], [3, 4]])] == [[1, 3], [2, 4]]
    with pytest.raises(TypeError, match="batch must contain tensors.*found <class 'object'>"):
        default_collate([object()])


def test_inconsistent_shapes_name_the_samples():
    loader = DataLoader(Samples(10, bad=6), batch_size=4)
    with pytest.raises(ValueError, match=r"sample 4 has shape \(3,\) but sample 6 has \(4,\)"):
        list(loader)


def test_custom_collate_fn_gets_the_samples():
    loader = DataLoader(_ds(5), batch_size=2, collate_fn=lambda samples: len(samples))
    assert list(loader) == [2, 2, 1]


def test_batch_size_none_yields_samples():
    out = list(DataLoader(_ds(3), batch_size=None))
    assert len(out) == 3 and out[2][1].item() == 2


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_bad_batch_size(bad):
    with pytest.raises(ValueError, match="batch_size should be a positive integer value"):
        DataLoader(_ds(), batch_size=bad)


def test_sampler_and_shuffle_are_exclusive():
    with pytest.raises(ValueError, match="sampler option is mutually exclusive with shuffle"):
        DataLoader(_ds(), sampler=[0, 1], shuffle=True)
    assert _order(DataLoader(_ds(), sampler=[3, 1, 2], batch_size=2)) == [3, 1, 2]


def test_batches_land_on_the_device(device):
    loader = DataLoader(_ds(6), batch_size=4, device=device)
    for x, y in loader:
        assert x.device == mt.device(device) and y.device == mt.device(device)
    for batch in DataLoader(Samples(4), batch_size=2, device=device):
        assert batch["x"].device == mt.device(device) and batch["name"] == batch["name"]


def test_unknown_device_is_rejected():
    with pytest.raises(ValueError, match="unknown device"):
        DataLoader(_ds(), device="tpu")
