"""Where MNIST and Fashion-MNIST live online, their digests, and a loader returning numpy arrays.

Digests: the sha256 values are torchvision's (``torchvision/prototype/datasets/_builtin/mnist.py``)
and the md5 values those of ``torchvision.datasets.MNIST`` / ``FashionMNIST``; both are checked.
See docs/datasets.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .download import PathLike, data_root
from .download import download as fetch
from .idx import read_idx

__all__ = ["FOLDERS", "MIRRORS", "RESOURCES", "Resource", "load_mnist_arrays", "mnist_files"]


@dataclass(frozen=True)
class Resource:
    """One file of a dataset: its name on every mirror and its expected digests."""

    filename: str
    sha256: str | None = None
    md5: str | None = None


# Base URLs (ending in "/"), tried in order; a file's URL is base + filename.
MIRRORS: dict[str, tuple[str, ...]] = {
    "mnist": (
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
    ),
    "fashion": (
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
    ),
}

# kind -> split -> (images, labels).
RESOURCES: dict[str, dict[str, tuple[Resource, Resource]]] = {
    "mnist": {
        "train": (
            Resource(
                "train-images-idx3-ubyte.gz",
                sha256="440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                md5="f68b3c2dcbeaaa9fbdd348bbdeb94873",
            ),
            Resource(
                "train-labels-idx1-ubyte.gz",
                sha256="3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                md5="d53e105ee54ea40749a09fcbcd1e9432",
            ),
        ),
        "test": (
            Resource(
                "t10k-images-idx3-ubyte.gz",
                sha256="8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                md5="9fb629c4189551a2d022fa330f9573f3",
            ),
            Resource(
                "t10k-labels-idx1-ubyte.gz",
                sha256="f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
                md5="ec29112dd5afa0611ce80d1b7f02629c",
            ),
        ),
    },
    "fashion": {
        "train": (
            Resource(
                "train-images-idx3-ubyte.gz",
                sha256="3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                md5="8d4fb7e6c68d591d4c3dfef9ec88bf0d",
            ),
            Resource(
                "train-labels-idx1-ubyte.gz",
                sha256="a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                md5="25c81989df183df01b3e8a0aad5dffbe",
            ),
        ),
        "test": (
            Resource(
                "t10k-images-idx3-ubyte.gz",
                sha256="346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                md5="bef4ecab320f06d8554ea6380940ec79",
            ),
            Resource(
                "t10k-labels-idx1-ubyte.gz",
                sha256="67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
                md5="bb300cfdad3c16e7a12a480ee83cd310",
            ),
        ),
    },
}

# Both datasets use the same file names, so each gets its own folder under the cache root.
FOLDERS = {"mnist": "MNIST", "fashion": "FashionMNIST"}


def _check_kind(kind: str) -> None:
    if kind not in RESOURCES:
        raise ValueError(f"kind must be one of {sorted(RESOURCES)}, got {kind!r}")


def mnist_files(
    root: PathLike | None = None, train: bool = True, download: bool = False, kind: str = "mnist"
) -> tuple[Path, Path]:
    """Paths of the (images, labels) files, fetched and verified first when ``download`` is True.

    With ``download=False`` the files must already be in ``<root>/<MNIST|FashionMNIST>/``; they
    are read as they are, without hashing.
    """
    _check_kind(kind)
    folder = data_root(root) / FOLDERS[kind]
    resources = RESOURCES[kind]["train" if train else "test"]
    images, labels = (_locate(r, folder, MIRRORS[kind], download) for r in resources)
    return images, labels


def _locate(resource: Resource, folder: Path, mirrors: tuple[str, ...], download: bool) -> Path:
    if download:
        urls = [base + resource.filename for base in mirrors]
        return fetch(urls, resource.filename, resource.sha256, folder, md5=resource.md5)
    path = folder / resource.filename
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} not found; pass download=True to fetch it, or copy it there by hand"
        )
    return path


def load_mnist_arrays(
    root: PathLike | None = None, train: bool = True, download: bool = False, kind: str = "mnist"
) -> tuple[np.ndarray, np.ndarray]:
    """Load one split of MNIST (``kind='mnist'``) or Fashion-MNIST (``kind='fashion'``).

    Shape: images (N, 28, 28) uint8 in 0..255, labels (N,) uint8 in 0..9; N is 60000 for the
    training split and 10000 for the test split.
    """
    images_path, labels_path = mnist_files(root, train, download, kind)
    images, labels = read_idx(images_path), read_idx(labels_path)
    if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != (28, 28):
        raise ValueError(
            f"{images_path}: expected uint8 images of shape (N, 28, 28), "
            f"found {images.dtype} {images.shape}"
        )
    if labels.dtype != np.uint8 or labels.shape != images.shape[:1]:
        raise ValueError(
            f"{labels_path}: expected uint8 labels of shape ({len(images)},) to match "
            f"{images_path.name}, found {labels.dtype} {labels.shape}"
        )
    return images, labels
