"""``minitorch.utils.data`` is ``minitorch.data``, reachable every way ``torch.utils.data`` is."""

import subprocess
import sys
from pathlib import Path

import minitorch
import minitorch.data

ROOT = Path(__file__).resolve().parents[2]

NAMES = [
    "BatchSampler", "ChainDataset", "ConcatDataset", "DataLoader", "Dataset", "IterableDataset",
    "RandomSampler", "Sampler", "SequentialSampler", "Subset", "SubsetRandomSampler",
    "TensorDataset", "WeightedRandomSampler", "default_collate", "default_convert",
    "get_worker_info", "random_split",
]  # fmt: skip


def test_the_same_module_and_objects():
    import minitorch.utils.data as utils_data
    from minitorch.utils.data import DataLoader

    assert utils_data is minitorch.data and minitorch.utils.data is minitorch.data
    assert DataLoader is minitorch.data.DataLoader
    for name in NAMES:
        assert getattr(utils_data, name) is getattr(minitorch.data, name), name


def test_torch_s_names_are_all_there(torch):
    for name in NAMES:
        assert hasattr(torch.utils.data, name), name  # the names are PyTorch's


def test_submodules_are_the_same_modules():
    from minitorch.utils.data.dataloader import DataLoader
    from minitorch.utils.data.dataset import Dataset
    from minitorch.utils.data.sampler import SubsetRandomSampler

    assert DataLoader is minitorch.data.DataLoader and Dataset is minitorch.data.Dataset
    assert SubsetRandomSampler is minitorch.data.SubsetRandomSampler
    assert sys.modules["minitorch.utils.data.sampler"] is sys.modules["minitorch.data.sampler"]


def _fresh(code):
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_each_way_in_from_a_fresh_interpreter():
    """As torch: ``import torch; torch.utils.data.X``, ``import torch.utils.data``, and
    ``from torch.utils.data import X``; ``import minitorch`` alone doesn't load the data
    package."""
    out = _fresh(
        "import sys, minitorch as torch\n"
        "print('minitorch.data' in sys.modules)\n"
        "loader = torch.utils.data.DataLoader\n"
        "import minitorch.data\n"
        "print(loader is minitorch.data.DataLoader)\n"
    )
    assert out.split() == ["False", "True"]
    out = _fresh(
        "import minitorch.utils.data\n"
        "from minitorch.utils.data import TensorDataset\n"
        "import minitorch.data\n"
        "print(minitorch.utils.data is minitorch.data)\n"
        "print(TensorDataset is minitorch.data.TensorDataset)\n"
    )
    assert out.split() == ["True", "True"]
