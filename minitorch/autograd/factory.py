"""Creating tensors: ``tensor``, ``zeros``, ``ones``, ``randn``, ``arange``, ..."""

from __future__ import annotations

from typing import Any

from minitorch.autograd.tensor import Tensor
from minitorch.backend import backend_for, dtypes, get_backend


def _shape(size: tuple) -> tuple:
    if len(size) == 1 and not isinstance(size[0], int):
        return tuple(size[0])
    return tuple(size)


def _make(data: Any, requires_grad: bool) -> Tensor:
    return Tensor(data, requires_grad=requires_grad)


def _float(dtype: Any) -> Any:
    return dtypes.get_default_dtype() if dtype is None else dtypes.as_dtype(dtype)


def tensor(
    data: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """A new tensor holding a copy of ``data`` (nested lists, scalars, arrays or a Tensor).

    Python floats become the default float dtype (float32); arrays keep their dtype.
    """
    if isinstance(data, Tensor):
        data = data.array
    if device is None and hasattr(data, "__cuda_array_interface__"):
        target = get_backend(data)
    else:
        target = backend_for(device)
    is_array = hasattr(data, "dtype") and hasattr(data, "shape")
    array = target.asarray(data, dtype=dtypes.as_dtype(dtype))
    if dtype is None and not is_array and array.dtype.kind == "f":
        array = array.astype(dtypes.get_default_dtype(), copy=False)
    if array is data or (is_array and getattr(array, "base", None) is data):
        array = array.copy()
    return _make(array, requires_grad)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """Like ``tensor`` but shares memory with an array already of the right dtype and device."""
    if isinstance(data, Tensor) and dtype is None and device is None:
        return data
    if isinstance(data, Tensor):
        data = data.array
    target = backend_for(device) if device is not None or not hasattr(data, "dtype") else None
    if target is None:
        target = (
            get_backend(data)
            if hasattr(data, "__array_interface__") or hasattr(data, "__cuda_array_interface__")
            else backend_for(None)
        )
    return Tensor(target.asarray(data, dtype=dtypes.as_dtype(dtype)))


def from_numpy(array: Any) -> Tensor:
    """A CPU tensor sharing memory with a NumPy array."""
    return Tensor(backend_for("cpu").asarray(array))


def zeros(
    *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    return _make(backend_for(device).xp.zeros(_shape(size), dtype=_float(dtype)), requires_grad)


def ones(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    return _make(backend_for(device).xp.ones(_shape(size), dtype=_float(dtype)), requires_grad)


def empty(
    *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    return _make(backend_for(device).xp.empty(_shape(size), dtype=_float(dtype)), requires_grad)


def full(
    size: Any, fill_value: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    if dtype is None and isinstance(fill_value, bool):
        dtype = dtypes.bool
    elif dtype is None and isinstance(fill_value, int):
        dtype = dtypes.int64
    xp = backend_for(device).xp
    return _make(xp.full(_shape((size,)), fill_value, dtype=_float(dtype)), requires_grad)


def eye(n: int, m: int | None = None, dtype: Any = None, device: Any = None) -> Tensor:
    return Tensor(backend_for(device).xp.eye(n, m, dtype=_float(dtype)))


def arange(
    start: Any, end: Any = None, step: Any = 1, dtype: Any = None, device: Any = None,
    requires_grad: bool = False,
) -> Tensor:  # fmt: skip
    if end is None:
        start, end = 0, start
    if dtype is None:
        ints = all(isinstance(v, int) for v in (start, end, step))
        dtype = dtypes.int64 if ints else dtypes.get_default_dtype()
    return _make(backend_for(device).xp.arange(start, end, step, dtype=dtype), requires_grad)


def linspace(
    start: float, end: float, steps: int, dtype: Any = None, device: Any = None
) -> Tensor:
    return Tensor(backend_for(device).xp.linspace(start, end, steps, dtype=_float(dtype)))


def randn(
    *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Standard normal draws from the device's generator (seeded by ``mt.manual_seed``)."""
    dtype = _float(dtype)
    data = backend_for(device).standard_normal(_shape(size), dtype).astype(dtype, copy=False)
    return _make(data, requires_grad)


def rand(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Uniform draws on [0, 1)."""
    dtype = _float(dtype)
    data = backend_for(device).uniform(_shape(size), dtype).astype(dtype, copy=False)
    return _make(data, requires_grad)


def randint(
    low: int, high: int | None = None, size: Any = (), dtype: Any = None, device: Any = None
) -> Tensor:
    if high is None:
        low, high = 0, low
    data = backend_for(device).integers(low, high, tuple(size))
    return Tensor(data if dtype is None else data.astype(dtype))


def randperm(n: int, device: Any = None) -> Tensor:
    return Tensor(backend_for(device).permutation(n))


def _like(fn: Any, x: Tensor, dtype: Any, kwargs: dict) -> Tensor:
    return fn(*x.shape, dtype=x.dtype if dtype is None else dtype, device=x.device, **kwargs)


def zeros_like(x: Tensor, dtype: Any = None, **kwargs: Any) -> Tensor:
    return _like(zeros, x, dtype, kwargs)


def ones_like(x: Tensor, dtype: Any = None, **kwargs: Any) -> Tensor:
    return _like(ones, x, dtype, kwargs)


def empty_like(x: Tensor, dtype: Any = None, **kwargs: Any) -> Tensor:
    return _like(empty, x, dtype, kwargs)


def randn_like(x: Tensor, dtype: Any = None, **kwargs: Any) -> Tensor:
    return _like(randn, x, dtype, kwargs)


def rand_like(x: Tensor, dtype: Any = None, **kwargs: Any) -> Tensor:
    return _like(rand, x, dtype, kwargs)


def full_like(x: Tensor, fill_value: Any, dtype: Any = None, **kwargs: Any) -> Tensor:
    return full(
        x.shape, fill_value, dtype=x.dtype if dtype is None else dtype, device=x.device, **kwargs
    )
