import numpy as np
import pytest

import minitorch as mt
from minitorch.data import MNIST, DataLoader, Digits, FashionMNIST
from minitorch.data.idx import write_idx


def test_digits_split_sizes_and_class_counts():
    train, test = Digits(train=True), Digits(train=False)
    assert (len(train), len(test)) == (1438, 359)
    counts = np.bincount(test.targets, minlength=10).tolist()
    assert counts == [36, 36, 35, 37, 36, 36, 36, 36, 35, 36]
    assert np.bincount(train.targets).sum() == 1438 and train.classes[3] == "3"


def test_digits_samples_and_batches():
    ds = Digits()
    image, label = ds[0]
    assert image.shape == (1, 8, 8) and image.dtype == mt.float32 and isinstance(label, int)
    assert 0.0 <= image.numpy().min() and image.numpy().max() <= 1.0
    x, y = next(iter(DataLoader(ds, batch_size=32)))
    assert x.shape == (32, 1, 8, 8) and x.dtype == mt.float32 and y.dtype == mt.int64
    assert np.array_equal(x.numpy()[0], image.numpy()) and y.tolist()[0] == label


def test_digits_transform_is_applied_per_sample():
    ds = Digits(train=False, transform=lambda t: t.reshape(64), target_transform=lambda y: y + 1)
    assert not hasattr(ds, "get_batch")
    x, y = next(iter(DataLoader(ds, batch_size=5)))
    assert x.shape == (5, 64) and y.tolist() == [v + 1 for v in Digits(train=False).targets[:5]]


def test_digits_on_a_device(device):
    x, y = next(iter(DataLoader(Digits(device=device), batch_size=8)))
    assert x.device == mt.device(device) and y.device == mt.device(device)


@pytest.mark.parametrize("cls, folder", [(MNIST, "MNIST"), (FashionMNIST, "FashionMNIST")])
def test_mnist_from_generated_idx_files(tmp_path, cls, folder):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(7, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=7, dtype=np.uint8)
    (tmp_path / folder).mkdir()
    write_idx(tmp_path / folder / "t10k-images-idx3-ubyte.gz", images)
    write_idx(tmp_path / folder / "t10k-labels-idx1-ubyte.gz", labels)
    ds = cls(tmp_path, train=False)
    assert len(ds) == 7
    image, label = ds[2]
    assert image.shape == (1, 28, 28) and label == labels[2]
    np.testing.assert_allclose(image.numpy()[0], images[2] / np.float32(255), rtol=1e-6)
    x, y = next(iter(DataLoader(ds, batch_size=4, shuffle=True)))
    assert x.shape == (4, 1, 28, 28) and y.dtype == mt.int64


def test_mnist_missing_files_say_how_to_get_them(tmp_path):
    with pytest.raises(FileNotFoundError, match="download=True"):
        MNIST(tmp_path, train=True)
