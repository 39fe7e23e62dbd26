"""``y[index] = v`` on a tensor that is part of a graph: a recorded, out-of-place index-put."""

from __future__ import annotations

from typing import Any

from minitorch.autograd.function import Function
from minitorch.autograd.ops import split_index, unbroadcast, unwrap_index


class IndexPut(Function):
    """``out = x`` with ``out[index] = v``: the gradient reaches ``x`` except at the written
    positions, and ``v`` gets the gradient of the positions it was written to (summed over any
    broadcasting). ``index`` is any index ``x[index]`` accepts, placed as PyTorch places it.

    Shape: x (*), v broadcastable to x[index].shape -> out like x.
    """

    def __init__(self, index: Any):
        self.index = unwrap_index(index)
        self.split = split_index(self.index)

    def _target(self, out: Any) -> tuple:
        return (out, self.index) if self.split is None else (out[self.split[0]], self.split[1])

    def forward(self, x: Any, v: Any) -> Any:
        self.save_for_backward(getattr(v, "shape", ()))
        out = x.copy()
        target, index = self._target(out)
        target[index] = v
        return out

    def backward(self, dy: Any) -> tuple:
        (v_shape,) = self.saved
        dv = None
        if self.needs_input_grad[1]:
            target, index = self._target(dy)
            dv = unbroadcast(target[index], v_shape)
        dx = None
        if self.needs_input_grad[0]:
            dx = dy.copy()
            target, index = self._target(dx)
            target[index] = 0
        return dx, dv
