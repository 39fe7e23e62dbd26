"""PReLU: ``y = x`` where x > 0, else ``weight[c] * x``, with one learned slope per channel
(dim 1), or one slope shared by all. The kernels and the Function behind ``F.prelu``;
``nn.PReLU`` calls the same kernels.
"""

from __future__ import annotations

from minitorch.autograd import Function, Tensor
from minitorch.backend import Array, get_backend


def _slopes(name: str, x: Array, weight: Array) -> Array:
    """``weight`` viewed to broadcast against ``x`` along the channel dim (dim 1)."""
    if weight.ndim != 1:
        raise ValueError(f"{name}: weight must be 1-D (num_parameters,), got {weight.shape}")
    channels = x.shape[1] if x.ndim >= 2 else 1
    if weight.shape[0] == 1:
        return weight.reshape((1,) * x.ndim) if x.ndim else weight.reshape(())
    if weight.shape[0] != channels:
        raise ValueError(
            f"{name}: {weight.shape[0]} parameters but the input of shape {tuple(x.shape)} has "
            f"{channels} channel(s) in dim 1; use num_parameters=1 or {channels}"
        )
    return weight.reshape((1, channels) + (1,) * (x.ndim - 2))


def prelu_forward(name: str, x: Array, weight: Array) -> tuple[Array, tuple]:
    """``(y, saved)``; NaN inputs take the ``weight * x`` branch, as PyTorch's."""
    if weight.dtype != x.dtype:
        raise TypeError(
            f"{name}: input dtype {x.dtype} differs from weight dtype {weight.dtype}; convert "
            f"the input with .to({weight.dtype}) or the module with .to(dtype)"
        )
    a = _slopes(name, x, weight)
    positive = x > 0
    return get_backend(x).xp.where(positive, x, a * x), (x, positive, a, weight.shape)


def prelu_backward(dy: Array, saved: tuple, need_dx: bool, need_dw: bool) -> tuple:
    """``(dx, dweight)``: dx = dy or a dy; dweight sums ``x dy`` over the negative part."""
    x, positive, a, w_shape = saved
    xp = get_backend(dy).xp
    dx = xp.where(positive, dy, a * dy) if need_dx else None
    dw = None
    if need_dw:
        g = xp.where(positive, 0, x * dy)
        if w_shape[0] == 1:
            dw = g.sum().reshape(w_shape)
        else:
            dw = g.sum(axis=(0,) + tuple(range(2, g.ndim)))
    return dx, dw


class PReLUFunction(Function):
    """``F.prelu``: PReLU as a Function of (input, weight)."""

    def forward(self, x: Array, weight: Array) -> Array:
        y, saved = prelu_forward("prelu", x, weight)
        self.save_for_backward(*saved)
        return y

    def backward(self, dy: Array) -> tuple:
        need = self.needs_input_grad
        return prelu_backward(dy, self.saved, need[0], need[1])


def prelu(input: Tensor, weight: Tensor) -> Tensor:  # noqa: A002
    """``where(input > 0, input, weight * input)``, weight broadcast along dim 1."""
    return PReLUFunction()(input, weight)
