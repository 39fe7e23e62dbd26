"""minitorch: a PyTorch-style deep-learning framework on NumPy (CPU) and CuPy (GPU).

``import minitorch as mt``; then ``mt.tensor``, ``mt.nn``, ``mt.optim`` as in PyTorch.

``nn``, ``optim`` and ``Parameter`` are imported on first use (``mt.nn``, ``from minitorch import
nn``), so importing the lower layers (``minitorch.autograd``, ``minitorch.backend``) loads no
layer code, as the package is layered: autograd imports nothing from nn.
"""

from minitorch import autograd, backend, cuda, utils
from minitorch.autograd import Tensor, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
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

_LAZY = {"nn": "minitorch.nn", "optim": "minitorch.optim", "Parameter": "minitorch.nn.parameter"}


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module 'minitorch' has no attribute {name!r}")
    from importlib import import_module

    module = import_module(_LAZY[name])
    value = getattr(module, name) if name == "Parameter" else module
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
