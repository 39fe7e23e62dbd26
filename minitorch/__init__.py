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
from minitorch.autograd.ops import (
    absolute, acos, acosh, add, addbmm, addcdiv, addcmul, addmm, addmv, addr, all, allclose, any,
    arccos, arccosh, arcsin, arcsinh, arctan, arctan2, arctanh, argsort, argwhere, asin, asinh,
    atan, atan2, atanh, atleast_1d, atleast_2d, atleast_3d, baddbmm, bitwise_and, bitwise_not,
    bitwise_or, bitwise_xor, bmm, broadcast_to, cdist, ceil, chain_matmul, chunk, clamp_max,
    clamp_min, clone, column_stack, cos, cosh, count_nonzero, cumprod, cumsum, diag, diag_embed,
    diagonal, dist, div, divide, dot, dstack, einsum, eq, equal, erf, erfc, exp2, expm1, fix,
    flip, fliplr, flipud, floor, floor_divide, fmax, fmin, fmod, frac, gather, ge, ger, greater,
    greater_equal, gt, hstack, index_select, inner, is_floating_point, is_nonzero, isclose,
    isfinite, isinf, isnan, isneginf, isposinf, isreal, kthvalue, le, lerp, less, less_equal,
    log1p, log2, log10, log_softmax, logical_and, logical_not, logical_or, logical_xor, logsumexp,
    lt, masked_fill, masked_select, median, meshgrid, mm, moveaxis, movedim, msort, mul,
    multiply, mv, nan_to_num, nanmean, nansum, narrow, ne, neg, negative, nonzero, norm,
    not_equal, numel, outer, pow, prod, ravel, reciprocal, relu, remainder, repeat_interleave,
    roll, round, row_stack, rsqrt, scatter, scatter_add, sgn, sigmoid, sign, sin, sinh, softmax,
    sort, split, square, std, std_mean, sub, subtract, swapaxes, swapdims, t, take,
    take_along_dim, tan, tanh, tensor_split, tensordot, tile, topk, trace, tril, triu,
    true_divide, trunc, unbind, unflatten, var_mean, vdot, vstack,
)  # fmt: skip
from minitorch import linalg  # noqa: E402  (torch.linalg: norms, svdvals, matmul)
from minitorch.backend import device, get_default_device, manual_seed, set_default_device
from minitorch.backend.dtypes import (
    bool, double, float, float16, float32, float64, get_default_dtype, half, int, int8, int16,
    int32, int64, long, set_default_dtype, short, uint8,
)  # fmt: skip
from minitorch.backend.generator import Generator
from minitorch.utils import gradcheck
from minitorch.utils.serialization import CheckpointError, load, save

clamp = clip
concatenate = concat = cat

__version__ = "0.1.0"

LAZY_MODULES = {"nn", "optim", "data", "train", "viz", "distributed", "onnx"}
LAZY_NAMES = {"Parameter": "minitorch.nn.parameter", "summary": "minitorch.utils.summary"}

# --- the Tensor core surface: constructors, random state, dtypes, devices, printing ----------
from minitorch import accelerator, backends, random  # noqa: E402
from minitorch.autograd.factory import logspace, randint_like  # noqa: E402
from minitorch.autograd.printing import set_printoptions  # noqa: E402
from minitorch.autograd.queries import (  # noqa: E402
    can_cast, is_complex, is_floating_point, is_tensor, numel, promote_types, result_type,
)  # fmt: skip
from minitorch.autograd.sampling import bernoulli, multinomial, normal  # noqa: E402
from minitorch.autograd.size import Size  # noqa: E402
from minitorch.backend.dtype_info import finfo, iinfo  # noqa: E402
from minitorch.backend.dtypes import cdouble, cfloat, complex64, complex128  # noqa: E402
from minitorch.backend.generator import (  # noqa: E402
    default_generator, get_rng_state, initial_seed, manual_seed, seed, set_rng_state,  # noqa: F811
)  # fmt: skip
from minitorch.backend.threads import get_num_threads, set_num_threads  # noqa: E402
from minitorch.backends.cuda import (  # noqa: E402
    get_float32_matmul_precision, set_float32_matmul_precision,
)  # fmt: skip

LAZY_NAMES["bfloat16"] = "minitorch.backend.dtypes"  # needs ml_dtypes, imported on first use


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
