"""Samplers against torch.utils.data: the same lengths, batches and errors; valid random streams.

Random streams are compared as distributions, not number for number: minitorch draws from its
own generator, not torch's.
"""

import numpy as np
import pytest

import minitorch as mt
from minitorch.data import (
    BatchSampler,
    RandomSampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)


def _error(fn):
    try:
        fn()
    except Exception as err:  # noqa: BLE001 - the test compares whatever each side raises
        return type(err), str(err)
    return None


def test_sequential_sampler():
    assert list(SequentialSampler(range(5))) == [0, 1, 2, 3, 4]
    assert len(SequentialSampler(range(5))) == 5


def test_random_sampler_is_a_new_permutation_each_pass():
    s = RandomSampler(range(50))
    first, second = list(s), list(s)
    assert sorted(first) == sorted(second) == list(range(50)) and first != second
    assert all(type(i) is int for i in first) and len(s) == 50


def test_random_sampler_generator_and_global_seed():
    def run(seed):
        return list(RandomSampler(range(30), generator=mt.Generator().manual_seed(seed)))

    assert run(1) == run(1) and run(1) != run(2)
    mt.manual_seed(4)
    a = list(RandomSampler(range(30)))
    mt.manual_seed(4)
    assert list(RandomSampler(range(30))) == a


@pytest.mark.parametrize("num_samples", [7, 20, 25, 46])
def test_random_sampler_num_samples_without_replacement(torch, num_samples):
    """More samples than the dataset: whole permutations one after the other, as torch."""
    ours = list(RandomSampler(range(10), num_samples=num_samples))
    theirs = list(torch.utils.data.RandomSampler(range(10), num_samples=num_samples))
    assert len(ours) == len(theirs) == num_samples
    for start in range(0, num_samples - num_samples % 10, 10):  # each full block: a permutation
        assert sorted(ours[start : start + 10]) == list(range(10))
    tail = ours[num_samples - num_samples % 10 :]
    assert len(set(tail)) == len(tail)


def test_random_sampler_with_replacement_is_uniform():
    s = RandomSampler(range(5), replacement=True, num_samples=20_000)
    counts = np.bincount(list(s), minlength=5)
    assert counts.sum() == 20_000 and np.all(np.abs(counts / 20_000 - 0.2) < 0.015)
    assert len(set(RandomSampler(range(100), replacement=True))) < 100  # repeats do happen


@pytest.mark.parametrize(
    "kwargs",
    [
        {"replacement": 1},
        {"num_samples": 0},
        {"num_samples": -3},
        {"num_samples": 2.0},
    ],
)
def test_random_sampler_errors_as_torch(torch, kwargs):
    ours = _error(lambda: RandomSampler(range(4), **kwargs))
    theirs = _error(lambda: torch.utils.data.RandomSampler(range(4), **kwargs))
    assert ours == theirs and ours is not None


def test_random_sampler_of_an_empty_dataset_errors_as_torch(torch):
    ours = _error(lambda: RandomSampler([]))
    assert ours == _error(lambda: torch.utils.data.RandomSampler([]))


def test_random_sampler_rejects_a_foreign_generator(torch):
    with pytest.raises(TypeError, match="generator must be an mt.Generator"):
        list(RandomSampler(range(3), generator=torch.Generator()))


def test_subset_random_sampler():
    indices = [10, 3, 7, 42]
    s = SubsetRandomSampler(indices, generator=mt.Generator().manual_seed(0))
    passes = [list(s) for _ in range(6)]
    assert all(sorted(p) == sorted(indices) for p in passes) and len(s) == 4
    assert len({tuple(p) for p in passes}) > 1
    again = SubsetRandomSampler(indices, generator=mt.Generator().manual_seed(0))
    assert list(again) == passes[0]


def test_weighted_sampler_with_replacement_follows_the_weights():
    w = [0.1, 0.0, 2.0, 0.9, 1.0]
    draws = list(WeightedRandomSampler(w, 40_000, generator=mt.Generator().manual_seed(0)))
    freq = np.bincount(draws, minlength=5) / 40_000
    assert freq[1] == 0 and np.allclose(freq, np.array(w) / sum(w), atol=0.01)
    assert len(WeightedRandomSampler(w, 7)) == 7


def test_weighted_sampler_without_replacement_matches_successive_draws(torch):
    """P(first = i, second = j) = w_i / W * w_j / (W - w_i), as torch.multinomial draws."""
    w = np.array([1.0, 2.0, 3.0, 0.0])
    s = WeightedRandomSampler(w, 2, replacement=False, generator=mt.Generator().manual_seed(1))
    pairs = np.array([list(s) for _ in range(12_000)])
    assert np.all(pairs[:, 0] != pairs[:, 1]) and not np.any(pairs == 3)
    W = w.sum()
    for i in range(3):
        for j in range(3):
            if i != j:
                expected = w[i] / W * w[j] / (W - w[i])
                observed = np.mean((pairs[:, 0] == i) & (pairs[:, 1] == j))
                assert abs(observed - expected) < 0.02, (i, j, observed, expected)
    theirs = list(torch.utils.data.WeightedRandomSampler(w.tolist(), 3, replacement=False))
    ours = list(WeightedRandomSampler(w.tolist(), 3, replacement=False))
    assert sorted(ours) == sorted(theirs) == [0, 1, 2]  # all non-zero weights, each once


@pytest.mark.parametrize(
    "args",
    [
        ([1.0, 2.0], 0, True),
        ([1.0, 2.0], 2.5, True),
        ([1.0, 2.0], 1, 1),
        ([[1.0, 2.0]], 1, True),
    ],
)
def test_weighted_sampler_errors_as_torch(torch, args):
    ours = _error(lambda: WeightedRandomSampler(*args))
    theirs = _error(lambda: torch.utils.data.WeightedRandomSampler(*args))
    assert ours == theirs and ours is not None


def test_weighted_sampler_bad_distributions():
    with pytest.raises(RuntimeError, match="non-negative and not all zero"):
        WeightedRandomSampler([1.0, -1.0], 1)
    with pytest.raises(RuntimeError, match="cannot sample num_samples=3 > 2"):
        WeightedRandomSampler([1.0, 0.0, 2.0], 3, replacement=False)


@pytest.mark.parametrize("n", [0, 1, 9, 10, 11])
@pytest.mark.parametrize("batch_size", [1, 3, 10])
@pytest.mark.parametrize("drop_last", [False, True])
def test_batch_sampler_equals_torch(torch, n, batch_size, drop_last):
    ours = BatchSampler(SequentialSampler(range(n)), batch_size, drop_last)
    theirs = torch.utils.data.BatchSampler(
        torch.utils.data.SequentialSampler(range(n)), batch_size, drop_last
    )
    assert list(ours) == list(theirs) and len(ours) == len(theirs)
    listed = BatchSampler(list(range(n))[::-1], batch_size, drop_last)  # any iterable sampler
    assert list(listed) == list(
        torch.utils.data.BatchSampler(list(range(n))[::-1], batch_size, drop_last)
    )


def test_batch_sampler_yields_lists_of_ints_from_random_samplers():
    batches = list(BatchSampler(RandomSampler(range(10)), 4, False))
    assert [len(b) for b in batches] == [4, 4, 2]
    assert all(type(b) is list and all(type(i) is int for i in b) for b in batches)
    assert sorted(i for b in batches for i in b) == list(range(10))


class _Reversed(SequentialSampler):
    def __iter__(self):
        return iter(range(len(self.data_source) - 1, -1, -1))


def test_batch_sampler_respects_an_overridden_iter():
    assert list(BatchSampler(_Reversed(range(5)), 2, False)) == [[4, 3], [2, 1], [0]]


@pytest.mark.parametrize("args", [(0, False), (-1, False), (True, False), (2.0, False), (2, 0)])
def test_batch_sampler_errors_as_torch(torch, args):
    ours = _error(lambda: BatchSampler(range(4), *args))
    theirs = _error(lambda: torch.utils.data.BatchSampler(range(4), *args))
    assert ours == theirs and ours is not None


def test_draws_with_replacement_come_lazily_for_a_huge_num_samples():
    from minitorch.data.sampler import CHUNK

    ds = mt.data.TensorDataset(mt.arange(10))
    sampler = mt.data.RandomSampler(ds, replacement=True, num_samples=int(1e10))  # minGPT's
    first = [i for _, i in zip(range(CHUNK + 3), sampler)]
    assert len(first) == CHUNK + 3 and 0 <= min(first) and max(first) < 10
    batches = iter(mt.data.DataLoader(ds, sampler=sampler, batch_size=CHUNK - 1))
    assert [len(next(batches)[0]) for _ in range(3)] == [CHUNK - 1] * 3  # across chunk edges
