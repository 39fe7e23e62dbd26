"""Adaptive pooling kernels: average and max over PyTorch's adaptive windows
``[floor(i H / out), ceil((i + 1) H / out))`` along each axis, for (N, C, H, W) arrays (1-d
layers run them on (N, C, 1, L) views). Entries of ``size`` that are None keep the input's.

Average pooling is a reshape and a mean when the windows tile the input, otherwise
``A_h @ x @ A_w.T`` with averaging matrices ``A`` (out, in), or, when the input holds a NaN or
an infinity (which a product would spread to every output), separable window sums. Max
pooling is separable: it loops over the offsets inside the longest window (clamped to each
window's last element), first along W then along H, one gather and compare per offset,
vectorised over batch, channels and pixels; a NaN is the maximum and the last NaN of a window
wins, as in PyTorch. A ``*_forward`` kernel returns ``(y, saved)``, its ``*_backward`` takes
``saved`` back.
"""

from __future__ import annotations

from typing import Any

from minitorch.backend import Array, get_backend


def output_shape(x4: Array, size: tuple) -> tuple[int, int]:
    h, w = x4.shape[2:]
    return (h if size[0] is None else size[0]), (w if size[1] is None else size[1])


# --- adaptive average pooling --------------------------------------------------------------------
def adaptive_avg_pool_forward(x4: Array, size: tuple) -> tuple:
    """``(y, saved)`` for ``x4`` (N, C, H, W)."""
    n, c, h, w = x4.shape
    oh, ow = output_shape(x4, size)
    if h % oh == 0 and w % ow == 0:  # windows tile the input
        y = x4.reshape(n, c, oh, h // oh, ow, w // ow).mean(axis=(3, 5))
        return y, (None, None, x4.shape)
    backend = get_backend(x4)
    xp = backend.xp
    A_h, A_w = averaging_matrix(xp, oh, h, x4.dtype), averaging_matrix(xp, ow, w, x4.dtype)
    if not bool(xp.isfinite(x4).all()):  # a product would spread NaN/inf everywhere
        t = window_means(x4, ow)  # (N, C, H, ow)
        y = window_means(t.swapaxes(2, 3), oh).swapaxes(2, 3)
        return xp.ascontiguousarray(y), (A_h, A_w, x4.shape)
    t = (x4.reshape(-1, w) @ A_w.T).reshape(n * c, h, ow)
    return (A_h @ t).reshape(n, c, oh, ow), (A_h, A_w, x4.shape)


def window_means(x: Array, n_out: int) -> Array:
    """Means over the adaptive windows of the last axis, each from its own elements only (one
    gather and add per offset inside the longest window)."""
    xp = get_backend(x).xp
    start, end = windows(xp, x.shape[-1], n_out)
    total = None
    for b in range(_longest(x.shape[-1], n_out)):
        v = xp.where(start + b < end, x[..., xp.minimum(start + b, end - 1)], 0)
        total = v if total is None else total + v
    return total / (end - start).astype(x.dtype)


def averaging_matrix(xp: Any, n_out: int, n_in: int, dtype: Any) -> Array:
    """The (n_out, n_in) matrix whose rows average the adaptive windows."""
    start, end = windows(xp, n_in, n_out)
    cols = xp.arange(n_in)
    inside = (cols[None, :] >= start[:, None]) & (cols[None, :] < end[:, None])
    return (inside / (end - start)[:, None]).astype(dtype)


def adaptive_avg_pool_backward(dy4: Array, saved: tuple) -> Array:
    A_h, A_w, (n, c, h, w) = saved
    oh, ow = dy4.shape[2:]
    if A_h is None:
        kh, kw = h // oh, w // ow
        g = dy4[:, :, :, None, :, None] / (kh * kw)
        return get_backend(dy4).xp.broadcast_to(g, (n, c, oh, kh, ow, kw)).reshape(n, c, h, w)
    t = (A_h.T @ dy4.reshape(n * c, oh, ow)).reshape(-1, ow)
    return (t @ A_w).reshape(n, c, h, w)


# --- adaptive max pooling ------------------------------------------------------------------------
def windows(xp: Any, n_in: int, n_out: int) -> tuple[Array, Array]:
    """Start and end (exclusive) of each adaptive window along one axis."""
    i = xp.arange(n_out)
    return (i * n_in) // n_out, -((-(i + 1) * n_in) // n_out)


def _longest(n_in: int, n_out: int) -> int:
    """An upper bound of the window length: exact when the windows tile the axis."""
    return -(-n_in // n_out) + (1 if n_in % n_out else 0)


def _running_max(best: Array | None, where_: Array | None, v: Array, at: Array) -> tuple:
    """Fold candidate ``v`` (at positions ``at``) into the running maximum, by PyTorch's
    rule: a larger value or any NaN takes over (so ties keep the first, NaNs the last)."""
    if best is None:
        return v, get_backend(v).xp.broadcast_to(at, v.shape)
    xp = get_backend(v).xp
    better = (v > best) | (v != v)
    # arithmetic, not where(): ~5x faster on NumPy, whose where() branches per element; the
    # maximum propagates NaN, so a NaN taking over is also the new value
    return xp.maximum(best, v), where_ + better * (at - where_)


def adaptive_max_pool_forward(x4: Array, size: tuple) -> tuple:
    """``(y, indices, saved)`` for ``x4`` (N, C, H, W); indices are flat ``h * W + w``.

    The maximum over a window is separable: first over each window's columns (every row),
    then over its rows. Taking, per stage, the first maximum or else the last NaN gives
    PyTorch's row-major choice for the whole window.
    """
    xp = get_backend(x4).xp
    n, c, h, w = x4.shape
    oh, ow = output_shape(x4, size)
    (hs, he), (ws, we) = windows(xp, h, oh), windows(xp, w, ow)
    t = col = None
    for b in range(_longest(w, ow)):
        cols = xp.minimum(ws + b, we - 1)  # past a window's end: its last element again
        t, col = _running_max(t, col, x4[:, :, :, cols], cols)  # (N, C, H, ow)
    y = index = None
    for a in range(_longest(h, oh)):
        rows = xp.minimum(hs + a, he - 1)
        flat = rows[:, None] * w + col[:, :, rows]
        y, index = _running_max(y, index, t[:, :, rows], flat)  # (N, C, oh, ow)
    return y, index, (index, x4.shape, h % oh == 0 and w % ow == 0)


def adaptive_max_pool_backward(dy4: Array, saved: tuple) -> Array:
    """Each output's gradient goes to its maximum; overlapping windows add up."""
    index, (n, c, h, w), tiles = saved
    oh, ow = dy4.shape[2:]
    backend = get_backend(dy4)
    xp = backend.xp
    dx = xp.zeros((n * c, h * w), dtype=dy4.dtype)
    flat = (index.reshape(n * c, oh * ow) + (xp.arange(n * c) * (h * w))[:, None]).reshape(-1)
    if tiles:  # every input element is in one window: no index repeats
        dx.reshape(-1)[flat] = dy4.reshape(-1)
    else:
        backend.scatter_add(dx.reshape(-1), flat, dy4.reshape(-1))
    return dx.reshape(n, c, h, w)
