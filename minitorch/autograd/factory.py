"""Creating tensors: ``tensor``, ``as_tensor``, ``zeros``, ``ones``, ``full``, ``arange``,
``linspace``, ``eye`` and the ``*_like`` forms. Random draws are in ``sampling.py``.

Sizes are given as ints (``zeros(2, 3)``) or one sequence (``zeros((2, 3))``, ``zeros(x.shape)``).
Floating results take the default dtype (``mt.get_default_dtype()``, float32) unless ``dtype``
says otherwise; ``device=None`` means the default device.
"""

from __future__ import annotations

from typing import Any

from minitorch.autograd.sampling import (  # noqa: F401  (random tensors are made here too)
    rand,
    rand_like,
    randint,
    randint_like,
    randn,
    randn_like,
    randperm,
)
from minitorch.autograd.size import shape_arg
from minitorch.autograd.tensor import Tensor
from minitorch.backend import backend_for, dtypes, get_backend

float_dtype = dtypes.float_or_default


def _make(data: Any, requires_grad: bool) -> Tensor:
    return Tensor(data, requires_grad=requires_grad)


def tensor(
    data: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """A new tensor holding a copy of ``data`` (nested lists, scalars, arrays, Tensors or lists
    of 0-d Tensors).

    Python floats (also mixed with ints) become the default float dtype (float32), ints
    int64, bools bool, complex numbers complex64; NumPy arrays and Tensors keep their dtype.
    """
    if isinstance(data, Tensor):
        data = data.array
    if device is None and hasattr(data, "__cuda_array_interface__"):
        target = get_backend(data)
    else:
        target = backend_for(device)
    is_array = hasattr(data, "dtype") and hasattr(data, "shape")
    array = target.asarray(data, dtype=dtypes.as_dtype(dtype))
    if dtype is None and not is_array and array.dtype.kind in "fc":
        default = dtypes.get_default_dtype()
        if array.dtype.kind == "c":
            default = dtypes.complex128 if default == dtypes.float64 else dtypes.complex64
        array = array.astype(default, copy=False)
    if array is data or (is_array and getattr(array, "base", None) is data):
        array = array.copy()
    return _make(array, requires_grad)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """``data`` as a tensor, sharing memory with an array (or returning a Tensor) already of the
    right dtype and device; anything else is converted as ``tensor`` does."""
    if isinstance(data, Tensor):
        return data.to(device=device, dtype=dtype)
    is_array = hasattr(data, "__array_interface__") or hasattr(data, "__cuda_array_interface__")
    if not is_array or not hasattr(data, "shape"):
        return tensor(data, dtype=dtype, device=device)
    target = get_backend(data) if device is None else backend_for(device)
    return Tensor(target.asarray(data, dtype=dtypes.as_dtype(dtype)))


def from_numpy(array: Any) -> Tensor:
    """A CPU tensor sharing memory with the NumPy array ``array``."""
    cpu = backend_for("cpu")
    if not isinstance(array, cpu.xp.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    return Tensor(cpu.asarray(array))


def zeros(
    *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """A tensor of zeros. Shape: ``size``."""
    xp = backend_for(device).xp
    return _make(xp.zeros(shape_arg(size, "zeros"), dtype=float_dtype(dtype)), requires_grad)


def ones(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones. Shape: ``size``."""
    xp = backend_for(device).xp
    return _make(xp.ones(shape_arg(size, "ones"), dtype=float_dtype(dtype)), requires_grad)


def empty(
    *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """A tensor whose values are whatever the memory held. Shape: ``size``."""
    xp = backend_for(device).xp
    return _make(xp.empty(shape_arg(size, "empty"), dtype=float_dtype(dtype)), requires_grad)


def full(size: Any, fill_value: Any, *, dtype: Any = None, device: Any = None,
         requires_grad: bool = False) -> Tensor:  # fmt: skip
    """A tensor filled with ``fill_value``; its dtype follows the value (bool, int64, the
    default float, complex64) unless given. Shape: ``size``."""
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    if dtype is None:
        dtype = _python_dtype(fill_value)
    xp = backend_for(device).xp
    return _make(xp.full(shape_arg((size,), "full"), fill_value, dtype=float_dtype(dtype)),
                 requires_grad)  # fmt: skip


def _python_dtype(value: Any) -> Any:
    if isinstance(value, bool):
        return dtypes.bool
    if isinstance(value, int):
        return dtypes.int64
    if isinstance(value, complex):
        return dtypes.complex64
    return getattr(value, "dtype", None)  # a NumPy scalar keeps its dtype; floats: default


def eye(n: int, m: int | None = None, *, dtype: Any = None, device: Any = None,
        requires_grad: bool = False) -> Tensor:  # fmt: skip
    """The identity matrix (ones on the diagonal). Shape: (n, m or n)."""
    return _make(backend_for(device).xp.eye(n, m, dtype=float_dtype(dtype)), requires_grad)


def _number(value: Any) -> Any:
    return value.item() if isinstance(value, Tensor) else value


def arange(start: Any, end: Any = None, step: Any = 1, *, dtype: Any = None,
           device: Any = None, requires_grad: bool = False) -> Tensor:  # fmt: skip
    """``start, start + step, ...`` up to but excluding ``end`` (``arange(n)``: 0 .. n-1).

    Integer arguments give int64, any float one the default float dtype, as in PyTorch. Float
    values are ``start + i * step`` in float64 rounded once to the dtype (PyTorch's vectorised
    kernel can differ in the last bit). Shape: (ceil((end - start) / step),).
    """
    start, end, step = _number(start), _number(end), _number(step)
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("arange: step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError(
            f"arange: upper bound and larger bound inconsistent with step sign (start={start}, "
            f"end={end}, step={step})"
        )
    if dtype is None:
        ints = all(isinstance(v, int) or getattr(getattr(v, "dtype", None), "kind", "f") in "iub"
                   for v in (start, end, step))  # fmt: skip
        dtype = dtypes.int64 if ints else dtypes.get_default_dtype()
    xp = backend_for(device).xp
    dtype = dtypes.as_dtype(dtype)
    if dtype.kind in "iub":
        values = xp.arange(start, end, step, dtype=dtype)
    else:  # start + i * step in float64, then rounded once (PyTorch's accumulate type)
        values = xp.arange(start, end, step, dtype=dtypes.float64).astype(dtype, copy=False)
    return _make(values, requires_grad)


def linspace(start: Any, end: Any, steps: int, *, dtype: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:  # fmt: skip
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive, computed as PyTorch
    does (from ``start`` for the first half, back from ``end`` for the second, in ``dtype``).
    Shape: (steps,)."""
    start, end = _number(start), _number(end)
    if steps < 0:
        raise RuntimeError("linspace: number of steps must be non-negative")
    dtype = float_dtype(dtype)
    xp = backend_for(device).xp
    if steps == 1:
        return _make(xp.full((1,), start, dtype=dtype), requires_grad)
    work = dtype if dtypes.is_floating(dtype) else dtypes.float64
    i = xp.arange(steps).astype(work)
    a, b = xp.asarray(start, dtype=work), xp.asarray(end, dtype=work)
    step = (b - a) / work.type(max(steps - 1, 1))
    values = xp.where(i < steps // 2, a + step * i, b - step * (work.type(steps - 1) - i))
    return _make(values.astype(dtype, copy=False), requires_grad)


def logspace(start: Any, end: Any, steps: int, base: float = 10.0, *, dtype: Any = None,
             device: Any = None, requires_grad: bool = False) -> Tensor:  # fmt: skip
    """``base ** linspace(start, end, steps)``. Shape: (steps,)."""
    exponents = linspace(start, end, steps, dtype=dtypes.float64, device=device).array
    values = (base**exponents).astype(float_dtype(dtype), copy=False)
    return _make(values, requires_grad)


def _like_kwargs(x: Tensor, dtype: Any, device: Any, requires_grad: bool) -> dict:
    return {
        "dtype": x.dtype if dtype is None else dtype,
        "device": x.device if device is None else device,
        "requires_grad": requires_grad,
    }


def zeros_like(input: Tensor, *, dtype: Any = None, device: Any = None,  # noqa: A002
               requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Zeros of ``input``'s shape, dtype and device (unless given)."""
    return zeros(input.shape, **_like_kwargs(input, dtype, device, requires_grad))


def ones_like(input: Tensor, *, dtype: Any = None, device: Any = None,  # noqa: A002
              requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Ones of ``input``'s shape, dtype and device (unless given)."""
    return ones(input.shape, **_like_kwargs(input, dtype, device, requires_grad))


def empty_like(input: Tensor, *, dtype: Any = None, device: Any = None,  # noqa: A002
               requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Uninitialised values of ``input``'s shape, dtype and device (unless given)."""
    return empty(input.shape, **_like_kwargs(input, dtype, device, requires_grad))


def full_like(input: Tensor, fill_value: Any, *, dtype: Any = None,  # noqa: A002
              device: Any = None, requires_grad: bool = False) -> Tensor:  # fmt: skip
    """``fill_value`` in ``input``'s shape, dtype and device (unless given)."""
    return full(input.shape, fill_value, **_like_kwargs(input, dtype, device, requires_grad))
