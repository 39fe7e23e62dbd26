"""Module hooks, as in PyTorch: forward pre-hooks, forward hooks and full backward hooks.

A module with no hook runs its call unchanged (one ``is None`` test). With hooks, the call goes
through ``call_with_hooks``. A full backward hook sees the gradients of the module's Tensor
inputs and outputs: the inputs and outputs pass through two identity Functions recorded around
the call, whose backwards capture ``grad_output`` (first) and ``grad_input`` (last).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable

from minitorch.autograd import Function, Tensor, is_anomaly_enabled
from minitorch.autograd.function import calling
from minitorch.autograd.hooks import RemovableHandle


class ModuleHooks:
    """A module's hooks: each registry maps a handle id to ``(hook, flag)``."""

    __slots__ = ("forward_pre", "forward", "backward", "backward_pre")

    def __init__(self) -> None:
        self.forward_pre: OrderedDict = OrderedDict()
        self.forward: OrderedDict = OrderedDict()
        self.backward: OrderedDict = OrderedDict()
        self.backward_pre: OrderedDict = OrderedDict()


class HookMethods:
    """The hook-registering methods of ``Module`` (each returns a ``RemovableHandle``)."""

    def register_forward_pre_hook(self, hook: Callable, *, prepend: bool = False,
                                  with_kwargs: bool = False) -> RemovableHandle:  # fmt: skip
        """``hook(module, args)`` before each call; may return new args (a tuple or one)."""
        return register(self, "forward_pre", hook, prepend, with_kwargs)

    def register_forward_hook(self, hook: Callable, *, prepend: bool = False,
                              with_kwargs: bool = False,
                              always_call: bool = False) -> RemovableHandle:  # fmt: skip
        """``hook(module, args, output)`` after each call; may return a new output."""
        return register(self, "forward", hook, prepend, (with_kwargs, always_call))

    def register_full_backward_hook(self, hook: Callable,
                                    prepend: bool = False) -> RemovableHandle:  # fmt: skip
        """``hook(module, grad_input, grad_output)`` once the gradients of the module's
        inputs are computed; may return a new ``grad_input``."""
        return register(self, "backward", hook, prepend, None)

    def register_full_backward_pre_hook(self, hook: Callable,
                                        prepend: bool = False) -> RemovableHandle:  # fmt: skip
        """``hook(module, grad_output)`` before the module's backward; may return new ones."""
        return register(self, "backward_pre", hook, prepend, None)


def register(module: Any, kind: str, hook: Callable, prepend: bool, flag: Any) -> RemovableHandle:
    """Add ``hook`` to ``module``'s registry ``kind`` (first when ``prepend``)."""
    if not callable(hook):
        raise TypeError(f"hook must be callable, got {type(hook).__name__}")
    if module._hooks is None:
        module.__dict__["_hooks"] = ModuleHooks()
    registry = getattr(module._hooks, kind)
    handle = RemovableHandle(registry, (hook, flag))
    if prepend:
        registry.move_to_end(handle.id, last=False)
    return handle


def call_with_hooks(module: Any, call: Callable, args: tuple, kwargs: dict) -> Any:
    """Run ``call(*args, **kwargs)`` with ``module``'s hooks around it; under
    ``detect_anomaly`` also note the call, so that a report can name the module's path."""
    if is_anomaly_enabled():
        with calling(module):
            return _call_with_hooks(module, call, args, kwargs)
    return _call_with_hooks(module, call, args, kwargs)


def _call_with_hooks(module: Any, call: Callable, args: tuple, kwargs: dict) -> Any:
    hooks = module._hooks
    if hooks is None:
        return call(*args, **kwargs)
    for hook, with_kwargs in list(hooks.forward_pre.values()):
        result = hook(module, args, kwargs) if with_kwargs else hook(module, args)
        if result is not None:
            if with_kwargs:
                args, kwargs = result
            else:
                args = result if isinstance(result, tuple) else (result,)
    watch = BackwardWatch(module, args) if hooks.backward or hooks.backward_pre else None
    if watch is not None:
        args = watch.wrap_inputs(args)
    try:
        out = call(*args, **kwargs)
    except BaseException:
        for hook, (with_kwargs, always) in list(hooks.forward.values()):
            if always:
                hook(module, args, kwargs, None) if with_kwargs else hook(module, args, None)
        raise
    for hook, (with_kwargs, _) in list(hooks.forward.values()):
        result = hook(module, args, kwargs, out) if with_kwargs else hook(module, args, out)
        if result is not None:
            out = result
    return out if watch is None else watch.wrap_outputs(out)


class BackwardWatch:
    """One call's full backward hooks: catches grad_output, then grad_input, calls the hooks."""

    def __init__(self, module: Any, args: tuple) -> None:
        self.module, self.n_args = module, len(args)
        self.grad_output: tuple = ()
        self.positions: list[int] = []

    def wrap_inputs(self, args: tuple) -> tuple:
        self.positions = [
            i for i, a in enumerate(args) if isinstance(a, Tensor) and a.requires_grad
        ]
        if not self.positions:
            return args
        passed = GradientTap(self.on_grad_input)(*(args[i] for i in self.positions))
        passed = passed if isinstance(passed, tuple) else (passed,)
        args = list(args)
        for i, t in zip(self.positions, passed):
            args[i] = t
        return tuple(args)

    def wrap_outputs(self, out: Any) -> Any:
        flat: list = []
        _collect(out, flat)
        if not flat:
            return out
        passed = GradientTap(self.on_grad_output)(*flat)
        passed = iter(passed if isinstance(passed, tuple) else (passed,))
        return _replace(out, passed)

    def on_grad_output(self, grads: tuple) -> tuple:
        hooks = self.module._hooks
        grads = tuple(_tensor(g) for g in grads)
        for hook, _ in list(hooks.backward_pre.values()):
            result = hook(self.module, grads)
            if result is not None:
                grads = tuple(result)
        self.grad_output = grads
        if not self.positions:  # no input wants a gradient: the hooks run now, with None
            self.call_hooks((None,) * self.n_args)
        return grads

    def on_grad_input(self, grads: tuple) -> tuple:
        grad_input = [None] * self.n_args
        for i, g in zip(self.positions, grads):
            grad_input[i] = _tensor(g)
        grad_input = self.call_hooks(tuple(grad_input))
        return tuple(grad_input[i] for i in self.positions)

    def call_hooks(self, grad_input: tuple) -> tuple:
        for hook, _ in list(self.module._hooks.backward.values()):
            result = hook(self.module, grad_input, self.grad_output)
            if result is not None:
                grad_input = tuple(result)
        return grad_input


class GradientTap(Function):
    """Identity on several tensors whose backward hands the gradients to ``on_grads`` (which
    may replace them) on the way through."""

    def __init__(self, on_grads: Callable[[tuple], tuple]) -> None:
        self.on_grads = on_grads

    def forward(self, *xs: Any) -> Any:
        return xs if len(xs) > 1 else xs[0]

    def backward(self, *grads: Any) -> Any:
        out = tuple(None if g is None else g.array for g in self.on_grads(grads))
        return out if len(out) > 1 else out[0]


def _tensor(g: Any) -> Tensor | None:
    return None if g is None else g if isinstance(g, Tensor) else Tensor(g)


def _collect(obj: Any, flat: list) -> None:
    if isinstance(obj, Tensor):
        if obj.requires_grad:
            flat.append(obj)
    elif isinstance(obj, (tuple, list)):
        for item in obj:
            _collect(item, flat)


def _replace(obj: Any, passed: Any) -> Any:
    if isinstance(obj, Tensor):
        return next(passed) if obj.requires_grad else obj
    if isinstance(obj, (tuple, list)):
        items = [_replace(item, passed) for item in obj]
        return type(obj)(*items) if hasattr(obj, "_fields") else type(obj)(items)
    return obj
