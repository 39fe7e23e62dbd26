"""Elementwise activations. Each caches only what its derivative needs (often its output)."""

from __future__ import annotations

from minitorch.backend import Array, get_backend
from minitorch.nn.layer import Layer


class ReLU(Layer):
    """``y = max(x, 0)``; caches the output, since dy/dx = (y > 0).

    Shape: any -> same.
    """

    def forward(self, x: Array) -> Array:
        y = get_backend(x).xp.maximum(x, 0)
        self.save_for_backward(y)
        return y

    def backward(self, dy: Array) -> Array:
        (y,) = self.saved
        return dy * (y > 0)


class Sigmoid(Layer):
    """``y = 1 / (1 + exp(-x))``, computed as ``(1 + tanh(x/2)) / 2`` so it never overflows;
    dy/dx = y (1 - y).

    Shape: any -> same.
    """

    def forward(self, x: Array) -> Array:
        xp = get_backend(x).xp
        y = xp.tanh(x * 0.5)
        y += 1
        y *= 0.5
        self.save_for_backward(y)
        return y

    def backward(self, dy: Array) -> Array:
        (y,) = self.saved
        return dy * y * (1 - y)


class Tanh(Layer):
    """``y = tanh(x)``; dy/dx = 1 - y^2.

    Shape: any -> same.
    """

    def forward(self, x: Array) -> Array:
        y = get_backend(x).xp.tanh(x)
        self.save_for_backward(y)
        return y

    def backward(self, dy: Array) -> Array:
        (y,) = self.saved
        return dy * (1 - y * y)
