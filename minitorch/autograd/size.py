"""``Size``: a tensor's shape, a tuple of ints as ``torch.Size`` (what ``t.shape`` returns), and
``shape_arg``, which reads the size arguments of constructors."""

from __future__ import annotations

import math
import operator
from typing import Any


class Size(tuple):
    """``minitorch.Size([2, 3])``: compares equal to the tuple ``(2, 3)``; slicing, ``+`` and
    ``*`` give Sizes; ``numel()`` is the product of the dimensions."""

    __slots__ = ()

    def __new__(cls, sizes: Any = ()) -> Size:
        sizes = tuple(sizes)
        for n in sizes:
            if not isinstance(n, int) and not hasattr(n, "__index__"):
                raise TypeError(
                    f"Size: expected a sequence of ints, got an element of type {type(n).__name__}"
                )
        return tuple.__new__(cls, (n if type(n) is int else n.__index__() for n in sizes))

    def numel(self) -> int:
        """The number of elements of a tensor of this shape."""
        return math.prod(self)

    def __getitem__(self, index: Any) -> Any:
        item = tuple.__getitem__(self, index)
        return tuple.__new__(Size, item) if type(index) is slice else item

    def __add__(self, other: Any) -> Any:
        if not isinstance(other, tuple):
            return NotImplemented
        return tuple.__new__(Size, tuple.__add__(self, other))

    def __radd__(self, other: Any) -> Any:
        if not isinstance(other, tuple):
            return NotImplemented
        return tuple.__new__(Size, tuple.__add__(other, self))

    def __mul__(self, times: Any) -> Any:
        if not isinstance(times, int):
            return NotImplemented
        return tuple.__new__(Size, tuple.__mul__(self, times))

    __rmul__ = __mul__

    def __repr__(self) -> str:
        return f"minitorch.Size({list(self)!r})"

    def __reduce__(self) -> tuple:
        return (Size, (tuple(self),))


def as_size(shape: tuple) -> Size:
    """A shape tuple of ints (an array's ``.shape``) as a Size, without re-checking it."""
    return tuple.__new__(Size, shape)


def shape_arg(size: tuple, name: str) -> tuple:
    """``(2, 3)`` from ``size`` = ``(2, 3)``, ``((2, 3),)``, ``([2, 3],)`` or ``(Size,)``."""
    if len(size) == 1 and type(size[0]) is not int:
        size = size[0]
        if not hasattr(size, "__iter__"):
            size = (size,)  # a NumPy integer or a one-element int tensor
    for n in size:  # the common case: non-negative Python ints, checked in one pass
        if type(n) is not int or n < 0:
            return _checked_shape(size, name)
    return size if type(size) is tuple else tuple(size)


def _checked_shape(size: Any, name: str) -> tuple:
    try:
        shape = tuple(operator.index(n) for n in size)
    except TypeError:
        raise TypeError(
            f"{name}(): size must be ints or one sequence of ints, got {size!r}"
        ) from None
    for n in shape:
        if n < 0:
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {n}: {list(shape)}"
            )
    return shape
