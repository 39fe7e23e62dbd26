"""Weight initialisation, PyTorch's distributions. Draws come from the host generator and are
copied to the tensor's device, so ``mt.manual_seed(s)`` gives the same weights on CPU and GPU."""

from __future__ import annotations

import math
import warnings
from typing import Any

from minitorch.autograd import Tensor, no_grad
from minitorch.backend import get_backend, host_normal, host_uniform, numpy_backend

_GAINS = {"linear": 1.0, "identity": 1.0, "sigmoid": 1.0, "conv1d": 1.0, "conv2d": 1.0,
          "conv3d": 1.0, "conv_transpose1d": 1.0, "conv_transpose2d": 1.0, "tanh": 5.0 / 3,
          "relu": math.sqrt(2.0), "selu": 0.75}  # fmt: skip


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """PyTorch's recommended gain for ``nonlinearity`` (``param``: leaky_relu's slope)."""
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity not in _GAINS:
        raise ValueError(f"calculate_gain: unsupported nonlinearity {nonlinearity!r}")
    return _GAINS[nonlinearity]


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """fan_in = in_features * receptive field; weights are (out, in, *kernel)."""
    if tensor.ndim < 2:
        raise ValueError(f"fan in/out needs a tensor with >= 2 dims, got shape {tensor.shape}")
    receptive = 1
    for n in tensor.shape[2:]:
        receptive *= n
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _fill(tensor: Tensor, host_values: Any) -> Tensor:
    backend = get_backend(tensor.array)
    with no_grad():
        tensor.array[...] = backend.from_host(host_values.astype(tensor.dtype, copy=False))
    return tensor


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0) -> Tensor:
    """Fill ``tensor`` in place with draws from U(a, b)."""
    return _fill(tensor, host_uniform(tensor.shape, a, b))


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0) -> Tensor:
    """Fill ``tensor`` in place with draws from N(mean, std^2)."""
    return _fill(tensor, host_normal(tensor.shape, mean, std))


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill ``tensor`` in place with ``val``."""
    with no_grad():
        tensor.array[...] = val
    return tensor


def zeros_(tensor: Tensor) -> Tensor:
    """Fill ``tensor`` in place with zeros."""
    return constant_(tensor, 0.0)


def ones_(tensor: Tensor) -> Tensor:
    """Fill ``tensor`` in place with ones."""
    return constant_(tensor, 1.0)


def xavier_uniform_(tensor: Tensor, gain: float = 1.0) -> Tensor:
    """U(-b, b) with ``b = gain * sqrt(6 / (fan_in + fan_out))`` (Glorot), in place."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound)


def xavier_normal_(tensor: Tensor, gain: float = 1.0) -> Tensor:
    """N(0, std^2) with ``std = gain * sqrt(2 / (fan_in + fan_out))`` (Glorot), in place."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)))


def _zero_elements(tensor: Tensor) -> bool:
    """PyTorch's rule for He init of an empty tensor (whose fan may be 0): warn, do nothing."""
    if tensor.numel() == 0:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=3)
        return True
    return False


def _kaiming_std(tensor: Tensor, a: float, mode: str, nonlinearity: str) -> float:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"kaiming init: mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    fan = fan_in if mode == "fan_in" else fan_out
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform_(
    tensor: Tensor, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu"
) -> Tensor:
    """U(-b, b) with ``b = gain * sqrt(3 / fan)`` (He), in place.

    Args:
        a: the negative slope of the leaky_relu that follows (for its gain).
        mode: ``'fan_in'`` (keeps forward variances) or ``'fan_out'`` (backward ones).
    """
    if _zero_elements(tensor):
        return tensor
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound)


def kaiming_normal_(
    tensor: Tensor, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu"
) -> Tensor:
    """N(0, std^2) with ``std = gain / sqrt(fan)`` (He), in place.

    ``a`` and ``mode`` as in ``kaiming_uniform_``.
    """
    if _zero_elements(tensor):
        return tensor
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity))


def trunc_normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0,
                  b: float = 2.0) -> Tensor:  # fmt: skip
    """Normal draws redrawn until they fall inside [a, b]."""
    values = host_normal(tensor.shape, mean, std)
    outside = (values < a) | (values > b)
    while outside.any():
        values[outside] = host_normal(int(outside.sum()), mean, std)
        outside = (values < a) | (values > b)
    return _fill(tensor, values)


def orthogonal_(tensor: Tensor, gain: float = 1.0) -> Tensor:
    """A (semi-)orthogonal matrix (QR of a normal draw) times ``gain``, in place.

    A tensor of more than 2 dims is filled as the matrix (shape[0], numel / shape[0]).
    """
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    flat = host_normal((rows, cols))
    xp = numpy_backend().xp  # the QR runs on the host too, on the host draws
    q, r = xp.linalg.qr(flat.T if rows < cols else flat)
    q = q * xp.sign(xp.diag(r))
    q = q.T if rows < cols else q
    return _fill(tensor, gain * q.reshape(tensor.shape))
