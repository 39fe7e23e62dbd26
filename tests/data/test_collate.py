"""default_collate / default_convert against torch's: the same structure, shapes and dtypes, and
errors that name the samples and what differs."""

from collections import OrderedDict, namedtuple

import numpy as np
import pytest

import minitorch as mt
from minitorch.data import DataLoader, Dataset, default_collate, default_convert
from minitorch.data.collate import CollateError

Point = namedtuple("Point", "a b")


def _samples(lib):
    """The same samples built with minitorch or torch tensors."""
    return [
        {
            "t": lib.tensor([i, i + 1.0]),
            "n": np.full((2, 2), i, np.float32),
            "s": np.float32(i),
            "i": i,
            "f": i / 2,
            "b": i % 2 == 0,
            "name": f"x{i}",
            "pair": (lib.tensor(i), [i, -i]),
            "pt": Point(i, lib.tensor([i])),
        }
        for i in range(3)
    ]


def _plain(batch):
    """Nested structure with tensors as (numpy array, dtype name): comparable across libraries."""
    if hasattr(batch, "numpy") and not isinstance(batch, np.ndarray):
        a = batch.numpy()
        return ("tensor", a.tolist(), str(a.dtype), a.shape)
    if isinstance(batch, dict):
        return {k: _plain(v) for k, v in batch.items()}
    if isinstance(batch, tuple) and hasattr(batch, "_fields"):
        return (type(batch).__name__, [_plain(v) for v in batch])
    if isinstance(batch, (list, tuple)):
        return (type(batch).__name__, [_plain(v) for v in batch])
    return batch


def test_default_collate_matches_torch(torch):
    torch.set_default_dtype(torch.float32)
    ours = default_collate(_samples(mt))
    theirs = torch.utils.data.default_collate(_samples(torch))
    assert _plain(ours) == _plain(theirs)
    assert isinstance(ours["pair"], list) and isinstance(ours["pt"], Point)


def test_default_collate_keeps_mapping_types():
    batch = default_collate([OrderedDict(a=1, b=2.0), OrderedDict(a=3, b=4.0)])
    assert type(batch) is OrderedDict and list(batch) == ["a", "b"]


@pytest.mark.parametrize(
    "samples",
    [
        [np.zeros(2), np.ones(2)],
        [1, 2, 3],
        [1.5, 2.5],
        [True, False],
        ["a", "b"],
        [[1, 2], [3, 4]],
        [np.int64(3), np.int64(4)],
    ],
)
def test_default_collate_leaves_match_torch(torch, samples):
    assert _plain(default_collate(samples)) == _plain(torch.utils.data.default_collate(samples))


@pytest.mark.parametrize(
    "data",
    [np.arange(3), 5, "s", (np.zeros(2), 1), [np.ones(1)], {"a": np.zeros(1), "b": 2}],
)
def test_default_convert_matches_torch(torch, data):
    assert _plain(default_convert(data)) == _plain(torch.utils.data.default_convert(data))


def test_dict_sample_missing_a_key_names_it():
    with pytest.raises(KeyError, match=r"batch position 2 has \['x'\] \(missing \['y'\]\)"):
        default_collate([{"x": 1, "y": 2}, {"x": 1, "y": 2}, {"x": 3}])


def test_mixed_sample_types_name_the_positions():
    with pytest.raises(TypeError, match="batch position 0 has a Tensor but batch position 1"):
        default_collate([mt.zeros(2), np.zeros(2)])
    with pytest.raises(TypeError, match="position 0 has an int but batch position 2 has a str"):
        default_collate([1, 2, "3"])
    with pytest.raises(TypeError, match="position 0 has a dict but batch position 1 has a list"):
        default_collate([{"a": 1}, [1]])


def test_unequal_shapes_and_lengths():
    with pytest.raises(RuntimeError, match=r"position 0 has shape \(2,\) but batch position 1"):
        default_collate([mt.zeros(2), mt.zeros(3)])
    with pytest.raises(RuntimeError, match="each element in list of batch should be of equal"):
        default_collate([(1, 2), (1, 2, 3)])


def test_bad_inputs():
    with pytest.raises(TypeError, match="found <U1"):
        default_collate([np.array(["a"]), np.array(["b"])])
    with pytest.raises(ValueError, match="non-empty list of samples"):
        default_collate([])


class _Records(Dataset):
    """Dict samples; sample ``missing`` lacks "y", sample ``odd`` has a str for "x"."""

    def __init__(self, missing=None, odd=None):
        self.missing, self.odd = missing, odd

    def __getitem__(self, i):
        sample = {"x": "no" if i == self.odd else mt.tensor([float(i)]), "y": i}
        if i == self.missing:
            del sample["y"]
        return sample

    def __len__(self):
        return 8


def test_loader_errors_name_dataset_indices():
    with pytest.raises(KeyError, match=r"sample 4 has keys \['x', 'y'\] but sample 6 has \['x'\]"):
        list(DataLoader(_Records(missing=6), batch_size=4))
    with pytest.raises(TypeError, match="sample 0 has a Tensor but sample 3 has a str") as info:
        list(DataLoader(_Records(odd=3), batch_size=4))
    assert isinstance(info.value, CollateError) and info.value.positions == (0, 3)


def test_custom_collate_errors_pass_through():
    def collate(samples):
        raise ValueError("my collate")

    with pytest.raises(ValueError, match="^my collate$"):
        list(DataLoader(_Records(), batch_size=2, collate_fn=collate))
