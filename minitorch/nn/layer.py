"""``Layer``: a Module whose ``forward``/``backward`` work on arrays, as backpropagation is taught.

A Layer is a ``Function`` (so ``layer(tensor)`` is recorded and ``loss.backward()`` reaches it)
that is also a ``Module`` (so it owns Parameters, moves between devices and has a state dict).
``backward`` adds parameter gradients with ``self.add_grad(param, g)`` and returns input
gradients.
"""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar

from minitorch.autograd import Function, is_anomaly_enabled
from minitorch.autograd.engine import accumulate_grad
from minitorch.backend import Array, get_backend
from minitorch.nn import hooks
from minitorch.nn.input_checks import check_call_inputs
from minitorch.nn.module import Module
from minitorch.nn.parameter import Parameter


class Layer(Function, Module):
    """Base class of every layer. Implement ``forward(*arrays)`` and ``backward(dy)``.

    In ``forward`` keep what backward needs with ``self.save_for_backward(...)`` and read raw
    parameter arrays as ``self.weight.array``; in ``backward`` read the cache from
    ``self.saved``, add parameter gradients with ``self.add_grad(self.weight, g)`` and return
    the input gradient (a tuple for several inputs; ``None`` for one needing none).
    ``self.needs_input_grad[i]`` says whether input ``i``'s gradient is wanted at all.

    ``input_dtypes`` says which dtypes the first input may have, as PyTorch's kernel for the
    layer does: ``"floating"``, ``"numeric"`` (integers too, not bool) or ``"any"``; a call on
    another dtype raises a TypeError naming the layer and the dtype.
    """

    input_dtypes: ClassVar[str] = "any"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        check_call_inputs(self, args)
        if self._hooks is None and not is_anomaly_enabled():
            return Function.__call__(self, *args, **kwargs)
        return hooks.call_with_hooks(self, partial(Function.__call__, self), args, kwargs)

    apply = Module.apply  # Module.apply(fn) on sub-modules, not Function.apply

    @staticmethod
    def add_grad(param: Parameter | None, grad: Array) -> None:
        """``param.grad += grad``, skipped for a missing (None) or frozen parameter.

        The one way a layer adds a parameter gradient. When the parameter has no gradient yet,
        ``grad`` itself becomes it (no zero fill, no extra pass), so pass an array this backward
        just computed, not one it received or saved.
        """
        if param is not None and param.requires_grad:
            accumulate_grad(param, grad)

    def _grad_params(self) -> tuple:
        return tuple(p for p in self._parameters.values() if p is not None and p.requires_grad)

    def _check_devices(self, backend: Any, args: tuple) -> None:
        for kind, registry in (("parameter", self._parameters), ("buffer", self._buffers)):
            for name, tensor in registry.items():
                if tensor is not None and not backend.owns(tensor.array):
                    raise RuntimeError(
                        f"{type(self).__name__}: {kind} {name!r} is on "
                        f"{get_backend(tensor.array).device} but the input is on "
                        f"{backend.device}; move the module with .to({str(backend.device)!r}) "
                        "or the input with .to(...)"
                    )
