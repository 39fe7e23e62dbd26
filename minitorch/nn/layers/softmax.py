"""``Softmax`` and ``LogSoftmax`` along one dimension, computed stably (the max is subtracted)."""

from __future__ import annotations

import warnings

from minitorch.backend import Array, get_backend
from minitorch.nn.layer import Layer


def _softmax_dim(layer: Layer, ndim: int) -> int:
    """The axis to normalise; ``dim=None`` is PyTorch's deprecated implicit choice (warns)."""
    dim = layer.dim
    if dim is None:
        dim = 0 if ndim in (0, 1, 3) else 1
        warnings.warn(
            f"Implicit dimension choice for {type(layer).__name__.lower()} has been deprecated; "
            f"change the call to include dim=X as an argument (using dim={dim})",
            stacklevel=4,
        )
    if not -max(ndim, 1) <= dim < max(ndim, 1):
        raise IndexError(
            f"{type(layer).__name__}: dim {dim} is out of range for a {ndim}-D input "
            f"(expected in [{-max(ndim, 1)}, {max(ndim, 1) - 1}])"
        )
    return dim % ndim if ndim else 0


class _SoftmaxBase(Layer):
    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softmax(_SoftmaxBase):
    """``y = exp(x) / sum(exp(x), dim)``; caches y, since dx = y * (dy - sum(dy * y, dim)).

    Shape: any -> same; each slice along ``dim`` sums to 1.
    """

    def forward(self, x: Array) -> Array:
        if x.ndim == 0:
            self.save_for_backward()
            return get_backend(x).xp.ones_like(x)
        axis = _softmax_dim(self, x.ndim)
        y = x - x.max(axis=axis, keepdims=True)
        get_backend(x).xp.exp(y, out=y)
        y /= y.sum(axis=axis, keepdims=True)
        self.save_for_backward(y, axis)
        return y

    def backward(self, dy: Array) -> Array:
        if not self.saved:  # 0-d input: the output is the constant 1
            return dy * 0
        y, axis = self.saved
        dx = dy * y
        dx -= y * dx.sum(axis=axis, keepdims=True)
        return dx


class LogSoftmax(_SoftmaxBase):
    """``y = x - log(sum(exp(x), dim))``; caches y, since dx = dy - exp(y) * sum(dy, dim).

    Shape: any -> same.
    """

    def forward(self, x: Array) -> Array:
        xp = get_backend(x).xp
        if x.ndim == 0:
            self.save_for_backward()
            return xp.zeros_like(x)
        axis = _softmax_dim(self, x.ndim)
        y = x - x.max(axis=axis, keepdims=True)
        y -= xp.log(xp.exp(y).sum(axis=axis, keepdims=True))
        self.save_for_backward(y, axis)
        return y

    def backward(self, dy: Array) -> Array:
        if not self.saved:
            return dy * 0
        y, axis = self.saved
        return dy - get_backend(y).xp.exp(y) * dy.sum(axis=axis, keepdims=True)
