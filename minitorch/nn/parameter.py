"""``Parameter``: a leaf Tensor that a Module registers as trainable, and its storage."""

from __future__ import annotations

from typing import Any

from minitorch.autograd import Tensor
from minitorch.backend import Array, backend_for, dtypes


class Parameter(Tensor):
    """A tensor that is a model weight: requires grad; collected by ``parameters()``."""

    __slots__ = ()

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        if data is None:
            from minitorch.autograd.factory import empty

            data = empty(0)
        super().__init__(data.detach() if isinstance(data, Tensor) else data, requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


def empty_param(shape: tuple, device: Any = None, dtype: Any = None) -> Array:
    """Uninitialised storage on ``device`` (default device and dtype when None); the layer's
    ``reset_parameters`` fills it."""
    dtype = dtypes.get_default_dtype() if dtype is None else dtypes.as_dtype(dtype)
    return backend_for(device).xp.empty(shape, dtype=dtype)


def zeros_param(shape: tuple, device: Any = None, dtype: Any = None) -> Array:
    """Zero-filled storage (buffers such as running statistics start from it)."""
    dtype = dtypes.get_default_dtype() if dtype is None else dtypes.as_dtype(dtype)
    return backend_for(device).xp.zeros(shape, dtype=dtype)
