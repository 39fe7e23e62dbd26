"""``Parameter``: a leaf Tensor that a Module registers as trainable."""

from __future__ import annotations

from typing import Any

from minitorch.autograd import Tensor


class Parameter(Tensor):
    """A tensor that is a model weight: requires grad; collected by ``parameters()``."""

    __slots__ = ()

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        if data is None:
            from minitorch.autograd.factory import empty

            data = empty(0)
        super().__init__(data.detach() if isinstance(data, Tensor) else data, requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
