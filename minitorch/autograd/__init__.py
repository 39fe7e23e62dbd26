"""Tensors, the recorded graph and the reverse-mode engine (layers live in ``minitorch.nn``)."""

from minitorch.autograd.tensor import Tensor  # noqa: I001  (first: the modules below need it)
from minitorch.autograd import ops
from minitorch.autograd.engine import backward, grad
from minitorch.autograd.function import Function, Node
from minitorch.autograd.custom_function import FunctionCtx
from minitorch.autograd.grad_mode import (
    detect_anomaly,
    enable_grad,
    inference_mode,
    is_anomaly_enabled,
    is_grad_enabled,
    no_grad,
    set_detect_anomaly,
    set_grad_enabled,
)
from minitorch.autograd.grads import zero_grads

__all__ = [
    "Function",
    "FunctionCtx",
    "Node",
    "Tensor",
    "backward",
    "grad",
    "detect_anomaly",
    "enable_grad",
    "inference_mode",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "no_grad",
    "ops",
    "set_detect_anomaly",
    "set_grad_enabled",
    "zero_grads",
]
