"""Moving a tensor between devices and dtypes, differentiably (the array move is the
backend's ``move``)."""

from __future__ import annotations

from typing import Any

from minitorch.autograd.function import Function
from minitorch.backend import as_device, backend_for, get_backend, move


class ToDeviceDtype(Function):
    """``x.to(device, dtype)``: the gradient goes back to the source device and dtype."""

    def __init__(self, device: Any, dtype: Any, copy: bool):
        self.device, self.dtype, self.copy = device, dtype, copy

    def forward(self, x: Any) -> Any:
        source = get_backend(x)
        self.save_for_backward(source, x.dtype)
        target = source if self.device is None else backend_for(as_device(self.device))
        return move(x, target, self.dtype, self.copy)

    def backward(self, dy: Any) -> Any:
        source, source_dtype = self.saved
        return move(dy, source, source_dtype)
