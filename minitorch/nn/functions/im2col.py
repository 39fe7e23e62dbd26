"""Sliding windows over (N, C, H, W) arrays: the kernels convolution and pooling share.

Window position (ho, wo) with kernel offset (i, j) reads the padded input at
``(ho * sh + i * dh, wo * sw + j * dw)``. Convolution copies those reads into a column matrix
for one GEMM (``im2col``) and sums column gradients back with one strided slice-add per kernel
offset (``col2im``). Pooling reduces over the offsets directly, one elementwise op per offset
(``offset_view``), which is vectorised over batch, channels and pixels. Stride-1 convolutions
can instead copy only whole kernel rows (``row_windows`` and its helpers, below).
1-d layers use the same code on (N, C, 1, L) views.
"""

from __future__ import annotations

from typing import Any

from minitorch.backend import Array, get_backend

_PAD_MODES = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def as_tuple(value: Any, n: int, owner: str, name: str, minimum: int = 0) -> tuple[int, ...]:
    """``value`` (an int or a sequence of ``n`` ints, each >= ``minimum``) as an ``n``-tuple."""
    items = (
        (value,) * n
        if isinstance(value, int)
        else tuple(value)
        if isinstance(value, (tuple, list))
        else None
    )
    if (
        items is None
        or len(items) != n
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in items)
    ):
        raise ValueError(f"{owner}: {name} must be an int or a tuple of {n} ints, got {value!r}")
    if any(v < minimum for v in items):
        raise ValueError(f"{owner}: {name} must be >= {minimum}, got {value!r}")
    return items


def conv_padding(owner: str, padding: Any, kernel: tuple, stride: tuple, dilation: tuple) -> tuple:
    """(top, bottom, left, right) from an int, a tuple, ``'valid'`` or ``'same'``."""
    dims = len(kernel)
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0, 0, 0)
        if padding != "same":
            raise ValueError(
                f"{owner}: padding must be an int, a tuple, 'valid' or 'same', got {padding!r}"
            )
        if any(s != 1 for s in stride):
            raise ValueError(
                f"{owner}: padding='same' is not supported for strided convolutions "
                f"(stride={stride})"
            )
        # PyTorch: total d*(k-1), the extra one (even kernels) on the bottom/right
        totals = [d * (k - 1) for d, k in zip(dilation, kernel)]
        pairs = [(t // 2, t - t // 2) for t in totals]
    else:
        pairs = [(p, p) for p in as_tuple(padding, dims, owner, "padding")]
    if dims == 1:
        pairs = [(0, 0), *pairs]
    return (*pairs[0], *pairs[1])


def output_size(
    size: int,
    kernel: int,
    stride: int,
    before: int,
    after: int,
    dilation: int = 1,
    ceil_mode: bool = False,
) -> int:
    """Number of window positions along one axis (PyTorch's rule, including ``ceil_mode``).

    Returns 0 or less when the (dilated) kernel does not fit into the padded input.
    """
    room = size + before + after - dilation * (kernel - 1) - 1
    if room < 0:
        return room
    n = (room + stride - 1) // stride + 1 if ceil_mode else room // stride + 1
    if ceil_mode and (n - 1) * stride >= size + before:
        n -= 1  # the last window must start inside the input or its leading padding
    return n


def pad(x: Array, pads: tuple, value: float = 0.0, mode: str = "zeros") -> Array:
    """``x`` (N, C, H, W) padded by ``pads = (top, bottom, left, right)``; no copy if all zero.

    ``mode`` is ``'zeros'`` (fill with ``value``) or PyTorch's ``'reflect'``, ``'replicate'``,
    ``'circular'``.
    """
    top, bottom, left, right = pads
    if not (top or bottom or left or right):
        return x
    n, c, h, w = x.shape
    xp = get_backend(x).xp
    if mode != "zeros":
        rows, cols = _pad_index(xp, pads, h, w, mode)
        return x[:, :, rows[:, None], cols]
    out = xp.empty((n, c, h + top + bottom, w + left + right), dtype=x.dtype)
    out[:, :, :top], out[:, :, top + h :] = value, value  # only the border is filled
    out[:, :, :, :left], out[:, :, :, left + w :] = value, value
    out[:, :, top : top + h, left : left + w] = x
    return out


def unpad(dxpad: Array, pads: tuple, hw: tuple, mode: str = "zeros") -> Array:
    """The gradient of ``pad``: crop the border (zeros) or add it back onto its sources."""
    top, bottom, left, right = pads
    if not (top or bottom or left or right):
        return dxpad
    h, w = hw
    if mode == "zeros":
        return dxpad[:, :, top : top + h, left : left + w]
    backend = get_backend(dxpad)
    rows, cols = _pad_index(backend.xp, pads, h, w, mode)
    n, c = dxpad.shape[:2]
    by_rows = backend.xp.zeros((n, c, h, dxpad.shape[3]), dtype=dxpad.dtype)
    backend.scatter_add(by_rows, (slice(None), slice(None), rows), dxpad)
    dx = backend.xp.zeros((n, c, h, w), dtype=dxpad.dtype)
    backend.scatter_add(dx, (slice(None), slice(None), slice(None), cols), by_rows)
    return dx


def _pad_index(xp: Any, pads: tuple, h: int, w: int, mode: str) -> tuple[Array, Array]:
    """For each padded row and column, the input row and column it copies."""
    top, bottom, left, right = pads
    rows = xp.pad(xp.arange(h), (top, bottom), mode=_PAD_MODES[mode])
    cols = xp.pad(xp.arange(w), (left, right), mode=_PAD_MODES[mode])
    return rows, cols


def offset_view(
    xpad: Array, i: int, j: int, out_hw: tuple, stride: tuple, dilation: tuple
) -> Array:
    """The (N, C, Ho, Wo) strided view of what kernel offset (i, j) sees at every position."""
    (ho, wo), (sh, sw), (dh, dw) = out_hw, stride, dilation
    return xpad[
        :, :, i * dh : i * dh + sh * (ho - 1) + 1 : sh, j * dw : j * dw + sw * (wo - 1) + 1 : sw
    ]


def im2col(
    xpad: Array, kernel: tuple, stride: tuple, dilation: tuple, out_hw: tuple, groups: int = 1
) -> Array:
    """Column matrix (groups, C/groups * kh * kw, N * Ho * Wo) of a padded (N, C, Hp, Wp) input.

    Rows are ordered (c, i, j) like a flattened (C, kh, kw) weight; columns (n, ho, wo). The
    copy reads a strided view, so each inner run is one contiguous output row of the input.
    """
    n, c = xpad.shape[:2]
    (kh, kw), (sh, sw), (dh, dw), (ho, wo) = kernel, stride, dilation, out_hw
    s_n, s_c, s_h, s_w = xpad.strides
    xp = get_backend(xpad).xp
    view = xp.lib.stride_tricks.as_strided(
        xpad, (c, kh, kw, n, ho, wo), (s_c, s_h * dh, s_w * dw, s_n, s_h * sh, s_w * sw)
    )
    col = xp.empty(view.shape, dtype=xpad.dtype)
    col[...] = view
    return col.reshape(groups, c // groups * kh * kw, n * ho * wo)


def col2im(
    col: Array, padded_shape: tuple, kernel: tuple, stride: tuple, dilation: tuple, out_hw: tuple
) -> Array:
    """The adjoint of ``im2col``: sum a column matrix back into a (N, C, Hp, Wp) array.

    One strided slice-add per kernel offset, each over all of (N, C, Ho, Wo). The sum is built
    channel-major, (C, N, Hp, Wp), where both sides of every add are laid out alike, and
    transposed once at the end.
    """
    n, c, hp, wp = padded_shape
    (kh, kw), (ho, wo) = kernel, out_hw
    xp = get_backend(col).xp
    col = col.reshape(c, kh, kw, n, ho, wo)
    out = xp.zeros((c, n, hp, wp), dtype=col.dtype)
    for i in range(kh):
        for j in range(kw):
            offset_view(out, i, j, out_hw, stride, dilation)[...] += col[:, i, j]
    return out.transpose(1, 0, 2, 3)


# --- row windows: stride-1 convolutions with the kernel's columns folded into the GEMM -----------
# On the padded image's flattened rows (Hp * Wp per plane), output pixel (ho, wo) of a stride-1,
# dilation-1 convolution reads input position (ho + i) * Wp + (wo + j). Computing the output on
# the padded width ("wide": Wo < Wp columns per row, the extra kw - 1 thrown away) turns the
# window into flat offsets: kernel row i is a shift by i * Wp, kernel column j a shift by j.
# ``row_windows`` copies the kh row shifts of every channel (C * kh rows, 1/kw of im2col's
# copy); the kw column shifts are then applied to the GEMM's *output* (``shift_sum``), or, for
# the backward pass, to the output gradient (``shifted_copies``).


def row_windows(xpad: Array, kh: int, ho: int) -> Array:
    """(C * kh, N * Ho * Wp): row (c, i) holds rows i .. i + Ho - 1 of every padded plane.

    ``E[(c, i), (n, t)] = xpad[n, c].flat[i * Wp + t]`` for ``t < Ho * Wp``: runs of Ho * Wp
    contiguous values. Kernel column j of that row is the same row shifted by j.
    """
    xp = get_backend(xpad).xp
    xpad = xp.ascontiguousarray(xpad)
    n, c, _, wp = xpad.shape
    s_n, s_c, s_h, s_w = xpad.strides
    view = xp.lib.stride_tricks.as_strided(xpad, (c, kh, n, ho * wp), (s_c, s_h, s_n, s_w))
    rows = xp.empty(view.shape, dtype=xpad.dtype)
    rows[...] = view
    return rows.reshape(c * kh, n * ho * wp)


def shift_sum(t: Array) -> Array:
    """``y[o, m] = sum_j t[o, j, m + j]`` over the (O, kw, M) GEMM output, as (O, M).

    The last kw - 1 positions miss some terms; they are padding columns of the last row (the
    output is computed on the padded width), which the caller crops.
    """
    kw, m = t.shape[1:]
    if kw == 1:
        return t[:, 0]
    xp = get_backend(t).xp
    y = xp.empty((t.shape[0], m), dtype=t.dtype)
    xp.add(t[:, 0, : m - 1], t[:, 1, 1:], out=y[:, : m - 1])  # the first add fills y
    y[:, m - 1 :] = t[:, 0, m - 1 :]
    for j in range(2, kw):
        y[:, : m - j] += t[:, j, j:]
    return y


def shifted_copies(dy: Array, wp: int, kw: int) -> Array:
    """(O * kw, N * Ho * Wp): ``D[(o, j), m] = dy_wide[o, m - j]`` (zero before the start).

    ``dy_wide`` is the (N, O, Ho, Wo) output gradient on the padded width, zero in the kw - 1
    extra columns, flattened to (O, N * Ho * Wp). Those zero columns are what every shift by
    j < kw moves into the next row, so no shift mixes rows or images.
    """
    n, o, ho, wo = dy.shape
    xp = get_backend(dy).xp
    wide = xp.empty((o, n, ho, wp), dtype=dy.dtype)
    wide[:, :, :, wo:] = 0
    wide[:, :, :, :wo] = dy.transpose(1, 0, 2, 3)
    m = n * ho * wp
    wide = wide.reshape(o, m)
    shifted = xp.empty((o, kw, m), dtype=dy.dtype)  # a separate buffer: copying within one
    shifted[:, 0] = wide  # array would make NumPy buffer every copy (1.4x slower)
    for j in range(1, kw):
        shifted[:, j, :j] = 0
        shifted[:, j, j:] = wide[:, : m - j]
    return shifted.reshape(o * kw, m)


def row_col2im(s: Array, padded_shape: tuple, ho: int) -> Array:
    """The adjoint of ``row_windows``: add the (C * kh, N * Ho * Wp) rows back into a padded
    (N, C, Hp, Wp) array, one add per kernel row over runs of Ho * Wp values."""
    n, c, hp, wp = padded_shape
    kh, run = s.shape[0] // c, ho * wp
    s = s.reshape(c, kh, n, run)
    out = get_backend(s).xp.empty((c, n, hp * wp), dtype=s.dtype)
    out[:, :, :run] = s[:, 0]  # kernel row 0 writes, the others add
    out[:, :, run:] = 0
    for i in range(1, kh):
        out[:, :, i * wp : i * wp + run] += s[:, i]
    return out.reshape(c, n, hp, wp).transpose(1, 0, 2, 3)
