"""DistributedSampler: PyTorch's partitions (shuffle=False), a shared shuffle, padding."""

import minitorch.utils.data.distributed as utils_distributed
import numpy as np
import pytest

from minitorch.data import DataLoader, TensorDataset
from minitorch.data.distributed import DistributedSampler

try:
    from torch.utils.data.distributed import DistributedSampler as TorchSampler
except ImportError:  # the oracle is optional
    TorchSampler = None


def shares(n, replicas, **kwargs):
    return [list(DistributedSampler(range(n), replicas, r, **kwargs)) for r in range(replicas)]


def test_one_module_under_both_names():
    assert utils_distributed.DistributedSampler is DistributedSampler


@pytest.mark.skipif(TorchSampler is None, reason="needs torch (the oracle)")
@pytest.mark.parametrize("drop_last", [False, True])
def test_partitions_are_pytorchs(drop_last):
    for n in [1, 2, 3, 7, 10, 11, 64, 101]:
        for replicas in [1, 2, 3, 4, 8]:
            for rank in range(replicas):
                ours = DistributedSampler(
                    range(n), replicas, rank, shuffle=False, drop_last=drop_last
                )
                theirs = TorchSampler(range(n), replicas, rank, shuffle=False, drop_last=drop_last)
                assert list(ours) == list(theirs), (n, replicas, rank)
                assert len(ours) == len(theirs) and ours.total_size == theirs.total_size


def test_padding_repeats_from_the_start_and_drop_last_cuts():
    assert shares(5, 4, shuffle=False) == [[0, 4], [1, 0], [2, 1], [3, 2]]
    assert shares(2, 5, shuffle=False) == [[0], [1], [0], [1], [0]]  # padding > dataset
    assert shares(5, 4, shuffle=False, drop_last=True) == [[0], [1], [2], [3]]


def test_shuffle_is_one_permutation_shared_by_the_ranks():
    parts = shares(103, 4, shuffle=True, seed=7, drop_last=True)
    flat = np.concatenate(parts)
    assert len(flat) == 100 and len(set(flat.tolist())) == 100  # disjoint shares
    assert parts == shares(103, 4, shuffle=True, seed=7, drop_last=True)  # same on every rank
    assert parts != shares(103, 4, shuffle=True, seed=8, drop_last=True)
    assert parts[0] != shares(103, 4, shuffle=False, drop_last=True)[0]


def test_set_epoch_reshuffles_and_seed_plus_epoch_is_the_stream():
    sampler = DistributedSampler(range(50), 2, 0, seed=3)
    first = list(sampler)
    sampler.set_epoch(1)
    second = list(sampler)
    assert first != second and sorted(first) != sorted(range(25))
    assert list(DistributedSampler(range(50), 2, 0, seed=4)) == second  # seed 3 + epoch 1


def test_len_and_dataloader_batches():
    data = TensorDataset(np.arange(10.0).reshape(10, 1))
    sampler = DistributedSampler(data, num_replicas=3, rank=2, shuffle=False)
    assert len(sampler) == 4
    batches = [
        b[0].numpy().ravel().tolist() for b in DataLoader(data, batch_size=3, sampler=sampler)
    ]
    assert batches == [[2.0, 5.0, 8.0], [1.0]]  # 2, 5, 8 and the padded 1


def test_bad_arguments():
    with pytest.raises(
        ValueError, match=r"Invalid rank 3, rank should be in the interval \[0, 2\]"
    ):
        DistributedSampler(range(4), num_replicas=3, rank=3)
    with pytest.raises(ValueError, match="num_replicas"):
        DistributedSampler(range(4), num_replicas=0, rank=0)
    # no process group to ask (RuntimeError, as PyTorch, where no backend is installed at all)
    with pytest.raises((ValueError, RuntimeError), match="init_process_group|num_replicas and"):
        DistributedSampler(range(4))
