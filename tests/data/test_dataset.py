import numpy as np
import pytest

import minitorch as mt
from minitorch.data import ConcatDataset, Dataset, Subset, TensorDataset, random_split


def test_tensor_dataset_items_and_batches(device):
    x = mt.arange(20, dtype=mt.float32, device=device).reshape(10, 2)
    y = mt.arange(10, device=device)
    ds = TensorDataset(x, y)
    assert len(ds) == 10
    xi, yi = ds[3]
    assert xi.tolist() == [6.0, 7.0] and yi.item() == 3
    xb, yb = ds.get_batch(np.array([4, 1]))
    assert xb.shape == (2, 2) and yb.tolist() == [4, 1] and xb.device == x.device


def test_tensor_dataset_accepts_arrays_and_checks_sizes():
    ds = TensorDataset(np.zeros((4, 3), np.float32), np.arange(4))
    assert isinstance(ds.tensors[0], mt.Tensor)
    with pytest.raises(ValueError, match=r"same size in the first dimension.*\(4, 3\), \(5,\)"):
        TensorDataset(mt.zeros(4, 3), mt.zeros(5))
    with pytest.raises(ValueError, match="at least one tensor"):
        TensorDataset()


def test_subset_maps_indices_and_keeps_vectorised_batches():
    ds = TensorDataset(mt.arange(10))
    sub = Subset(ds, [9, 7, 5])
    assert len(sub) == 3 and sub[1][0].item() == 7
    (xb,) = sub.get_batch(np.array([2, 0]))
    assert xb.tolist() == [5, 9]
    plain = Subset(_Squares(), [1, 2])
    assert not hasattr(plain, "get_batch") and plain[1] == 4


class _Squares(Dataset):
    def __getitem__(self, i):
        if not 0 <= i < 5:
            raise IndexError(i)
        return i * i

    def __len__(self):
        return 5


def test_concat_dataset():
    both = _Squares() + TensorDataset(mt.arange(3))
    assert isinstance(both, ConcatDataset) and len(both) == 8
    assert both[4] == 16 and both[5][0].item() == 0 and both[-1][0].item() == 2
    with pytest.raises(IndexError):
        both[8]


def test_base_dataset_needs_getitem():
    with pytest.raises(NotImplementedError, match="__getitem__"):
        Dataset()[0]


def test_random_split_sizes_fractions_and_generator():
    ds = TensorDataset(mt.arange(10))
    a, b = random_split(ds, [7, 3], generator=mt.Generator().manual_seed(1))
    assert len(a) == 7 and len(b) == 3
    assert sorted(a.indices + b.indices) == list(range(10))
    a2, _ = random_split(ds, [7, 3], generator=mt.Generator().manual_seed(1))
    assert a2.indices == a.indices
    parts = random_split(ds, [0.5, 0.3, 0.2])
    assert [len(p) for p in parts] == [5, 3, 2]
    assert [len(p) for p in random_split(TensorDataset(mt.arange(7)), [0.5, 0.5])] == [4, 3]
    mt.manual_seed(3)
    first = random_split(ds, [5, 5])[0].indices
    mt.manual_seed(3)
    assert random_split(ds, [5, 5])[0].indices == first
    with pytest.raises(ValueError, match="Sum of input lengths does not equal the length"):
        random_split(ds, [4, 4])


def test_generator_state_round_trip():
    g = mt.Generator().manual_seed(5)
    assert g.initial_seed() == 5
    state = g.get_state()
    p = g.permutation(6)
    g.set_state(state)
    assert np.array_equal(g.permutation(6), p)
    # a CUDA generator draws on the host too (the same numbers as a CPU one of the same seed)
    assert mt.Generator("cuda").manual_seed(5).permutation(6).tolist() == p.tolist()
