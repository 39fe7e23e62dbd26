"""Masks and conditions: masked_fill (and in-place), masked_select, where, nonzero.

A mask is a bool tensor that broadcasts with the input; gradients are selected by it (never
multiplied by a 0/1 mask), so a nan gradient stays where it belongs.
"""

from __future__ import annotations

from typing import Any

from minitorch.autograd.function import Function
from minitorch.autograd.ops.broadcast import unbroadcast
from minitorch.autograd.ops.casting import as_dtype_of
from minitorch.autograd.ops.elementwise import Where
from minitorch.autograd.tensor import Tensor
from minitorch.backend import get_backend


class MaskedFill(Function):
    """``masked_fill(x, mask, value)``: value where mask, else x (x's dtype). dx = dy off the
    mask; a 0-d tensor value gets the sum of dy over the mask."""

    def forward(self, x: Any, mask: Any, value: Any) -> Any:
        xp = get_backend(x).xp
        if mask.dtype.kind != "b":
            raise TypeError(f"masked_fill: expected a bool mask, got dtype {mask.dtype}")
        if hasattr(value, "shape") and value.ndim:
            raise ValueError(
                f"masked_fill: value must be a number or a 0-d tensor, got shape "
                f"{tuple(value.shape)}"
            )
        self.save_for_backward(mask, x.shape)
        return xp.where(mask, as_dtype_of(value, x.dtype), x)

    def backward(self, dy: Any) -> tuple:
        mask, shape = self.saved
        xp = get_backend(dy).xp
        zero = dy.dtype.type(0)
        need = self.needs_input_grad
        dx = unbroadcast(xp.where(mask, zero, dy), shape) if need[0] else None
        dv = xp.where(mask, dy, zero).sum() if need[2] else None
        return dx, None, dv


class MaskedSelect(Function):
    """``masked_select(x, mask)``: the 1-D tensor of x's entries where mask (both broadcast)."""

    def forward(self, x: Any, mask: Any) -> Any:
        xp = get_backend(x).xp
        if mask.dtype.kind != "b":
            raise TypeError(f"masked_select: expected a bool mask, got dtype {mask.dtype}")
        xb, mask = xp.broadcast_arrays(x, mask)
        self.save_for_backward(x.shape, mask)
        return xb[mask]

    def backward(self, dy: Any) -> Any:
        shape, mask = self.saved
        dx = get_backend(dy).xp.zeros(mask.shape, dtype=dy.dtype)
        dx[mask] = dy
        return unbroadcast(dx, shape), None


def _mask(name: str, mask: Any) -> Any:
    array = mask.array if isinstance(mask, Tensor) else mask
    if getattr(array, "dtype", None) is None or array.dtype.kind != "b":
        raise TypeError(
            f"{name}: expected a bool tensor, got {getattr(array, 'dtype', type(array).__name__)}"
        )
    return array


def masked_fill(input: Tensor, mask: Tensor, value: Any) -> Tensor:  # noqa: A002
    """``value`` where ``mask`` (broadcast), else ``input``. Shape: broadcast of both."""
    return MaskedFill()(input, _mask("masked_fill", mask), value)


def masked_select(input: Tensor, mask: Tensor) -> Tensor:  # noqa: A002
    """The entries of ``input`` where ``mask``, in C order. Shape: (number of Trues,)."""
    return MaskedSelect()(input, _mask("masked_select", mask))


def nonzero(input: Tensor, *, as_tuple: bool = False) -> Any:  # noqa: A002
    """Indices of the nonzero entries: an int64 (n, ndim) tensor, or one 1-D index tensor per
    dim with ``as_tuple=True`` (a 0-d input counts as 1-D)."""
    x = input.array
    xp = get_backend(x).xp
    if x.ndim == 0:
        hit = int(bool(x != 0))
        if as_tuple:
            return (Tensor(xp.zeros(hit, dtype="int64")),)
        return Tensor(xp.zeros((hit, 0), dtype="int64"))
    found = tuple(i.astype("int64", copy=False) for i in xp.nonzero(x))
    if as_tuple:
        return tuple(Tensor(i) for i in found)
    return Tensor(xp.stack(found, axis=1))


def argwhere(input: Tensor) -> Tensor:  # noqa: A002
    """``nonzero(input)``: an int64 (n, ndim) tensor of nonzero positions."""
    return nonzero(input)


def where(condition: Any, input: Any = None, other: Any = None) -> Any:  # noqa: A002
    """``input`` where ``condition`` else ``other`` (tensors or numbers, broadcast, PyTorch's
    promoted dtype); ``where(condition)`` alone is ``nonzero(condition, as_tuple=True)``."""
    if input is None and other is None:
        return nonzero(condition if isinstance(condition, Tensor) else Tensor(condition),
                       as_tuple=True)  # fmt: skip
    if input is None or other is None:
        raise TypeError("where: give both input and other, or neither")
    cond = _mask("where", condition)
    if not any(isinstance(v, Tensor) for v in (input, other)):
        return Tensor(Where()(cond, input, other))
    return Where()(Tensor(cond), input, other)
