"""``Layer``: a Module whose ``forward``/``backward`` work on arrays, as backpropagation is taught.

A Layer is a ``Function`` (so ``layer(tensor)`` is recorded and ``loss.backward()`` reaches it)
that is also a ``Module`` (so it owns Parameters, moves between devices and has a state dict).
``backward`` adds parameter gradients with ``+=`` into ``param.grad`` and returns input gradients.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from minitorch.autograd import Function, Tensor
from minitorch.backend import Array, get_backend
from minitorch.nn.module import Module
from minitorch.nn.parameter import Parameter, backward_depth

_NOTHING: tuple = ()


def _with_param_grads(backward: Callable) -> Callable:
    """Run ``backward`` with parameter gradients ready to be added into.

    Inside, reading ``param.grad`` of a parameter with no gradient yet gives a zero buffer, so
    ``self.weight.grad.data += ...`` always works. A frozen parameter (``requires_grad=False``)
    that had no gradient is given back none afterwards, so layers need no special case.
    """

    @functools.wraps(backward)
    def backward_with_param_grads(self: Layer, *grad_outputs: Any) -> Any:
        frozen = _NOTHING
        for param in self._parameters.values():
            if param is not None and not param.requires_grad and param._grad is None:
                frozen = (*frozen, param)
        backward_depth[0] += 1
        try:
            return backward(self, *grad_outputs)
        finally:
            backward_depth[0] -= 1
            for param in frozen:
                param._grad = None

    return backward_with_param_grads


class Layer(Function, Module):
    """Base class of every layer. Implement ``forward(*arrays)`` and ``backward(dy)``.

    In ``forward`` keep what backward needs with ``self.save_for_backward(...)``; in ``backward``
    read it from ``self.saved``, add parameter gradients with ``self.weight.grad += ...`` and
    return the input gradient (a tuple for several inputs; ``None`` for one needing none).
    ``self.needs_input_grad[i]`` says whether input ``i``'s gradient is wanted at all.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "backward" in cls.__dict__:
            cls.backward = _with_param_grads(cls.__dict__["backward"])

    __call__ = Function.__call__

    @staticmethod
    def add_grad(param: Parameter | None, grad: Array) -> None:
        """``param.grad += grad``, skipped for a missing or frozen parameter.

        When the parameter has no gradient yet, ``grad`` itself becomes it (no zero fill, no
        extra pass), so pass an array this backward just computed, not one it received.
        """
        if param is None or not param.requires_grad:
            return
        if param._grad is None:
            param._grad = Tensor(grad)
        else:
            param._grad.data += grad

    def _has_trainable_params(self) -> bool:
        return any(p is not None and p.requires_grad for p in self._parameters.values())

    def _check_devices(self, backend: Any, args: tuple) -> None:
        for kind, registry in (("parameter", self._parameters), ("buffer", self._buffers)):
            for name, tensor in registry.items():
                if tensor is not None and not backend.owns(tensor.data):
                    raise RuntimeError(
                        f"{type(self).__name__}: {kind} {name!r} is on "
                        f"{get_backend(tensor.data).device} but the input is on "
                        f"{backend.device}; move the module with .to({str(backend.device)!r}) "
                        "or the input with .to(...)"
                    )

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("_saved", "_caching", "needs_input_grad"):
            object.__setattr__(self, name, value)  # per-call bookkeeping, not registration
        else:
            Module.__setattr__(self, name, value)
