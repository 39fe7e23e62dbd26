"""Rearranging entries: flip, roll, repeat/tile, repeat_interleave, movedim, swapaxes, t,
unflatten, broadcast_to, squeeze (several dims).

Each moves entries without arithmetic, so each gradient moves them back (summing copies).
"""

from __future__ import annotations

import math
from typing import Any, Sequence

from minitorch.autograd.function import Function
from minitorch.autograd.ops.indexing import IndexSelect
from minitorch.autograd.ops.reduction import normalize_dims
from minitorch.autograd.ops.shape import Expand, Permute, Reshape
from minitorch.autograd.tensor import Tensor
from minitorch.backend import get_backend


def _sizes(args: tuple) -> tuple:
    """``f(2, 3)`` and ``f((2, 3))`` both mean (2, 3)."""
    if len(args) == 1 and not isinstance(args[0], int):
        return tuple(int(a) for a in args[0])
    return tuple(int(a) for a in args)


class Flip(Function):
    """``flip(x, dims)``: entries reversed along ``dims``; dx = dy flipped back."""

    def __init__(self, dims: tuple):
        self.dims = dims

    def forward(self, x: Any) -> Any:
        axes = normalize_dims(self.dims, x.ndim) if x.ndim else ()
        self.save_for_backward(axes)
        return get_backend(x).xp.flip(x, axes) if axes else x.copy()

    def backward(self, dy: Any) -> Any:
        (axes,) = self.saved
        return get_backend(dy).xp.flip(dy, axes) if axes else dy


class Roll(Function):
    """``roll(x, shifts, dims)``: entries shifted cyclically (the flattened tensor when dims is
    None); dx = dy rolled back."""

    def __init__(self, shifts: Any, dims: Any = None):
        self.shifts, self.dims = shifts, dims

    def forward(self, x: Any) -> Any:
        if self.dims is not None:
            dims = (self.dims,) if isinstance(self.dims, int) else tuple(self.dims)
            shifts = (self.shifts,) if isinstance(self.shifts, int) else tuple(self.shifts)
            if len(dims) != len(shifts):
                raise ValueError(f"roll: {len(shifts)} shifts for {len(dims)} dims")
        return get_backend(x).xp.roll(x, self.shifts, self.dims)

    def backward(self, dy: Any) -> Any:
        shifts = (-self.shifts if isinstance(self.shifts, int)
                  else tuple(-s for s in self.shifts))  # fmt: skip
        return get_backend(dy).xp.roll(dy, shifts, self.dims)


class Repeat(Function):
    """``x.repeat(*sizes)`` (``tile``): copies of x laid side by side, ``sizes[i]`` along dim i
    (extra leading sizes add dims); dx sums the copies."""

    def __init__(self, sizes: tuple):
        self.sizes = sizes

    def forward(self, x: Any) -> Any:
        if len(self.sizes) < x.ndim:
            raise ValueError(
                f"repeat: give at least as many sizes ({len(self.sizes)}) as the tensor has "
                f"dims ({x.ndim})"
            )
        shape = (1,) * (len(self.sizes) - x.ndim) + x.shape
        self.save_for_backward(x.shape, shape)
        return get_backend(x).xp.tile(x.reshape(shape), self.sizes)

    def backward(self, dy: Any) -> Any:
        in_shape, shape = self.saved
        split = [n for pair in zip(self.sizes, shape) for n in pair]  # (r0, s0, r1, s1, ...)
        return dy.reshape(split).sum(axis=tuple(range(0, len(split), 2))).reshape(in_shape)


class RepeatInterleave(Function):
    """Each entry along ``dim`` repeated ``repeats`` (an int) times in place; dx sums each
    entry's copies."""

    def __init__(self, repeats: int, dim: int):
        self.repeats, self.dim = repeats, dim

    def forward(self, x: Any) -> Any:
        (axis,) = normalize_dims(self.dim, x.ndim)
        self.save_for_backward(x.shape, axis)
        return get_backend(x).xp.repeat(x, self.repeats, axis=axis)

    def backward(self, dy: Any) -> Any:
        shape, axis = self.saved
        split = shape[:axis] + (shape[axis], self.repeats) + shape[axis + 1 :]
        return dy.reshape(split).sum(axis=axis + 1)


def flip(input: Tensor, dims: Any) -> Tensor:  # noqa: A002
    """Entries reversed along each of ``dims``. Shape: same."""
    return Flip((dims,) if isinstance(dims, int) else tuple(dims))(input)


def fliplr(input: Tensor) -> Tensor:  # noqa: A002
    """Reversed along dim 1 (needs 2+ dims)."""
    if input.ndim < 2:
        raise ValueError(f"fliplr expects a tensor of at least 2 dims, got {input.ndim}")
    return Flip((1,))(input)


def flipud(input: Tensor) -> Tensor:  # noqa: A002
    """Reversed along dim 0."""
    if input.ndim < 1:
        raise ValueError("flipud expects a tensor of at least 1 dim")
    return Flip((0,))(input)


def roll(input: Tensor, shifts: Any, dims: Any = None) -> Tensor:  # noqa: A002
    """Entries shifted cyclically by ``shifts`` along ``dims`` (all, flattened, when None)."""
    return Roll(shifts if isinstance(shifts, int) else tuple(shifts),
                dims if dims is None or isinstance(dims, int) else tuple(dims))(input)  # fmt: skip


def repeat(input: Tensor, *sizes: Any) -> Tensor:  # noqa: A002
    """``input.repeat(*sizes)``: tiled ``sizes[i]`` times along dim i."""
    return Repeat(_sizes(sizes))(input)


def tile(input: Tensor, dims: Sequence[int]) -> Tensor:  # noqa: A002
    """As ``repeat``, with ones prepended when ``dims`` is shorter than the tensor's dims."""
    dims = _sizes((dims,))
    return Repeat((1,) * (input.ndim - len(dims)) + dims)(input)


def repeat_interleave(input: Tensor, repeats: Any = None, dim: int | None = None, *,  # noqa: A002
                      output_size: int | None = None) -> Tensor:  # fmt: skip
    """Each entry repeated in place along ``dim`` (the flattened input when None); ``repeats``
    an int or one count per entry. ``repeat_interleave(counts)`` alone repeats 0, 1, 2 ..."""
    if repeats is None:  # torch.repeat_interleave(repeats)
        counts = input.array
        xp = get_backend(counts).xp
        return repeat_interleave(Tensor(xp.arange(counts.shape[0])), input, 0)
    if dim is None:
        input, dim = Reshape((-1,))(input), 0  # noqa: A001
    if isinstance(repeats, Tensor) and repeats.numel() == 1:
        repeats = int(repeats.item())
    n = input.shape[normalize_dims(dim, input.ndim)[0]] if input.ndim else 1
    if isinstance(repeats, int):
        if repeats < 0:
            raise ValueError(f"repeat_interleave: repeats must be non-negative, got {repeats}")
        out = RepeatInterleave(repeats, dim)(input if input.ndim else Reshape((1,))(input))
    else:
        counts = repeats.array if isinstance(repeats, Tensor) else repeats
        xp = get_backend(input.array).xp
        counts = xp.asarray(counts)
        if counts.shape != (n,) or counts.dtype.kind not in "iu" or bool((counts < 0).any()):
            raise ValueError(
                f"repeat_interleave: repeats must be non-negative ints, one per entry ({n}), "
                f"got shape {tuple(counts.shape)} dtype {counts.dtype}"
            )
        ends = counts.cumsum()
        total = int(ends[-1]) if n else 0
        index = xp.searchsorted(ends, xp.arange(total), side="right")
        out = IndexSelect(dim)(input, index)
    if output_size is not None and out.shape[normalize_dims(dim, out.ndim)[0]] != output_size:
        raise ValueError(f"repeat_interleave: output_size {output_size} does not match the result")
    return out


def movedim(input: Tensor, source: Any, destination: Any) -> Tensor:  # noqa: A002
    """Dims ``source`` moved to positions ``destination`` (ints or sequences), the others kept
    in order."""
    src = [s % max(input.ndim, 1) for s in ((source,) if isinstance(source, int) else source)]
    dst = [d % max(input.ndim, 1) for d in
           ((destination,) if isinstance(destination, int) else destination)]  # fmt: skip
    if len(src) != len(dst) or len(set(src)) != len(src) or len(set(dst)) != len(dst):
        raise ValueError(f"movedim: invalid source {source} / destination {destination}")
    rest = iter(d for d in range(input.ndim) if d not in src)
    placed = dict(zip(dst, src))
    order = tuple(placed[i] if i in placed else next(rest) for i in range(input.ndim))
    return Permute(order)(input)


moveaxis = movedim


def swapaxes(input: Tensor, axis0: int, axis1: int) -> Tensor:  # noqa: A002
    """Dims ``axis0`` and ``axis1`` exchanged (``transpose``)."""
    dims = list(range(input.ndim))
    a, b = normalize_dims(axis0, input.ndim)[0], normalize_dims(axis1, input.ndim)[0]
    dims[a], dims[b] = dims[b], dims[a]
    return Permute(tuple(dims))(input)


def swapdims(input: Tensor, dim0: int, dim1: int) -> Tensor:  # noqa: A002
    """Dims ``dim0`` and ``dim1`` exchanged (``transpose``)."""
    return swapaxes(input, dim0, dim1)


def t(input: Tensor) -> Tensor:  # noqa: A002
    """The transpose of a matrix; a 0-d or 1-d tensor is returned as it is."""
    if input.ndim > 2:
        raise ValueError(f"t() expects a tensor with <= 2 dims, got {input.ndim}; use transpose")
    return Permute(tuple(reversed(range(input.ndim))))(input)


def unflatten(input: Tensor, dim: int, sizes: Sequence[int]) -> Tensor:  # noqa: A002
    """Dim ``dim`` split into ``sizes`` (one entry may be -1)."""
    (axis,) = normalize_dims(dim, input.ndim)
    sizes = tuple(int(s) for s in sizes)
    n = input.shape[axis]
    if -1 in sizes:
        known = math.prod(s for s in sizes if s != -1)
        sizes = tuple(n // known if s == -1 and known else s for s in sizes)
    if math.prod(sizes) != n:
        raise ValueError(f"unflatten: sizes {sizes} do not multiply to dim {dim}'s size {n}")
    return Reshape(input.shape[:axis] + sizes + input.shape[axis + 1 :])(input)


def broadcast_to(input: Tensor, size: Sequence[int]) -> Tensor:  # noqa: A002
    """``input`` expanded to ``size`` (-1 keeps a dim); a view, the gradient sums."""
    return Expand(_sizes((size,)))(input)


def squeeze(input: Tensor, dim: Any = None) -> Tensor:  # noqa: A002
    """Size-1 dims removed: all of them, or those among ``dim`` (an int or a tuple)."""
    if dim is None:
        drop = {i for i, n in enumerate(input.shape) if n == 1}
    else:
        axes = normalize_dims(dim, input.ndim) if input.ndim else ()
        drop = {a for a in axes if input.shape[a] == 1}
    return Reshape(tuple(n for i, n in enumerate(input.shape) if i not in drop))(input)
