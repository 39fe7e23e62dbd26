"""Padding: the kernels and the Function behind ``F.pad``; the ``nn.*Pad*d`` layers call them.

``pad`` is PyTorch's: pairs ``(before, after)`` for the last dim first, then the one before it
... Negative amounts crop. ``'constant'`` fills with ``value`` (any number of dims);
``'reflect'`` mirrors without repeating the edge, ``'replicate'`` repeats the edge and
``'circular'`` wraps around (the last 1-3 dims of a batched or unbatched input).

Forward allocates the output once, copies the (cropped) input into its middle and fills each
padded axis's borders from the already-filled part with slice assignments, one axis after
another (so corners are the padding of the padding, as PyTorch's). Backward undoes it in
reverse: each axis's border gradients are added back onto the positions they were copied from
(``+=`` on slices), then that axis is cropped. No index arrays, no Python loop over elements.
"""

from __future__ import annotations

from typing import Any, Sequence

from minitorch.autograd import Function, Tensor
from minitorch.backend import Array, get_backend

MODES = ("constant", "reflect", "replicate", "circular")


def check_pad(name: str, shape: tuple, pad: Sequence[int], mode: str, value: Any) -> list:
    """``[(axis, before, after), ...]`` for the padded axes, last axis first, after checks."""
    if mode not in MODES:
        raise ValueError(f"{name}: mode must be one of {MODES}, got {mode!r}")
    if not isinstance(pad, (tuple, list)) or not all(
        isinstance(p, int) and not isinstance(p, bool) for p in pad
    ):
        raise TypeError(f"{name}: pad must be a tuple of ints, got {pad!r}")
    if len(pad) % 2:
        raise ValueError(f"{name}: padding length must be divisible by 2, got {len(pad)}")
    k, ndim = len(pad) // 2, len(shape)
    if k > ndim:
        raise ValueError(
            f"{name}: padding length {len(pad)} is more than two times the input's {ndim} "
            f"dims (shape {shape})"
        )
    if mode != "constant":
        if value is not None:
            raise ValueError(f'{name}: padding mode "{mode}" does not take a value argument')
        if k not in (1, 2, 3) or ndim not in (k + 1, k + 2):
            raise NotImplementedError(
                f"{name}: padding size {len(pad)} is not supported for a {ndim}D input in mode "
                f"{mode!r}; supported: 2D or 3D input with 2 pads (the last dim), 3D or 4D "
                "with 4 (the last 2 dims), 4D or 5D with 6 (the last 3 dims)"
            )
    axes = [(ndim - 1 - i, pad[2 * i], pad[2 * i + 1]) for i in range(k)]
    for axis, lo, hi in axes:
        n = shape[axis] + min(lo, 0) + min(hi, 0)  # after cropping
        limit = {"reflect": n - 1, "circular": n}.get(mode)
        if n < 0 or (n + max(lo, 0) + max(hi, 0) < 0) or (mode != "constant" and n <= 0):
            raise ValueError(
                f"{name}: padding {(lo, hi)} leaves no elements of dim {axis} (size "
                f"{shape[axis]}) of the input of shape {shape}"
            )
        if limit is not None and max(lo, hi) > limit:
            rule = "smaller than" if mode == "reflect" else "at most"
            raise ValueError(
                f"{name}: {mode} padding {(lo, hi)} must be {rule} the size {n} of dim {axis} "
                f"(input shape {shape})"
            )
    return axes


def _at(ndim: int, axis: int, index: Any) -> tuple:
    """An index tuple selecting ``index`` along ``axis`` and everything along the others."""
    return (slice(None),) * axis + (index,) + (slice(None),) * (ndim - axis - 1)


def _reversed(start: int, count: int) -> slice:
    """``count`` positions from ``start`` downwards."""
    if count == 0:
        return slice(0, 0)
    stop = start - count
    return slice(start, None if stop < 0 else stop, -1)


def pad_forward(x: Array, axes: list, mode: str, value: float) -> tuple[Array, tuple]:
    """``(y, saved)``: ``x`` cropped by the negative amounts, then padded by the positive."""
    xp, nd = get_backend(x).xp, x.ndim
    crop = [slice(None)] * nd
    for axis, lo, hi in axes:
        crop[axis] = slice(max(-lo, 0), x.shape[axis] - max(-hi, 0))
    core = x[tuple(crop)]
    shape, inner = list(core.shape), [slice(None)] * nd
    for axis, lo, hi in axes:
        lo, hi = max(lo, 0), max(hi, 0)
        inner[axis] = slice(lo, lo + core.shape[axis])
        shape[axis] += lo + hi
    if mode == "constant":
        y = xp.full(tuple(shape), 0 if value is None else value, dtype=x.dtype)
        y[tuple(inner)] = core
        return y, (x.shape, tuple(crop), tuple(inner), axes, mode)
    y = xp.empty(tuple(shape), dtype=x.dtype)
    y[tuple(inner)] = core
    for axis, lo, hi in axes:
        lo, hi, n = max(lo, 0), max(hi, 0), core.shape[axis]
        end = lo + n
        if mode == "reflect":
            left, right = _reversed(2 * lo, lo), _reversed(end - 2, hi)
        elif mode == "replicate":
            left, right = slice(lo, lo + 1), slice(end - 1, end)
        else:
            left, right = slice(n, end), slice(lo, lo + hi)
        y[_at(nd, axis, slice(0, lo))] = y[_at(nd, axis, left)]
        y[_at(nd, axis, slice(end, end + hi))] = y[_at(nd, axis, right)]
    return y, (x.shape, tuple(crop), tuple(inner), axes, mode)


def pad_backward(dy: Array, saved: tuple) -> Array:
    """Border gradients added back onto their sources (non-constant modes), the borders
    cropped, and zeros where the forward cropped the input."""
    x_shape, crop, inner, axes, mode = saved
    xp, nd = get_backend(dy).xp, dy.ndim
    if mode == "constant":
        g = dy[inner]
    else:
        g = dy.copy()
        for axis, lo, hi in reversed(axes):
            lo, hi = max(lo, 0), max(hi, 0)
            end = g.shape[axis] - hi
            n = end - lo
            before, after = g[_at(nd, axis, slice(0, lo))], g[_at(nd, axis, slice(end, None))]
            if mode == "reflect":
                g[_at(nd, axis, _reversed(2 * lo, lo))] += before
                g[_at(nd, axis, _reversed(end - 2, hi))] += after
            elif mode == "replicate":
                g[_at(nd, axis, slice(lo, lo + 1))] += before.sum(axis=axis, keepdims=True)
                g[_at(nd, axis, slice(end - 1, end))] += after.sum(axis=axis, keepdims=True)
            else:
                g[_at(nd, axis, slice(n, end))] += before
                g[_at(nd, axis, slice(lo, lo + hi))] += after
            g = g[_at(nd, axis, slice(lo, end))]
    if all(c == slice(0, n) or c == slice(None) for c, n in zip(crop, x_shape)):
        return g
    dx = xp.zeros(x_shape, dtype=dy.dtype)
    dx[crop] = g
    return dx


class PadFunction(Function):
    """``F.pad``: padding as a Function of the input."""

    def __init__(self, pad: Sequence[int], mode: str = "constant", value: Any = None) -> None:
        super().__init__()  # cooperative: for the padding layers this runs Module.__init__
        self.pad, self.mode, self.value = pad, mode, value

    def forward(self, x: Array) -> Array:
        axes = check_pad(self._name(), tuple(x.shape), self.pad, self.mode, self.value)
        y, saved = pad_forward(x, axes, self.mode, self.value)
        self.save_for_backward(*saved)
        return y

    def backward(self, dy: Array) -> Array:
        return pad_backward(dy, self.saved)

    def _name(self) -> str:
        return "pad"


def pad(input: Tensor, pad: Sequence[int], mode: str = "constant",  # noqa: A002
        value: float | None = None) -> Tensor:  # fmt: skip
    """Pad (or, with negative amounts, crop) the last ``len(pad) // 2`` dims.

    Shape: (*, S_k, ..., S_1) -> (*, S_k + pad[2k-2] + pad[2k-1], ..., S_1 + pad[0] + pad[1]).
    """
    return PadFunction(tuple(pad) if isinstance(pad, list) else pad, mode, value)(input)
