"""Resizing: the kernels and the Function behind ``F.interpolate``; ``nn.Upsample`` calls them.

Every mode is separable, so the input (N, C, *spatial) is resized one spatial axis at a time,
the last axis first (the order of PyTorch's bilinear sum). Per axis:

- ``'nearest'`` / ``'nearest-exact'``: a gather of source indices; for whole-number upsampling
  the whole resize is one broadcast view and a reshape (a single copy), and its backward a
  reshape and sums of slices.
- ``'linear'`` / ``'bilinear'`` / ``'trilinear'``: two gathers weighted by ``1 - l`` and ``l``.
- ``'area'``: a product with the averaging matrix of PyTorch's adaptive windows.

Source coordinates follow PyTorch's ``area_pixel_compute_source_index`` (with
``align_corners``, or half-pixel centres and ``scale_factor`` when given); nearest indices are
computed in float32 as PyTorch computes them, so they agree at the boundaries. Backward scatters
each gather back: source indices never decrease along the output, so each source position
receives a run of consecutive outputs, summed with one gather per run length (a few at most).
"""

from __future__ import annotations

import math
import warnings
from typing import Any

from minitorch.autograd import Function, Tensor
from minitorch.autograd.ops.activation import select
from minitorch.backend import Array, get_backend
from minitorch.nn.functions.adaptive_pool import averaging_matrix, window_means

_LINEAR = {"linear": 3, "bilinear": 4, "trilinear": 5}
MODES = ("nearest", "nearest-exact", "area", *_LINEAR)


def plan(name: str, shape: tuple, size: Any, scale_factor: Any, mode: str,
         align_corners: bool | None, recompute_scale_factor: bool | None) -> tuple:  # fmt: skip
    """``(output sizes, scales or None per axis, align_corners)`` after PyTorch's checks."""
    if mode not in MODES:
        raise NotImplementedError(
            f"{name}: mode {mode!r} is not supported; supported modes are {MODES}"
        )
    d = len(shape) - 2
    if d not in (1, 2, 3):
        raise ValueError(
            f"{name}: expected a 3D, 4D or 5D input (N, C, *spatial), got shape {shape}"
        )
    if mode in _LINEAR and _LINEAR[mode] != len(shape):
        raise ValueError(
            f"{name}: got {len(shape)}D input of shape {shape}, but {mode} mode needs "
            f"{_LINEAR[mode]}D input"
        )
    if mode in _LINEAR:
        align_corners = bool(align_corners)
    elif align_corners is not None:
        raise ValueError(
            f"{name}: align_corners can only be set with the interpolating modes linear, "
            f"bilinear and trilinear, not {mode!r}"
        )
    if (size is None) == (scale_factor is None):
        raise ValueError(f"{name}: give exactly one of size and scale_factor")
    spatial = shape[2:]
    if size is not None:
        sizes = tuple(size) if isinstance(size, (tuple, list)) else (size,) * d
        if len(sizes) != d or not all(isinstance(s, int) and s > 0 for s in sizes):
            raise ValueError(
                f"{name}: size must be a positive int or {d} positive ints for input of shape "
                f"{shape}, got {size!r}"
            )
        return sizes, (None,) * d, align_corners
    scales = (
        tuple(scale_factor) if isinstance(scale_factor, (tuple, list)) else (scale_factor,) * d
    )
    if len(scales) != d or not all(isinstance(s, (int, float)) and s > 0 for s in scales):
        raise ValueError(
            f"{name}: scale_factor must be a positive number or {d} of them for input of shape "
            f"{shape}, got {scale_factor!r}"
        )
    sizes = tuple(math.floor(n * float(s)) for n, s in zip(spatial, scales))
    if min(sizes) <= 0:
        raise ValueError(f"{name}: scale_factor {scale_factor!r} gives output size {sizes}")
    if recompute_scale_factor:  # the coordinates then follow the sizes
        return sizes, (None,) * d, align_corners
    return sizes, tuple(float(s) for s in scales), align_corners


# --- one axis ------------------------------------------------------------------------------------
def _nearest_index(xp: Any, n_in: int, n_out: int, scale: float | None, exact: bool,
                   shortcuts: bool) -> Array:  # fmt: skip
    """PyTorch's nearest source indices, with its rounding: the ratio is a float32; ``dst *
    ratio`` is a float32 product, ``(dst + 0.5) * ratio`` (nearest-exact) a double one rounded
    to float32. PyTorch's 2-d nearest kernel copies (n_out = n_in) and halves (n_out =
    2 n_in) whatever ``scale`` says: ``shortcuts`` does the same. (PyTorch's 1-d and 3-d
    nearest-exact kernels round differently for a few size pairs, e.g. 2 -> 41, where an
    index differs by one.)"""
    if shortcuts and n_out in (n_in, 2 * n_in):
        return xp.arange(n_out) // (n_out // n_in)
    f32 = xp.float32
    ratio = f32(1.0 / scale) if scale else f32(n_in) / f32(n_out)
    if exact:
        src = ((xp.arange(n_out) + 0.5) * float(ratio)).astype(f32)
    else:
        src = xp.arange(n_out, dtype=f32) * ratio
    return xp.minimum(xp.floor(src).astype(xp.int64), n_in - 1)


def _linear_taps(xp: Any, n_in: int, n_out: int, scale: float | None,
                 align_corners: bool) -> tuple:  # fmt: skip
    """``(i0, i1, l1)``: the two source indices and the weight of the second."""
    dst = xp.arange(n_out, dtype=xp.float64)
    if align_corners:
        src = dst * ((n_in - 1) / (n_out - 1) if n_out > 1 else 0.0)
    else:
        ratio = 1.0 / scale if scale else n_in / n_out
        src = xp.maximum(ratio * (dst + 0.5) - 0.5, 0.0)
    i0 = xp.minimum(src.astype(xp.int64), n_in - 1)
    i1 = i0 + (i0 < n_in - 1)
    return i0, i1, src - i0


def _along(v: Array, axis: int, ndim: int) -> Array:
    """A per-position vector along ``axis``, shaped to broadcast over the other axes."""
    shape = [1] * ndim
    shape[axis] = v.shape[0]
    return v.reshape(shape)


def _scatter(g: Array, index: Array, n_in: int, axis: int) -> Array:
    """The adjoint of ``take(x, index, axis)`` for a non-decreasing ``index``: each source
    position sums its run of consecutive outputs, one gather per run length."""
    xp = get_backend(g).xp
    bounds = xp.searchsorted(index, xp.arange(n_in + 1))
    starts, counts = bounds[:-1], bounds[1:] - bounds[:-1]
    longest, shortest = int(counts.max()), int(counts.min())
    last = g.shape[axis] - 1
    shape = list(g.shape)
    shape[axis] = n_in
    dx = xp.zeros(shape, dtype=g.dtype)
    for c in range(longest):
        part = g.take(xp.minimum(starts + c, last), axis=axis)
        if c >= shortest:  # some positions have no c-th output (an exact 0, even for inf)
            part = select(_along(c < counts, axis, g.ndim), part)
        dx += part
    return dx


class _Axis:
    """The resize of one axis: ``forward`` on arrays and its adjoint ``backward``."""

    def __init__(self, xp: Any, axis: int, n_in: int, n_out: int, mode: str, scale: float | None,
                 align_corners: bool, dtype: Any, ndim: int) -> None:  # fmt: skip
        self.axis, self.n_in, self.mode = axis, n_in, mode
        if mode in _LINEAR:
            self.i0, self.i1, l1 = _linear_taps(xp, n_in, n_out, scale, align_corners)
            self.l1, self.l0 = l1.astype(dtype), (1 - l1).astype(dtype)
        elif mode == "area":
            self.A = averaging_matrix(xp, n_out, n_in, dtype)  # (n_out, n_in)
        else:
            exact = mode == "nearest-exact"
            self.index = _nearest_index(xp, n_in, n_out, scale, exact, ndim == 4 and not exact)

    def forward(self, x: Array) -> Array:
        a, nd = self.axis, x.ndim
        if self.mode in _LINEAR:
            y = x.take(self.i0, axis=a) * _along(self.l0, a, nd)
            y += x.take(self.i1, axis=a) * _along(self.l1, a, nd)
            return y
        if self.mode == "area":
            xp = get_backend(x).xp
            moved = xp.moveaxis(x, a, -1)
            if bool(xp.isfinite(x).all()):
                return xp.moveaxis(moved @ self.A.T, -1, a)
            return xp.moveaxis(window_means(moved, self.A.shape[0]), -1, a)  # NaN stays put
        return x.take(self.index, axis=a)

    def backward(self, g: Array) -> Array:
        a, nd = self.axis, g.ndim
        if self.mode in _LINEAR:
            dx = _scatter(g * _along(self.l0, a, nd), self.i0, self.n_in, a)
            dx += _scatter(g * _along(self.l1, a, nd), self.i1, self.n_in, a)
            return dx
        if self.mode == "area":
            xp = get_backend(g).xp
            return xp.moveaxis(xp.moveaxis(g, a, -1) @ self.A, -1, a)
        return _scatter(g, self.index, self.n_in, a)


def _repeats(x_shape: tuple, sizes: tuple, axes: list) -> tuple | None:
    """Whole-number factors when nearest resizing is plain repetition on every axis."""
    factors = []
    for n, m, ax in zip(x_shape[2:], sizes, axes):
        r = m // n
        if m % n or not bool((ax.index == get_backend(ax.index).xp.arange(m) // r).all()):
            return None
        factors.append(r)
    return tuple(factors)


# --- the whole resize ----------------------------------------------------------------------------
def interpolate_forward(x: Array, sizes: tuple, scales: tuple, mode: str,
                        align_corners: bool) -> tuple[Array, tuple]:  # fmt: skip
    """``(y, saved)``: ``x`` (N, C, *spatial) resized to ``sizes``."""
    xp = get_backend(x).xp
    axes = [_Axis(xp, 2 + i, n, m, mode, s, align_corners, x.dtype, x.ndim)
            for i, (n, m, s) in enumerate(zip(x.shape[2:], sizes, scales))]  # fmt: skip
    factors = _repeats(x.shape, sizes, axes) if mode == "nearest" else None
    if factors is not None:  # one broadcast view of x, copied once by the reshape
        n, c, *spatial = x.shape
        view = x.reshape(n, c, *[v for s in spatial for v in (s, 1)])
        grown = [v for s, r in zip(spatial, factors) for v in (s, r)]
        y = xp.broadcast_to(view, (n, c, *grown)).reshape(n, c, *sizes)
        return y, (x.shape, axes, factors)
    y = x
    for ax in reversed(axes):  # the last axis first
        y = ax.forward(y)
    return (y.copy() if y is x else y), (x.shape, axes, None)


def interpolate_backward(dy: Array, saved: tuple) -> Array:
    x_shape, axes, factors = saved
    if factors is not None:  # each input position sums its block of copies
        n, c, *spatial = x_shape
        g = dy.reshape(n, c, *[v for s, r in zip(spatial, factors) for v in (s, r)])
        for axis in range(1 + 2 * len(spatial), 2, -2):  # innermost repeat axis first
            g = _sum_small_axis(g, axis)
        return g
    g = dy
    for ax in axes:  # the reverse order of the forward
        g = ax.backward(g)
    return g


def _sum_small_axis(a: Array, axis: int) -> Array:
    """``a.sum(axis)`` for a short axis, as a sum of its slices: ~20x faster on NumPy than a
    reduction over a small strided axis."""
    lead = (slice(None),) * axis
    out = a[lead + (0,)].copy() if a.shape[axis] == 1 else a[lead + (0,)] + a[lead + (1,)]
    for k in range(2, a.shape[axis]):
        out += a[lead + (k,)]
    return out


class InterpolateFunction(Function):
    """``F.interpolate``: the resize as a Function of the input."""

    def __init__(self, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
                 align_corners: bool | None = None,
                 recompute_scale_factor: bool | None = None) -> None:  # fmt: skip
        super().__init__()  # cooperative: for ``nn.Upsample`` this runs Module.__init__
        self.size, self.scale_factor, self.mode = size, scale_factor, mode
        self.align_corners, self.recompute_scale_factor = align_corners, recompute_scale_factor

    def forward(self, x: Array) -> Array:
        sizes, scales, corners = plan(self._name(), tuple(x.shape), self.size, self.scale_factor,
                                      self.mode, self.align_corners,
                                      self.recompute_scale_factor)  # fmt: skip
        y, saved = interpolate_forward(x, sizes, scales, self.mode, corners)
        self.save_for_backward(*saved)
        return y

    def backward(self, dy: Array) -> Array:
        return interpolate_backward(dy, self.saved)

    def _name(self) -> str:
        return "interpolate"


def interpolate(input: Tensor, size: Any = None, scale_factor: Any = None,  # noqa: A002
                mode: str = "nearest", align_corners: bool | None = None,
                recompute_scale_factor: bool | None = None,
                antialias: bool = False) -> Tensor:  # fmt: skip
    """Resize the spatial dims of ``input`` (N, C, *spatial) to ``size`` or by
    ``scale_factor``.

    Shape: (N, C, *S) -> (N, C, *size) or (N, C, *floor(S * scale_factor)).
    """
    if antialias:
        raise NotImplementedError("interpolate: antialias=True is not supported")
    fn = InterpolateFunction(size, scale_factor, mode, align_corners, recompute_scale_factor)
    return fn(input)


def upsample(input: Tensor, size: Any = None, scale_factor: Any = None,  # noqa: A002
             mode: str = "nearest", align_corners: bool | None = None) -> Tensor:  # fmt: skip
    """Deprecated spelling of ``interpolate`` (warns, as PyTorch)."""
    warnings.warn(
        "nn.functional.upsample is deprecated. Use nn.functional.interpolate instead.",
        stacklevel=2,
    )
    return interpolate(input, size, scale_factor, mode, align_corners)
