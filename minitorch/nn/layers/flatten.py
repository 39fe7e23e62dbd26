"""``Flatten`` and ``Unflatten``: reshapes as layers (the gradient is reshaped back)."""

from __future__ import annotations

import math
from typing import Sequence

from minitorch.backend import Array
from minitorch.nn.layer import Layer


def _axis(layer: str, dim: int, ndim: int, name: str) -> int:
    if not -ndim <= dim < ndim:
        raise IndexError(
            f"{layer}: {name}={dim} is out of range for a {ndim}-D input "
            f"(expected in [{-ndim}, {ndim - 1}])"
        )
    return dim % ndim


class Flatten(Layer):
    """Merges dims ``start_dim..end_dim`` into one.

    Shape: (*, S_start, ..., S_end, *) -> (*, S_start * ... * S_end, *).
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x: Array) -> Array:
        ndim = max(x.ndim, 1)  # a 0-d input flattens to (1,), as torch.flatten
        start = _axis("Flatten", self.start_dim, ndim, "start_dim")
        end = _axis("Flatten", self.end_dim, ndim, "end_dim")
        if start > end:
            raise ValueError(
                f"Flatten: start_dim={self.start_dim} comes after end_dim={self.end_dim} "
                f"for a {x.ndim}-D input"
            )
        self.save_for_backward(x.shape)
        shape = x.shape[:start] + (math.prod(x.shape[start : end + 1]),) + x.shape[end + 1 :]
        return x.reshape(shape)

    def backward(self, dy: Array) -> Array:
        (shape,) = self.saved
        return dy.reshape(shape)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Layer):
    """Splits dim ``dim`` into ``unflattened_size`` (one entry may be -1).

    Shape: (*, S_dim, *) -> (*, U_1, ..., U_n, *) with U_1 * ... * U_n = S_dim.
    """

    def __init__(self, dim: int, unflattened_size: Sequence[int]) -> None:
        super().__init__()
        if isinstance(unflattened_size, int) or not all(
            isinstance(n, int) for n in unflattened_size
        ):
            raise TypeError(
                "Unflatten: unflattened_size must be a tuple or list of ints, got "
                f"{unflattened_size!r}"
            )
        if sum(n == -1 for n in unflattened_size) > 1 or any(n < -1 for n in unflattened_size):
            raise ValueError(
                f"Unflatten: unflattened_size may hold at most one -1 and no other negative "
                f"size, got {tuple(unflattened_size)}"
            )
        self.dim, self.unflattened_size = dim, tuple(unflattened_size)

    def forward(self, x: Array) -> Array:
        axis = _axis("Unflatten", self.dim, x.ndim, "dim")
        sizes, n = self.unflattened_size, x.shape[axis]
        known = math.prod(s for s in sizes if s != -1)
        if (-1 in sizes and (known == 0 or n % known)) or (-1 not in sizes and known != n):
            raise ValueError(
                f"Unflatten: unflattened_size {sizes} does not multiply to the size {n} of dim "
                f"{self.dim} (input shape {tuple(x.shape)})"
            )
        sizes = tuple(n // known if s == -1 else s for s in sizes)
        self.save_for_backward(x.shape)
        return x.reshape(x.shape[:axis] + sizes + x.shape[axis + 1 :])

    def backward(self, dy: Array) -> Array:
        (shape,) = self.saved
        return dy.reshape(shape)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
