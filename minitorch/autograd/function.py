"""``Function``: a differentiable step with ``forward``/``backward`` on arrays, and its graph node.

Called on arrays, a Function is the textbook object: ``y = f.forward(x); dx = f.backward(dy)``.
Called on Tensors, ``f(x)`` runs ``forward`` on the arrays and records a ``Node`` that owns this
call's cache, so ``loss.backward()`` can later run ``backward`` with the right cache even when
the same Function (a shared layer) was called several times.
"""

from __future__ import annotations

from typing import Any

from minitorch.autograd import grad_mode
from minitorch.autograd.tensor import Tensor
from minitorch.backend import as_array, get_backend


class _AllTrue:
    """``needs_input_grad`` outside the engine: explicit calls want every input gradient."""

    def __getitem__(self, index: int) -> bool:
        return True

    def __repr__(self) -> str:
        return "(all True)"


ALL_TRUE = _AllTrue()


class Node:
    """One recorded call: the Function, its cache, its Tensor inputs and its outputs' count."""

    __slots__ = ("fn", "saved", "inputs", "needs_input_grad", "out_meta", "freed", "retained")

    def __init__(self, fn: Function, saved: tuple, inputs: tuple, needs: tuple, out_meta: tuple):
        self.fn = fn
        self.saved = saved
        self.inputs = inputs  # one entry per forward argument: a Tensor that needs grad, or None
        self.needs_input_grad = needs
        self.out_meta = out_meta  # (shape, dtype, backend) of each output
        self.freed = False
        self.retained: dict | None = None  # output index -> Tensor that called retain_grad()

    def __repr__(self) -> str:
        return f"<{type(self.fn).__name__}Backward>"


class Function:
    """Base of every differentiable operation: elementary ops here, layers in ``minitorch.nn``.

    Subclasses implement ``forward(*arrays)`` and ``backward(*grad_outputs)``; forward keeps what
    backward needs with ``self.save_for_backward(...)`` and backward reads ``self.saved``.
    ``backward`` returns one gradient per forward argument (a tuple when there are several, with
    ``None`` for arguments that need none) and must not modify its incoming gradient in place.
    """

    _saved: tuple | None = None
    _caching: bool | None = None  # None: explicit call, cache whenever grad mode is on
    needs_input_grad: Any = ALL_TRUE

    def forward(self, *inputs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement forward")

    def backward(self, *grad_outputs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} does not implement backward")

    # --- the per-call cache -----------------------------------------------------------------
    def save_for_backward(self, *arrays: Any) -> None:
        """Keep ``arrays`` for this call's backward; a no-op when nothing will need a gradient."""
        caching = self._caching
        if caching is None:
            caching = grad_mode._enabled
        if caching:
            object.__setattr__(self, "_saved", arrays)

    @property
    def saved(self) -> tuple:
        """The arrays this call's forward saved."""
        saved = self._saved
        if saved is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward called with no saved forward: call forward "
                "first (with gradients enabled), and call backward once per forward"
            )
        return saved

    @property
    def caching(self) -> bool:
        """True inside forward when this call will be differentiated (so it should cache)."""
        return grad_mode._enabled if self._caching is None else self._caching

    # --- recording ----------------------------------------------------------------------------
    def _has_trainable_params(self) -> bool:
        return False

    def _check_devices(self, backend: Any, args: tuple) -> None:
        """Hook for layers: raise if a parameter lives elsewhere than the inputs."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs:
            kwargs = {k: v.data if isinstance(v, Tensor) else v for k, v in kwargs.items()}
        tensors = [a for a in args if isinstance(a, Tensor)]
        if not tensors:  # arrays in, arrays out: the explicit, textbook use
            return self.forward(*args, **kwargs)
        backend = _common_backend(self, tensors)
        self._check_devices(backend, args)
        record = grad_mode._enabled and (
            any(t.requires_grad for t in tensors) or self._has_trainable_params()
        )
        arrays = [a.data if isinstance(a, Tensor) else a for a in args]
        object.__setattr__(self, "_caching", record)
        try:
            out = self.forward(*arrays, **kwargs)
        finally:
            object.__setattr__(self, "_caching", None)
        if not record:
            return _wrap_outputs(out, None)
        saved = self._saved
        object.__setattr__(self, "_saved", None)  # the cache now belongs to the node
        needs = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        inputs = tuple(a if need else None for a, need in zip(args, needs))
        outs = out if isinstance(out, tuple) else (out,)
        meta = tuple((o.shape, o.dtype) for o in outs)
        node = Node(self, () if saved is None else saved, inputs, needs, meta)
        return _wrap_outputs(out, node)


def _common_backend(fn: Function, tensors: list) -> Any:
    backend = get_backend(tensors[0].data)
    for t in tensors[1:]:
        other = get_backend(t.data)
        if other is not backend:
            raise RuntimeError(
                f"{type(fn).__name__}: expected all inputs on one device, got "
                f"{backend.device} and {other.device}; move them with .to(device) first"
            )
    return backend


def _wrap_outputs(out: Any, node: Node | None) -> Any:
    if isinstance(out, tuple):
        return tuple(_wrap(o, node, i) for i, o in enumerate(out))
    return _wrap(out, node, 0)


def _wrap(array: Any, node: Node | None, index: int) -> Tensor:
    t = Tensor.__new__(Tensor)
    t.data = as_array(array)
    t._grad = None
    t._node = node
    t._index = index
    t.requires_grad = node is not None and t.data.dtype.kind in "fc"  # not index outputs
    return t
