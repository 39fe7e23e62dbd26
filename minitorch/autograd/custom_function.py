"""PyTorch-style custom Functions: ``class F(Function)`` with static ``forward(ctx, ...)`` and
``backward(ctx, ...)`` on Tensors, called as ``F.apply(*args)``; ``ctx`` is a ``FunctionCtx``.

The call runs ``forward`` with recording off and is then recorded as one node whose Function
(``PyTorchStyleBackward``) hands the engine's arrays to ``backward`` as Tensors and back.
"""

from __future__ import annotations

from typing import Any

from minitorch.autograd import grad_mode
from minitorch.autograd.function import Context, Function, Node, current_record, wrap_output
from minitorch.autograd.tensor import Tensor
from minitorch.backend import dtypes


class FunctionCtx(Context):
    """``ctx`` of a PyTorch-style ``Function.apply`` call (``forward(ctx, ...)`` static).

    Besides the record fields it takes any attribute (``ctx.scale = 2``), and PyTorch's API:
    ``save_for_backward(*tensors)`` / ``saved_tensors``, ``needs_input_grad``,
    ``mark_non_differentiable(*outputs)`` and ``set_materialize_grads(value)``.
    """

    def __init__(self, needs_input_grad: tuple) -> None:
        super().__init__(None, needs_input_grad, True)  # type: ignore[arg-type]
        self.non_differentiable: set[int] = set()
        self.materialize_grads = True

    def save_for_backward(self, *tensors: Any) -> None:
        for t in tensors:
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(
                    f"save_for_backward can only save Tensors or None, got {type(t).__name__}; "
                    "keep other values as attributes of ctx"
                )
        self.saved = tensors

    @property
    def saved_tensors(self) -> tuple:
        if self.saved is None:
            raise RuntimeError(
                "saved_tensors: nothing was saved, or backward already ran and freed it"
            )
        return self.saved

    def mark_non_differentiable(self, *tensors: Tensor) -> None:
        self.non_differentiable.update(id(t) for t in tensors)

    def set_materialize_grads(self, value: bool) -> None:
        self.materialize_grads = bool(value)

    def mark_dirty(self, *tensors: Tensor) -> None:
        raise NotImplementedError(
            "mark_dirty: in-place updates of inputs inside a custom Function's forward are not "
            "supported; return a new tensor instead"
        )


class PyTorchStyleBackward(Function):
    """The node function of a ``Function.apply`` call: runs ``cls.backward(ctx, *grads)`` on
    Tensors and hands the engine arrays."""

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.node_name = f"{cls.__name__}Backward"  # PyTorch's name for such a node

    def backward(self, *grads: Any) -> tuple:
        ctx = current_record()
        grads_in = tuple(
            None if g is None and not ctx.materialize_grads else Tensor(g) for g in grads
        )
        result = self.cls.backward(ctx, *grads_in)
        result = result if isinstance(result, tuple) else (result,)
        n = len(ctx.needs_input_grad)
        if len(result) < n or any(r is not None for r in result[n:]):
            raise RuntimeError(
                f"{self.cls.__name__}.backward returned {len(result)} gradient(s), expected "
                f"{n} (one per forward input; None for inputs that need none)"
            )
        return tuple(r.array if isinstance(r, Tensor) else r for r in result[:n])


def apply_pytorch_style(cls: type, args: tuple, kwargs: dict) -> Any:
    """``MyFunction.apply(*args)`` for a Function written as in PyTorch: ``forward(ctx, ...)``
    runs on Tensors with recording off, and the call is recorded as one node."""
    needs = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
    ctx = FunctionCtx(needs)
    with grad_mode.no_grad():
        out = cls.forward(ctx, *args, **kwargs)
    if not (grad_mode._enabled and any(needs)):
        return out
    outs = out if isinstance(out, tuple) else (out,)
    fn = PyTorchStyleBackward(cls)
    ctx.fn = fn
    inputs = tuple(
        (a if a._node is None else (a._node, a._index)) if need else None
        for a, need in zip(args, needs)
    )
    # an output that is not a Tensor gets a non-floating dtype: the engine sends it no gradient
    meta = tuple((o.shape, o.dtype) if isinstance(o, Tensor) else ((), dtypes.bool) for o in outs)
    node = Node(fn, ctx, inputs, meta)
    wrapped = tuple(
        o
        if not isinstance(o, Tensor)
        else wrap_output(o.array, None if id(o) in ctx.non_differentiable else node, i)
        for i, o in enumerate(outs)
    )
    return wrapped if isinstance(out, tuple) else wrapped[0]
