"""Image datasets: ``Digits`` (shipped in the package), ``MNIST`` and ``FashionMNIST``.

Each sample is ``(image, label)``: the image a float32 Tensor of shape (1, H, W) scaled to
[0, 1], as torchvision's datasets give after ``ToTensor()``, and the label a Python int. A batch
from ``DataLoader`` is ``(images (B, 1, H, W) float32, labels (B,) int64)``. Flatten for an MLP
with ``x.reshape(len(x), -1)``. See docs/datasets.md for sources, licences and the split.
"""

from __future__ import annotations

from importlib import resources
from typing import Any, Callable

import numpy as np  # reading the shipped .npz file (host I/O only)

from minitorch.autograd import Tensor
from minitorch.backend import as_device, backend_for, dtypes
from minitorch.data.dataset import Dataset
from minitorch.data.download import PathLike
from minitorch.data.mnist_files import load_mnist_arrays

__all__ = ["Digits", "FashionMNIST", "ImageArrays", "MNIST", "load_digits_arrays"]


def load_digits_arrays(train: bool = True) -> tuple:
    """The shipped digits split as uint8 arrays: images (N, 8, 8) in 0..16, labels (N,) in 0..9.

    N is 1,438 for ``train=True`` and 359 for ``train=False`` (the fixed stratified split).
    """
    with resources.files("minitorch.data").joinpath("digits.npz").open("rb") as f:
        with np.load(f) as data:
            images, labels, test_index = data["images"], data["labels"], data["test_index"]
    test = np.zeros(len(labels), dtype=bool)
    test[test_index] = True
    keep = ~test if train else test
    return images[keep], labels[keep]


class ImageArrays(Dataset):
    """Grey images held as one uint8 array; scaled to float32 [0, 1] per sample or per batch.

    ``data`` (N, H, W) uint8 and ``targets`` (N,) int64 live on ``device`` (the CPU by default);
    with a GPU device, batches are gathered and scaled there.
    """

    classes: tuple[str, ...] = tuple(str(i) for i in range(10))

    def __init__(
        self,
        images: Any,
        labels: Any,
        scale: float,
        transform: Callable | None = None,
        target_transform: Callable | None = None,
        device: Any = None,
    ) -> None:
        backend = backend_for(as_device("cpu" if device is None else device))
        self._backend = backend
        self.data = backend.from_host(images)
        self.targets = backend.from_host(labels.astype(np.int64))
        self.scale = scale
        self.transform, self.target_transform = transform, target_transform

    def __len__(self) -> int:
        return len(self.targets)

    def _image(self, raw: Any) -> Tensor:
        x = raw.astype(dtypes.float32)
        x *= 1.0 / self.scale
        return Tensor(x[..., None, :, :])  # add the channel dimension

    def __getitem__(self, index: int) -> tuple:
        image, label = self._image(self.data[index]), int(self.targets[index])
        if self.transform is not None:
            image = self.transform(image)
        if self.target_transform is not None:
            label = self.target_transform(label)
        return image, label

    def __getattr__(self, name: str) -> Any:
        # Vectorised batches only without per-sample transforms (those must see one sample).
        d = self.__dict__
        if (
            name == "get_batch"
            and d.get("transform") is None
            and d.get("target_transform") is None
        ):
            return self._get_batch
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _get_batch(self, indices: Any) -> list:
        index = self._backend.asarray(indices)
        return [self._image(self.data[index]), Tensor(self.targets[index])]

    def extra_repr(self) -> str:
        """The image count and shape shown in ``repr``."""
        return f"{len(self)} images of shape {tuple(self.data.shape[1:])}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"


class Digits(ImageArrays):
    """The UCI handwritten digits shipped with minitorch: 8 x 8 images of the digits 0-9.

    ``train=True``: 1,438 images; ``train=False``: 359, a fixed stratified 20 % split (the same
    for every install). No download, no extra dependency.

    Shape: image (1, 8, 8) float32 in [0, 1] (pixel counts 0..16 divided by 16); label an int.
    """

    def __init__(
        self,
        train: bool = True,
        transform: Callable | None = None,
        target_transform: Callable | None = None,
        device: Any = None,
    ) -> None:
        images, labels = load_digits_arrays(train)
        self.train = train
        super().__init__(images, labels, 16.0, transform, target_transform, device)


class MNIST(ImageArrays):
    """MNIST handwritten digits from the standard IDX files (gzipped or raw).

    The files are looked for in ``<root>/MNIST/`` (``root`` defaults to ``$MINITORCH_DATA`` or
    ``~/.cache/minitorch``); ``download=True`` fetches and checks them first.

    Shape: image (1, 28, 28) float32 in [0, 1]; label an int. 60,000 train / 10,000 test images.
    """

    kind = "mnist"

    def __init__(
        self,
        root: PathLike | None = None,
        train: bool = True,
        transform: Callable | None = None,
        target_transform: Callable | None = None,
        download: bool = False,
        device: Any = None,
    ) -> None:
        images, labels = load_mnist_arrays(root, train, download, kind=self.kind)
        self.root, self.train = root, train
        super().__init__(images, labels, 255.0, transform, target_transform, device)


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST: 28 x 28 images of clothes, in ``<root>/FashionMNIST/``."""

    kind = "fashion"
    classes = (
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    )  # fmt: skip
