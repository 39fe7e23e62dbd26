"""Random tensors: ``rand``, ``randn``, ``randint``, ``randperm``, ``multinomial``,
``bernoulli``, ``normal``, the ``*_like`` forms, and the values behind ``Tensor.uniform_`` etc.

Each takes ``generator=`` (an ``mt.Generator``); without it the draws come from the device's
own stream, seeded by ``mt.manual_seed``. The streams are NumPy's / CuPy's, not PyTorch's, so a
seed gives reproducible draws with the right distribution, shape and dtype, not PyTorch's numbers.
"""

from __future__ import annotations

from typing import Any

from minitorch.autograd.size import shape_arg
from minitorch.autograd.tensor import Tensor
from minitorch.backend import backend_for, dtypes, get_backend

float_dtype = dtypes.float_or_default


def _draw(backend: Any, generator: Any, kind: str, *args: Any) -> Any:
    """``backend.<kind>(*args)``, or the same draw from ``generator`` moved to the device."""
    if generator is None:
        return getattr(backend, kind)(*args)
    if generator.device.type != backend.device.type:
        raise RuntimeError(
            f"Expected a '{backend.device.type}' device type for generator but found "
            f"'{generator.device.type}'"
        )
    return backend.from_host(getattr(generator, kind)(*args))


def _floating(dtype: Any, name: str) -> Any:
    dtype = float_dtype(dtype)
    if not dtypes.is_floating(dtype):
        raise RuntimeError(f"{name}: expected a floating point dtype, got {dtype}")
    return dtype


def rand(*size: Any, generator: Any = None, dtype: Any = None, device: Any = None,
         requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Draws uniform on [0, 1). Shape: ``size``."""
    dtype, backend = _floating(dtype, "rand"), backend_for(device)
    data = _draw(backend, generator, "uniform", shape_arg(size, "rand"), dtype)
    return Tensor(data.astype(dtype, copy=False), requires_grad=requires_grad)


def randn(*size: Any, generator: Any = None, dtype: Any = None, device: Any = None,
          requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Standard normal draws. Shape: ``size``."""
    dtype, backend = _floating(dtype, "randn"), backend_for(device)
    data = _draw(backend, generator, "standard_normal", shape_arg(size, "randn"), dtype)
    return Tensor(data.astype(dtype, copy=False), requires_grad=requires_grad)


def randint(*args: Any, size: Any = None, low: int | None = None, high: int | None = None,
            generator: Any = None, dtype: Any = None, device: Any = None,
            requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Integers uniform on ``[low, high)``: ``randint(high, size)`` or ``randint(low, high,
    size)`` (``size`` a tuple, also as ``size=``), int64 unless ``dtype`` says. Shape: size."""
    args = list(args)
    if size is None and args and isinstance(args[-1], (tuple, list)):
        size = args.pop()
    if size is None or not isinstance(size, (tuple, list)) or len(args) > 2:
        raise TypeError(
            "randint() expects randint(high, size) or randint(low, high, size) with size a "
            f"tuple of ints, e.g. randint(0, 10, (3,)); got arguments {tuple(args)} and "
            f"size={size!r}"
        )
    if len(args) == 2:
        low, high = args
    elif len(args) == 1:
        if high is None:
            high = args[0]
        else:
            low = args[0]
    if high is None:
        raise TypeError("randint() missing the required argument 'high'")
    low = 0 if low is None else low
    return _randint(low, high, tuple(size), generator, dtype, device, requires_grad)


def _randint(low: Any, high: Any, shape: tuple, generator: Any, dtype: Any, device: Any,
             requires_grad: bool) -> Tensor:  # fmt: skip
    low, high = int(low), int(high)
    if low >= high:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    data = _draw(
        backend_for(device), generator, "integers", low, high, shape_arg(shape, "randint")
    )
    if dtype is not None:
        data = data.astype(dtypes.as_dtype(dtype), copy=False)
    return Tensor(data, requires_grad=requires_grad)


def randperm(n: int, *, generator: Any = None, dtype: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:  # fmt: skip
    """A random ordering of ``0 .. n-1`` (int64 unless ``dtype`` says). Shape: (n,)."""
    if n < 0:
        raise RuntimeError(f"randperm: n must be non-negative, got {n}")
    data = _draw(backend_for(device), generator, "permutation", int(n))
    if dtype is not None:
        data = data.astype(dtypes.as_dtype(dtype), copy=False)
    return Tensor(data, requires_grad=requires_grad)


def rand_like(input: Tensor, *, dtype: Any = None, device: Any = None,  # noqa: A002
              requires_grad: bool = False) -> Tensor:  # fmt: skip
    """``rand`` in ``input``'s shape, dtype and device (unless given)."""
    return rand(input.shape, dtype=input.dtype if dtype is None else dtype,
                device=input.device if device is None else device,
                requires_grad=requires_grad)  # fmt: skip


def randn_like(input: Tensor, *, dtype: Any = None, device: Any = None,  # noqa: A002
               requires_grad: bool = False) -> Tensor:  # fmt: skip
    """``randn`` in ``input``'s shape, dtype and device (unless given)."""
    return randn(input.shape, dtype=input.dtype if dtype is None else dtype,
                 device=input.device if device is None else device,
                 requires_grad=requires_grad)  # fmt: skip


def randint_like(input: Tensor, low: int = 0, high: int | None = None, *,  # noqa: A002
                 dtype: Any = None, device: Any = None,
                 requires_grad: bool = False) -> Tensor:  # fmt: skip
    """``randint`` in ``input``'s shape, dtype and device: ``randint_like(x, high)`` or
    ``randint_like(x, low, high)``."""
    if high is None:
        low, high = 0, low
    return _randint(low, high, input.shape, None, input.dtype if dtype is None else dtype,
                    input.device if device is None else device, requires_grad)  # fmt: skip


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *,  # noqa: A002
                generator: Any = None) -> Tensor:  # fmt: skip
    """Indices drawn from the categories of each row of ``input`` (non-negative weights, not
    necessarily summing to 1), with or without replacement (int64).

    Shape: (C,) -> (num_samples,); (N, C) -> (N, num_samples).
    """
    p = input.array
    if not dtypes.is_floating(p.dtype):
        raise RuntimeError(
            f"multinomial only supports floating-point dtypes for input, got: {p.dtype}"
        )
    if p.ndim not in (1, 2):
        raise RuntimeError(f"multinomial: prob_dist must be 1 or 2 dim, got {p.ndim}")
    backend = get_backend(p)
    xp = backend.xp
    w = p.reshape(1, -1) if p.ndim == 1 else p
    w = w.astype(dtypes.float64)
    rows, categories = w.shape
    if not bool(xp.isfinite(w).all()) or bool((w < 0).any()):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if bool((w.sum(axis=1) <= 0).any()):
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    if not replacement:
        if num_samples > categories:
            raise RuntimeError(
                "cannot sample n_sample > prob_dist.size(-1) samples without replacement"
            )
        # exponential races: the categories with the smallest E / w, E ~ Exp(1), are the first
        # draws of a weighted sampling without replacement, in order; zero weights come last
        # (PyTorch also hands them out once the others are used up)
        u = _draw(backend, generator, "uniform", (rows, categories), dtypes.float64)
        positive = w > 0
        keys = xp.where(positive, -xp.log1p(-u) / xp.where(positive, w, 1.0), xp.inf)
        out = xp.argsort(keys, axis=1, kind="stable")[:, :num_samples]
    else:  # inverse CDF, all rows in one search (row r's CDF shifted to [r, r + 1])
        cdf = xp.cumsum(w, axis=1)
        cdf = cdf / cdf[:, -1:]
        offsets = xp.arange(rows, dtype=dtypes.float64)[:, None]
        u = _draw(backend, generator, "uniform", (rows, num_samples), dtypes.float64)
        flat = xp.searchsorted((cdf + offsets).reshape(-1), (u + offsets).reshape(-1), "right")
        out = flat.reshape(rows, num_samples) - offsets.astype(dtypes.int64) * categories
        out = xp.minimum(out, categories - 1)  # rounding at a row's end
    out = out.astype(dtypes.int64, copy=False)
    return Tensor(out.reshape(-1) if p.ndim == 1 else out)


def bernoulli(input: Tensor, p: Any = None, *, generator: Any = None) -> Tensor:  # noqa: A002
    """0/1 draws, 1 with probability ``input`` elementwise (or ``p`` everywhere when given),
    in ``input``'s dtype. Shape: like ``input``."""
    return Tensor(bernoulli_values(input, input if p is None else p, generator))


def normal(mean: Any, std: Any = 1.0, size: Any = None, *, generator: Any = None,
           dtype: Any = None, device: Any = None,
           requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Normal draws of the given means and standard deviations: tensors (broadcast together)
    or numbers; with two numbers, ``size`` gives the shape. Carries no gradient (as PyTorch's,
    whose gradient is zero)."""
    tensors = [v for v in (mean, std) if isinstance(v, Tensor)]
    if not tensors:
        if size is None:
            raise TypeError(
                "normal(mean, std) of two numbers needs a size, e.g. normal(0, 1, (3,))"
            )
        shape, dtype, backend = (
            shape_arg((size,), "normal"),
            float_dtype(dtype),
            backend_for(device),
        )
    else:
        arrays = [v.array for v in tensors]
        backend = get_backend(arrays[0])
        shape = backend.xp.broadcast_shapes(*(a.shape for a in arrays))
        dtype = dtypes.result_type(*arrays) if dtype is None else dtypes.as_dtype(dtype)
    m = mean.array if isinstance(mean, Tensor) else mean
    s = std.array if isinstance(std, Tensor) else std
    if bool((backend.xp.asarray(s) < 0).any()):
        raise RuntimeError("normal expects std >= 0.0, but found a negative std")
    z = _draw(backend, generator, "standard_normal", tuple(shape), dtype)
    values = (m + s * z).astype(dtype, copy=False)
    return Tensor(values, requires_grad=requires_grad)


# --- the values behind the in-place fills (Tensor.uniform_ ...), in the tensor's dtype -------
def _fill_source(t: Tensor, name: str) -> tuple:
    a = t.array
    if not dtypes.is_floating(a.dtype):
        raise RuntimeError(f"{name}: expected a floating point tensor, got dtype {a.dtype}")
    return a, get_backend(a)


def uniform_values(t: Tensor, low: float, high: float, generator: Any) -> Any:
    a, backend = _fill_source(t, "uniform_")
    if low > high:
        raise RuntimeError(
            f"uniform_ expects to return a [from, to) range, but found from={low} > to={high}"
        )
    u = _draw(backend, generator, "uniform", a.shape, a.dtype)
    return (low + (high - low) * u).astype(a.dtype, copy=False)


def normal_values(t: Tensor, mean: float, std: float, generator: Any) -> Any:
    a, backend = _fill_source(t, "normal_")
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    z = _draw(backend, generator, "standard_normal", a.shape, a.dtype)
    return (mean + std * z).astype(a.dtype, copy=False)


def exponential_values(t: Tensor, lambd: float, generator: Any) -> Any:
    a, backend = _fill_source(t, "exponential_")
    if lambd <= 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
    u = _draw(backend, generator, "uniform", a.shape, dtypes.float64)
    return (-backend.xp.log1p(-u) / lambd).astype(a.dtype, copy=False)


def bernoulli_values(t: Tensor, p: Any, generator: Any) -> Any:
    """0/1 in ``t``'s dtype and shape, 1 with probability ``p`` (a number or an array-like
    broadcastable to ``t``)."""
    a = t.array
    backend = get_backend(a)
    prob = p.array if isinstance(p, Tensor) else p
    if bool(((backend.xp.asarray(prob) < 0) | (backend.xp.asarray(prob) > 1)).any()):
        raise RuntimeError("bernoulli: expected every probability p in [0, 1]")
    work = dtypes.float64 if a.dtype == dtypes.float64 else dtypes.float32
    u = _draw(backend, generator, "uniform", a.shape, work)
    return (u < prob).astype(a.dtype)


def random_values(t: Tensor, low: Any, high: Any, generator: Any) -> Any:
    """Integers on ``[low, high)`` in ``t``'s dtype; ``(x, None)`` means ``[0, x)`` and
    ``(None, None)`` the dtype's whole range of exact integers."""
    a = t.array
    if high is None and low is not None:
        low, high = 0, low
    elif high is None:
        low, high = 0, _whole_range(a.dtype)
    if low >= high:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    data = _draw(get_backend(a), generator, "integers", int(low), int(high), a.shape)
    return data.astype(a.dtype)


def _whole_range(dtype: Any) -> int:
    """One past the largest value ``random_()`` draws: ``2**mantissa + 1`` for floats (all
    integers up to it are exact), ``max + 1`` for integer dtypes, 2 for bool."""
    if dtype == dtypes.bool:
        return 2
    if dtypes.is_floating(dtype):
        digits = {2: 8 if dtype.name == "bfloat16" else 11, 4: 24, 8: 53}[dtype.itemsize]
        return 2**digits + 1
    return 2 ** (8 * dtype.itemsize - (1 if dtype.kind == "i" else 0))
