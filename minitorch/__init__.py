"""minitorch: a PyTorch-style deep-learning framework on NumPy (CPU) and CuPy (GPU).

``import minitorch as mt``; then ``mt.tensor``, ``mt.nn``, ``mt.optim`` as in PyTorch.
The packages above autograd (``nn``, ``optim``, ``data``, ``train``) are imported on first use,
so ``import minitorch.autograd`` stays free of them and ``import minitorch`` stays fast.
"""

import importlib
from typing import Any

from minitorch import autograd, backend, cuda, utils
from minitorch.autograd import (
    Tensor, enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled,
)  # fmt: skip
from minitorch.autograd.factory import (
    arange, as_tensor, empty, empty_like, eye, from_numpy, full, full_like, linspace, ones,
    ones_like, rand, rand_like, randint, randn, randn_like, randperm, tensor, zeros, zeros_like,
)  # fmt: skip
from minitorch.autograd.ops import (
    abs, amax, amin, argmax, argmin, cat, clip, exp, flatten, log, matmul, max, maximum, mean,
    min, minimum, permute, reshape, sqrt, squeeze, stack, sum, transpose, unsqueeze, var, where,
)  # fmt: skip
from minitorch.backend import device, get_default_device, manual_seed, set_default_device
from minitorch.backend.dtypes import (
    bool, double, float, float16, float32, float64, get_default_dtype, half, int, int8, int16,
    int32, int64, long, set_default_dtype, short, uint8,
)  # fmt: skip
from minitorch.backend.generator import Generator
from minitorch.utils import gradcheck
from minitorch.utils.serialization import load, save

clamp = clip
concatenate = concat = cat

__version__ = "0.1.0"

LAZY_MODULES = {"nn", "optim", "data", "train", "viz", "distributed"}
LAZY_NAMES = {"Parameter": "minitorch.nn.parameter"}


def __getattr__(name: str) -> Any:
    """``mt.nn``, ``mt.optim``, ``mt.Parameter`` ...: imported when first asked for."""
    if name in LAZY_MODULES:
        return importlib.import_module(f"minitorch.{name}")
    if name in LAZY_NAMES:
        value = globals()[name] = getattr(importlib.import_module(LAZY_NAMES[name]), name)
        return value
    raise AttributeError(f"module 'minitorch' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *LAZY_MODULES, *LAZY_NAMES})
