"""``Module``: a tree of parameters, buffers and sub-modules, registered by assignment.

A little over 300 lines: ``Module`` is one class whose public methods PyTorch users expect on
it; hooks (nn/hooks.py) and state dicts (nn/state_dict.py) already live elsewhere.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable, Iterator

from minitorch.autograd import Tensor, is_anomaly_enabled, zero_grads
from minitorch.backend import as_device, backend_for, device, dtypes, get_backend, move
from minitorch.nn import hooks
from minitorch.nn.parameter import Parameter
from minitorch.nn.state_dict import IncompatibleKeys, load_state_dict_into, state_dict_of


class Module(hooks.HookMethods):
    """Base class of every model. Subclasses assign layers and Parameters in ``__init__`` and
    write ``forward``; calling the module runs ``forward``, and autograd derives the backward.
    """

    training: bool

    def __init__(self) -> None:
        d = self.__dict__
        d["_parameters"] = OrderedDict()
        d["_buffers"] = OrderedDict()
        d["_non_persistent"] = set()
        d["_modules"] = OrderedDict()
        d["_hooks"] = None  # a ModuleHooks once a hook is registered
        d["training"] = True

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """The computation of one call (``module(x)`` runs it with hooks); subclasses define it."""
        raise NotImplementedError(f"{type(self).__name__} must implement forward")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._hooks is None and not is_anomaly_enabled():
            return self.forward(*args, **kwargs)
        return hooks.call_with_hooks(self, self.forward, args, kwargs)

    # --- registration -------------------------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        d = self.__dict__
        if "_parameters" not in d:
            raise AttributeError(
                f"cannot assign {name!r} before Module.__init__() is called; "
                "call super().__init__() first in your module's __init__"
            )
        params, buffers, modules = d["_parameters"], d["_buffers"], d["_modules"]
        if isinstance(value, Parameter):
            self._forget(name, keep=params)
            params[name] = value
        elif isinstance(value, Module):
            self._forget(name, keep=modules)
            modules[name] = value
        elif name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign {type(value).__name__} as parameter {name!r} of "
                    f"{type(self).__name__} (a Parameter or None is expected)"
                )
            params[name] = None
        elif name in buffers:
            if value is not None and not isinstance(value, Tensor):
                value = Tensor(value)
            buffers[name] = value
        elif name in modules:
            if value is not None:
                raise TypeError(f"cannot assign {type(value).__name__} as child module {name!r}")
            modules[name] = None
        object.__setattr__(self, name, value)

    def _forget(self, name: str, keep: dict | None = None) -> None:
        """Drop ``name`` from the registries other than ``keep``: a name re-registered where
        it already is keeps its place in the order (``seq[1] = layer``, as in PyTorch)."""
        for registry in (self._parameters, self._buffers, self._modules):
            if registry is not keep:
                registry.pop(name, None)

    def __delattr__(self, name: str) -> None:
        self._forget(name)
        self._non_persistent.discard(name)
        object.__delattr__(self, name)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Register ``param`` (a Parameter, or None for an absent one) under ``name``."""
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"register_parameter({name!r}) expects a Parameter or None")
        self._forget(name, keep=self._parameters)
        self._parameters[name] = param
        object.__setattr__(self, name, param)

    def register_buffer(self, name: str, tensor: Any, persistent: bool = True) -> None:
        """A tensor that is state but not trained (BatchNorm's running mean); in state_dict
        unless ``persistent=False``; moved by ``.to()``."""
        if "." in name or not name:
            raise KeyError(f"buffer name must be a non-empty name without '.', got {name!r}")
        if tensor is not None and not isinstance(tensor, Tensor):
            tensor = Tensor(tensor)
        self._forget(name, keep=self._buffers)
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent.discard(name)
        else:
            self._non_persistent.add(name)
        object.__setattr__(self, name, tensor)

    def add_module(self, name: str, module: Module | None) -> None:
        """Register ``module`` (or None) as the child ``name``."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"add_module({name!r}) expects a Module, got {type(module).__name__}")
        self._forget(name, keep=self._modules)
        self._modules[name] = module
        object.__setattr__(self, name, module)

    register_module = add_module

    def get_submodule(self, target: str) -> Module:
        """The sub-module at dotted path ``target`` (``"block.fc"``; ``""`` is self)."""
        module = self
        for part in target.split(".") if target else ():
            child = module._modules.get(part)
            if child is None:
                raise AttributeError(
                    f"{type(module).__name__} has no submodule {part!r} ({target})"
                )
            module = child
        return module

    def get_parameter(self, target: str) -> Parameter:
        """The Parameter at dotted path ``target`` (``"block.fc.weight"``)."""
        return self._member(target, "_parameters", "a Parameter")

    def get_buffer(self, target: str) -> Tensor:
        """The buffer at dotted path ``target`` (``"bn.running_mean"``)."""
        return self._member(target, "_buffers", "a buffer")

    def _member(self, target: str, registry: str, kind: str) -> Any:
        path, _, name = target.rpartition(".")
        module = self.get_submodule(path)
        value = getattr(module, registry).get(name)
        if value is None:
            what = f"is not {kind}" if hasattr(module, name) else "does not exist"
            raise AttributeError(f"{target!r}: {type(module).__name__}.{name} {what}")
        return value

    # --- traversal ----------------------------------------------------------------------------
    def named_modules(
        self, memo: set | None = None, prefix: str = "", remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Module]]:
        """(dotted name, module) for self and every descendant; a module reached twice appears
        once unless ``remove_duplicate=False``."""
        if remove_duplicate:
            memo = set() if memo is None else memo
            if id(self) in memo:
                return
            memo.add(id(self))
        yield prefix, self
        for name, child in self._modules.items():
            if child is not None:
                child_prefix = f"{prefix}.{name}" if prefix else name
                yield from child.named_modules(memo, child_prefix, remove_duplicate)

    def modules(self) -> Iterator[Module]:
        """Self and every descendant module, each once."""
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """(name, module) for each direct child, each once."""
        seen = set()
        for name, child in self._modules.items():
            if child is not None and id(child) not in seen:
                seen.add(id(child))
                yield name, child

    def children(self) -> Iterator[Module]:
        """The direct child modules, each once."""
        for _, child in self.named_children():
            yield child

    def _named_members(self, registry: str, prefix: str, recurse: bool, dedup: bool) -> Iterator:
        seen: set[int] = set()
        modules = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        for module_prefix, module in modules:
            for name, value in getattr(module, registry).items():
                if value is None or (dedup and id(value) in seen):
                    continue
                seen.add(id(value))
                yield (f"{module_prefix}.{name}" if module_prefix else name), value

    def named_parameters(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Parameter]]:
        """(dotted name, Parameter) pairs; a parameter shared by two layers appears once."""
        return self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """The parameters of self and (with ``recurse``) every descendant, each once."""
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Tensor]]:
        """(dotted name, buffer) pairs; a buffer shared by two modules appears once."""
        return self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """The buffers of self and (with ``recurse``) every descendant, each once."""
        for _, buf in self.named_buffers(recurse=recurse):
            yield buf

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call ``fn`` on every sub-module (children first) and on self."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    # --- modes and gradients ------------------------------------------------------------------
    def train(self, mode: bool = True) -> Module:
        """Set training mode (``mode=True``) or evaluation mode on self and every descendant."""
        if not isinstance(mode, bool):
            raise ValueError(f"train(mode) expects a bool, got {mode!r}")
        for module in self.modules():
            module.__dict__["training"] = mode
        return self

    def eval(self) -> Module:
        """Set evaluation mode (``train(False)``): dropout off, batch norm on running stats."""
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Turn gradient recording of every parameter on or off (freezing); returns self."""
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget accumulated gradients (free them, or fill them with zeros)."""
        zero_grads(self.parameters(), set_to_none)

    # --- devices and dtypes -------------------------------------------------------------------
    def to(self, *args: Any, device: Any = None, dtype: Any = None) -> Module:
        """Move parameters and buffers in place: ``.to("cuda")``, ``.to(mt.float64)``, or both.

        Parameters keep their identity, so an optimizer built before the move still holds them.
        """
        for arg in args:
            if isinstance(arg, (str, device_type)):
                device = arg
            elif isinstance(arg, Tensor):
                device, dtype = arg.device, arg.dtype
            else:
                dtype = arg
        target = None if device is None else backend_for(as_device(device))
        dtype = None if dtype is None else dtypes.as_dtype(dtype)
        if dtype is not None and not dtypes.is_floating(dtype):
            raise TypeError(f"Module.to only accepts floating dtypes, got {dtype}")

        def convert(t: Tensor) -> None:
            backend = target or get_backend(t.array)
            want = dtype if dtype is not None and dtypes.is_floating(t.dtype) else None
            t.array = move(t.array, backend, want)
            if t._grad is not None:
                t._grad.array = move(t._grad.array, backend, want)

        for module in self.modules():
            for param in module._parameters.values():
                if param is not None:
                    convert(param)
            for buf in module._buffers.values():
                if buf is not None:
                    convert(buf)
        return self

    def cpu(self) -> Module:
        """Move parameters and buffers to the CPU in place (``to("cpu")``)."""
        return self.to("cpu")

    def cuda(self, device: Any = None) -> Module:
        """Move parameters and buffers to a GPU in place (``cuda:0`` unless ``device`` says)."""
        return self.to(as_device("cuda" if device is None else device))

    def float(self) -> Module:
        """Floating parameters and buffers converted to float32 in place."""
        return self.to(dtypes.float32)

    def double(self) -> Module:
        """Floating parameters and buffers converted to float64 in place."""
        return self.to(dtypes.float64)

    def half(self) -> Module:
        """Floating parameters and buffers converted to float16 in place."""
        return self.to(dtypes.float16)

    def bfloat16(self) -> Module:
        """Not available: the array libraries (NumPy, CuPy) have no bfloat16 dtype."""
        raise TypeError(
            f"{type(self).__name__}.bfloat16(): minitorch has no bfloat16 dtype (NumPy and CuPy "
            "have none); use .half() for float16 or keep float32"
        )

    # --- state dicts --------------------------------------------------------------------------
    def state_dict(
        self, destination: Any = None, prefix: str = "", keep_vars: bool = False
    ) -> dict:
        """Parameters and persistent buffers by dotted name (tensors sharing the module's data)."""
        return state_dict_of(self, destination, prefix, keep_vars)

    def load_state_dict(self, state_dict: Any, strict: bool = True) -> IncompatibleKeys:
        """Copy values into this module's parameters and buffers, in their dtype and device.

        Raises ``RuntimeError`` listing every missing/unexpected key (when ``strict``) and every
        shape mismatch (always), without changing anything.
        """
        return load_state_dict_into(self, state_dict, strict)

    # --- printing -----------------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The constructor arguments shown in ``repr``; layers override it."""
        return ""

    def __repr__(self) -> str:
        """PyTorch's layout: ``Name(extra)`` on one line for a leaf with a one-line
        ``extra_repr``; otherwise one indented line per ``extra_repr`` line, then per child."""
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = []
        for name, child in self._modules.items():
            child_repr = repr(child).replace("\n", "\n  ")
            child_lines.append(f"({name}): {child_repr}")
        if len(extra_lines) == 1 and not child_lines:
            return f"{type(self).__name__}({extra})"
        lines = extra_lines + child_lines
        if not lines:
            return f"{type(self).__name__}()"
        return f"{type(self).__name__}(\n  " + "\n  ".join(lines) + "\n)"

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()))


device_type = device
