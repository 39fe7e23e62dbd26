"""``Function``: a differentiable step with ``forward``/``backward`` on arrays, and its graph node.

Called on arrays, a Function is the textbook object: ``y = f.forward(x); dx = f.backward(dy)``.
Called on Tensors, ``f(x)`` runs ``forward`` on the arrays and records a ``Node``. Each call gets
its own ``Context`` (what forward saved, which inputs need gradients, whether to cache), owned by
the node, so one Function called several times (a shared layer, recursion) keeps one record per
call and nothing per-call is ever stored on the Function object itself.

How ``self.save_for_backward`` / ``self.saved`` / ``self.needs_input_grad`` find the record:
while a recorded call runs (its forward, or its backward inside the engine) its context is on a
stack. A Function reads the context on top when that context is its own. Any other Function whose
``forward``/``backward`` is called explicitly on arrays inside it (a composite layer running
sub-layers) gets a sub-record inside that same context, so a composite layer used twice keeps
two sets of sub-caches. Outside every recorded call, an explicit ``f.forward(x)`` keeps its record
in a table keyed weakly by ``f`` until ``f.backward(dy)`` reads it.

Kept in one file (about 350 lines): the record, the node that owns it and the Function that
creates both are one mechanism; PyTorch-style ``Function.apply`` lives in custom_function.py.
"""

from __future__ import annotations

import weakref
from typing import Any

from minitorch.autograd import grad_mode, versions
from minitorch.autograd.tensor import Tensor
from minitorch.backend import as_array, get_backend


class _EveryInput:
    """``needs_input_grad`` of an explicit call: every input's gradient is wanted."""

    def __getitem__(self, index: int) -> bool:
        return True

    def __repr__(self) -> str:
        return "(every input)"


EVERY_INPUT = _EveryInput()


class Context:
    """The record of one call: ``saved`` values, ``needs_input_grad``, and whether it caches.

    ``caching`` is None for an explicit call outside any recorded one (it then follows grad mode
    at the time of ``save_for_backward``). ``fn`` is the Function the record belongs to.
    """

    __slots__ = ("fn", "saved", "needs_input_grad", "caching", "sub_records", "epoch")

    def __init__(self, fn: Function, needs_input_grad: Any, caching: bool | None) -> None:
        self.fn = fn
        self.saved: tuple | None = None
        self.needs_input_grad = needs_input_grad
        self.caching = caching
        self.sub_records: dict[int, Context] | None = None  # id(fn) -> record of an inner call
        self.epoch: int | None = None  # versions.clock when the call was recorded (see Node)

    def record_for(self, fn: Function, create: bool) -> Context | None:
        """The record of ``fn``'s explicit call made inside this one (created on first save)."""
        if self.sub_records is None:
            if not create:
                return None
            self.sub_records = {}
        record = self.sub_records.get(id(fn))
        if record is None and create:
            # the sub-record holds ``fn`` so its id cannot be reused while this record lives
            record = self.sub_records[id(fn)] = Context(fn, EVERY_INPUT, self.caching)
        return record


_active: list[Context] = []  # records of the recorded calls running now, innermost last
module_stack: list = []  # modules being called, outermost first (kept only for detect_anomaly)


class calling:  # noqa: N801  (used like a function: ``with calling(module): ...``)
    """Note that ``module`` is being called, so that anomaly reports can name its path."""

    __slots__ = ("module",)

    def __init__(self, module: Any) -> None:
        self.module = module

    def __enter__(self) -> None:
        module_stack.append(self.module)

    def __exit__(self, *exc: Any) -> None:
        module_stack.pop()


_explicit: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # fn -> its explicit record


def _record(fn: Function, create: bool) -> Context | None:
    if _active:
        top = _active[-1]
        return top if top.fn is fn else top.record_for(fn, create)
    record = _explicit.get(fn)
    if record is None and create:
        record = _explicit[fn] = Context(fn, EVERY_INPUT, None)
    return record


class running:  # noqa: N801  (used like a function: ``with running(ctx): ...``)
    """Make ``ctx`` the current record while its Function's forward or backward runs."""

    __slots__ = ("ctx",)

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def __enter__(self) -> Context:
        ctx = self.ctx
        if ctx.epoch is not None and ctx.epoch != versions.clock:
            _check_versions(ctx, ctx.epoch)  # something was written in place since the record
        _active.append(ctx)
        return ctx

    def __exit__(self, *exc: Any) -> None:
        _active.pop()


class Node:
    """One recorded call: the Function, its Context, its Tensor inputs and its outputs' meta."""

    __slots__ = ("fn", "ctx", "inputs", "out_meta", "retained", "hooks", "trace", "params")

    def __init__(self, fn: Function, ctx: Context, inputs: tuple, out_meta: tuple,
                 params: tuple = ()) -> None:  # fmt: skip
        self.fn = fn
        self.ctx = ctx
        # one entry per forward argument: None (no gradient wanted), the leaf Tensor itself, or
        # the edge (node, output index) to the call that produced it, taken at record time so
        # that rebinding the Tensor later (an in-place update) cannot reroute this gradient
        self.inputs = inputs
        self.out_meta = out_meta  # (shape, dtype) of each output
        # the in-place write clock now; at backward, saved arrays written after it are an error
        ctx.epoch = versions.clock
        self.retained: dict | None = None  # output index -> Tensor that called retain_grad()
        self.hooks: dict | None = None  # output index -> that output's register_hook() hooks
        # under detect_anomaly: the modules being called when this call was recorded
        self.trace: tuple = tuple(module_stack) if grad_mode._anomaly else ()
        self.params = params  # the parameters fn's backward adds gradients to (add_grad)

    @property
    def freed(self) -> bool:
        """True once a backward without ``retain_graph`` released this call's record."""
        return self.ctx is None

    def name(self) -> str:
        """PyTorch's name for this node: ``"MulBackward0"`` for a call of ``Mul``."""
        return _node_name(self.fn)

    @property
    def next_functions(self) -> tuple:
        """One ``(node, output index)`` per forward input, as ``grad_fn.next_functions``: the
        node that produced it, an ``AccumulateGrad`` for a leaf, or ``(None, 0)``."""
        return tuple(
            (None, 0)
            if edge is None
            else edge
            if type(edge) is tuple
            else (AccumulateGrad(edge), 0)
            for edge in self.inputs
        )

    def __repr__(self) -> str:
        return f"<{self.name()}>"


class AccumulateGrad:
    """``next_functions`` entry of a leaf: where its gradient is accumulated (``.variable``)."""

    next_functions: tuple = ()

    def __init__(self, variable: Tensor) -> None:
        self.variable = variable

    def name(self) -> str:
        return "AccumulateGrad"

    def __repr__(self) -> str:
        return "<AccumulateGrad>"


class Function:
    """Base of every differentiable operation: elementary ops here, layers in ``minitorch.nn``.

    Subclasses implement ``forward(*arrays)`` and ``backward(*grad_outputs)``; forward keeps what
    backward needs with ``self.save_for_backward(...)`` and backward reads ``self.saved``.
    ``backward`` returns one gradient per forward argument (a tuple when there are several, with
    ``None`` for arguments that need none) and must not modify its incoming gradient in place.
    Constructor arguments (a dim, a stride) may live on ``self``; everything that belongs to one
    call goes through ``save_for_backward``, which takes any values (arrays, shapes, flags).
    """

    def forward(self, *inputs: Any) -> Any:
        """Compute the output(s) from array inputs, saving what backward needs."""
        raise NotImplementedError(f"{type(self).__name__} must implement forward")

    def backward(self, *grad_outputs: Any) -> Any:
        """The forward inputs' gradients from the outputs' (None for an input that needs none).

        A layer also adds its parameters' gradients here, with ``add_grad``.
        """
        raise NotImplementedError(f"{type(self).__name__} does not implement backward")

    # --- the per-call record ----------------------------------------------------------------
    def save_for_backward(self, *values: Any) -> None:
        """Keep ``values`` for this call's backward; a no-op when nothing will need a gradient."""
        record = _record(self, create=True)
        caching = record.caching
        if caching is None:
            caching = grad_mode._enabled
        if caching:
            record.saved = values

    @property
    def saved(self) -> tuple:
        """The values this call's forward saved."""
        record = _record(self, create=False)
        if record is None or record.saved is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward called with no saved forward: call forward "
                "first (with gradients enabled), and call backward once per forward"
            )
        return record.saved

    @property
    def needs_input_grad(self) -> Any:
        """``needs_input_grad[i]``: is input ``i``'s gradient wanted (explicit calls: always)."""
        record = _record(self, create=False)
        return EVERY_INPUT if record is None else record.needs_input_grad

    @property
    def caching(self) -> bool:
        """True inside forward when this call will be differentiated (so it should cache)."""
        record = _record(self, create=False)
        if record is None or record.caching is None:
            return grad_mode._enabled
        return record.caching

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """PyTorch's spelling, for a subclass whose ``forward(ctx, *args)`` and
        ``backward(ctx, *grads)`` are static methods on Tensors (see ``FunctionCtx``)."""
        from minitorch.autograd.custom_function import apply_pytorch_style

        return apply_pytorch_style(cls, args, kwargs)

    # --- recording ----------------------------------------------------------------------------
    def _grad_params(self) -> tuple:
        """The parameters this Function's backward adds gradients to (a Layer's own)."""
        return ()

    def _check_devices(self, backend: Any, args: tuple) -> None:
        """Hook for layers: raise if a parameter lives elsewhere than the inputs."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs:
            kwargs = {k: v.array if isinstance(v, Tensor) else v for k, v in kwargs.items()}
        tensors = [a for a in args if isinstance(a, Tensor)]
        if not tensors:  # arrays in, arrays out: the explicit, textbook use
            return self.forward(*args, **kwargs)
        backend = _common_backend(self, tensors)
        self._check_devices(backend, args)
        params = self._grad_params()
        record = grad_mode._enabled and (any(t.requires_grad for t in tensors) or bool(params))
        arrays = [a.array if isinstance(a, Tensor) else a for a in args]
        needs = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        ctx = Context(self, needs, record)
        _active.append(ctx)
        try:
            out = self.forward(*arrays, **kwargs)
        finally:
            _active.pop()
        if not record:
            return _wrap_outputs(out, None)
        inputs = tuple(
            (a if a._node is None else (a._node, a._index)) if need else None
            for a, need in zip(args, needs)
        )
        outs = out if isinstance(out, tuple) else (out,)
        meta = tuple((o.shape, o.dtype) for o in outs)
        if ctx.saved is None:
            ctx.saved = ()
        return _wrap_outputs(out, Node(self, ctx, inputs, meta, params))


def explain_param_grad_error(fn: Function, error: Exception) -> None:
    """Turn the error of ``param.grad += g`` on a parameter with no gradient yet into a hint.

    ``Parameter.grad`` is None until a gradient arrives (as in PyTorch), so the old spelling
    fails with Python's "unsupported operand ... NoneType"; ``add_grad`` is the verb to use.
    """
    text = str(error)
    about_none = "NoneType" in text and ("unsupported operand" in text or "attribute" in text)
    if not about_none:
        return
    raise TypeError(
        f"{type(fn).__name__}.backward: a parameter's .grad is None until its first gradient "
        "arrives, so `param.grad += g` cannot work; add parameter gradients with "
        "`self.add_grad(param, g)` (it also skips frozen parameters)"
    ) from error


def _node_name(fn: Function) -> str:
    custom = getattr(fn, "node_name", None)  # a Function.apply call names its node itself
    return custom if custom is not None else f"{type(fn).__name__}Backward0"


def _check_versions(ctx: Context, epoch: int) -> None:
    """PyTorch's safety rule: no array this call saved was written in place after the record
    (``versions``); sub-records of a composite layer's inner calls are checked too."""
    if ctx.saved:
        versions.check_saved(ctx.saved, epoch, _node_name(ctx.fn))
    for sub in (ctx.sub_records or {}).values():
        _check_versions(sub, epoch)


def _common_backend(fn: Function, tensors: list) -> Any:
    backend = get_backend(tensors[0].array)
    for t in tensors[1:]:
        other = get_backend(t.array)
        if other is not backend:
            raise RuntimeError(
                f"{type(fn).__name__}: expected all inputs on one device, got "
                f"{backend.device} and {other.device}; move them with .to(device) first"
            )
    return backend


def current_record() -> Context:
    """The record of the innermost recorded call running now (inside its backward: its own)."""
    return _active[-1]


def _wrap_outputs(out: Any, node: Node | None) -> Any:
    if isinstance(out, tuple):
        return tuple(wrap_output(o, node, i) for i, o in enumerate(out))
    return wrap_output(out, node, 0)


def wrap_output(array: Any, node: Node | None, index: int) -> Tensor:
    """Output ``index`` of a recorded call (``node``; None: not recorded) as a Tensor."""
    t = Tensor.__new__(Tensor)
    t.array = as_array(array)
    t._grad = None
    t._hooks = t._post_hooks = None
    t._node = node
    t._index = index
    t.requires_grad = node is not None and t.array.dtype.kind in "fc"  # not index outputs
    return t
