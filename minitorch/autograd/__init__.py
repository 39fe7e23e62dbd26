"""Tensors, the recorded graph and the reverse-mode engine (layers live in ``minitorch.nn``)."""

from minitorch.autograd.tensor import Tensor  # noqa: I001  (first: the modules below need it)
from minitorch.autograd import ops
from minitorch.autograd.engine import backward
from minitorch.autograd.function import Function, Node
from minitorch.autograd.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled

__all__ = [
    "Function",
    "Node",
    "Tensor",
    "backward",
    "enable_grad",
    "is_grad_enabled",
    "no_grad",
    "ops",
    "set_grad_enabled",
]
