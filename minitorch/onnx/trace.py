"""Tracing: one forward call of the model, in eval mode, with every call recorded.

Each recorded call makes a graph ``Node`` (``out.grad_fn``; ``node.fn`` the Function or Layer with
its configuration, ``node.inputs`` the edges, ``node.out_meta`` shapes and dtypes, ``node.trace``
the modules being called, kept under ``detect_anomaly``). For the trace, the inputs and every
parameter and floating buffer require gradients, so every op on them makes a node. The graph
keeps no edge for an argument that needs no gradient (a Python number, an attention mask array,
an integer tensor), so while the trace runs ``Function.__call__`` is wrapped to keep each call's
arguments too, and so are the tensor ops that record no node (comparisons, argmax/argmin); all
are restored afterwards (do not run forward passes in other threads during an export).
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from minitorch.autograd import Function, Tensor, detect_anomaly, enable_grad, ops
from minitorch.backend import dtypes


class Call:
    """The arguments and outputs of one recorded call (looked up by its node)."""

    __slots__ = ("args", "kwargs", "outputs")

    def __init__(self, args: tuple, kwargs: dict, outputs: tuple) -> None:
        self.args, self.kwargs, self.outputs = args, kwargs, outputs

    def index_of(self, t: Tensor) -> int:
        """Which output ``t`` is (by its array: an in-place op rebinds the Tensor object)."""
        for i, o in enumerate(self.outputs):
            if isinstance(o, Tensor) and o.array is t.array:
                return i
        return 0


UNRECORDED = ("compare", "argmax", "argmin")  # tensor ops in autograd.ops that make no node


class Recording:
    """What a trace saw: ``calls`` ``{id(node): Call}`` and ``untracked`` ``{id(result array):
    (op name, args, result)}`` for the ops in ``UNRECORDED`` (keeping their results alive). By
    array: an op that takes a mask often passes on its array, or a new Tensor around it."""

    def __init__(self) -> None:
        self.calls: dict[int, Call] = {}
        self.untracked: dict[int, tuple] = {}


def _keeping(rec: Recording, name: str, op: Any) -> Any:
    def kept(*args: Any) -> Any:
        out = op(*args)
        if isinstance(out, Tensor):
            rec.untracked[id(out.array)] = (name, args, out)
        return out

    return kept


@contextmanager
def recording() -> Iterator[Recording]:
    """Yields a ``Recording`` that every call made inside the block fills."""
    rec = Recording()
    calls = rec.calls
    original = Function.__call__
    originals = {name: getattr(ops, name) for name in UNRECORDED}

    def record(fn: Function, *args: Any, **kwargs: Any) -> Any:
        out = original(fn, *args, **kwargs)
        outs = out if isinstance(out, tuple) else (out,)
        for o in outs:
            node = o.grad_fn if isinstance(o, Tensor) else None
            if node is not None and node.fn is fn:
                calls[id(node)] = Call(args, kwargs, outs)
                break
        return out

    Function.__call__ = record
    for name, op in originals.items():
        setattr(ops, name, _keeping(rec, name, op))
    try:
        yield rec
    finally:
        Function.__call__ = original
        for name, op in originals.items():
            setattr(ops, name, op)


def traced_copy(t: Tensor) -> Tensor:
    """A Tensor sharing ``t``'s memory that records every op on it, integer ones too (the
    Embedding's indices must be an edge of the graph; nothing here ever runs backward)."""
    copy = Tensor(t.array)
    copy.requires_grad = True  # set directly: requires_grad_ refuses integer dtypes
    return copy


@contextmanager
def tracing_state(model: Any) -> Iterator[None]:
    """Eval mode (as torch.onnx.export's default) and gradients on every parameter and floating
    buffer, each put back as it was afterwards."""
    modes = [(m, m.training) for m in model.modules()]
    flags = [(t, t.requires_grad) for t in (*model.parameters(), *model.buffers())
             if dtypes.is_floating(t.dtype)]  # fmt: skip
    try:
        model.eval()
        for t, _ in flags:
            t.requires_grad = True
        yield
    finally:
        for t, flag in flags:
            t.requires_grad = flag
        for m, mode in modes:
            m.training = mode


def run(model: Any, args: tuple, kwargs: dict) -> tuple[Any, Recording]:
    """``(output, recording)``: the model called once on ``args`` with everything recorded."""
    with tracing_state(model), detect_anomaly(), enable_grad(), recording() as rec:
        out = model(*args, **kwargs)
    return out, rec
