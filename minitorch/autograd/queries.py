"""Questions about tensors and dtypes, as PyTorch's namespace asks them: ``is_tensor``,
``numel``, ``is_floating_point``, ``is_complex``, ``result_type``, ``promote_types``,
``can_cast``."""

from __future__ import annotations

from typing import Any

from minitorch.autograd.tensor import Tensor
from minitorch.backend import dtypes


def is_tensor(obj: Any) -> bool:
    """True when ``obj`` is a Tensor (a Parameter included)."""
    return isinstance(obj, Tensor)


def numel(input: Tensor) -> int:  # noqa: A002
    """The number of elements of ``input``."""
    return input.numel()


def is_floating_point(input: Tensor) -> bool:  # noqa: A002
    """True for float16, bfloat16, float32 and float64 tensors."""
    return input.is_floating_point()


def is_complex(input: Tensor) -> bool:  # noqa: A002
    """True when ``input`` has a complex dtype."""
    return input.is_complex()


def result_type(tensor1: Any, tensor2: Any) -> Any:
    """The dtype an arithmetic op on the two operands (tensors or Python numbers) gives, by
    PyTorch's promotion rule: a 0-d tensor or a number changes a dimensioned tensor's dtype only
    when it brings a higher category (bool < integer < floating)."""
    return dtypes.result_type(
        *(t.array if isinstance(t, Tensor) else t for t in (tensor1, tensor2))
    )


def promote_types(type1: Any, type2: Any) -> Any:
    """The smallest dtype both ``type1`` and ``type2`` convert to without a category loss."""
    return dtypes.promote_types(type1, type2)


def can_cast(from_: Any, to: Any) -> bool:
    """PyTorch's casting rule: False when ``to`` is of a lower category (float to int)."""
    return dtypes.can_cast(from_, to)
