"""Containers: ``Sequential``, ``ModuleList``, ``ModuleDict`` (and ``ParameterList``,
``ParameterDict`` from ``parameter_containers.py``)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Iterable, Iterator, Mapping

from minitorch.autograd import Tensor
from minitorch.nn.input_checks import refuse_lists
from minitorch.nn.module import Module
from minitorch.nn.parameter_containers import ParameterDict, ParameterList

__all__ = ["ModuleDict", "ModuleList", "ParameterDict", "ParameterList", "Sequential"]


def _never(before: Any, x: Any) -> bool:
    return False


class Sequential(Module):
    """Modules applied in order: ``Sequential(a, b, c)(x) == c(b(a(x)))`` (or an OrderedDict).

    One reordering that changes no value or gradient: a ``ReLU`` followed by a max-pool runs
    as the pool followed by the ReLU, on a quarter of the data, where nothing (a hook, an
    in-place write) could tell (``MaxPool2d.runs_first``).

    On raw arrays it can be driven explicitly too: ``y = seq.forward(x); dx = seq.backward(dy)``.
    """

    def __init__(self, *modules: Any) -> None:
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            for name, module in modules[0].items():
                self.add_module(name, module)
        else:
            for i, module in enumerate(modules):
                self.add_module(str(i), module)

    def forward(self, x: Any) -> Any:
        """Run the children in order, each on the one before's output (arrays: ``forward``)."""
        refuse_lists("Sequential", (x,))
        if not isinstance(x, Tensor):  # the explicit array API: every child's forward, as taught
            for module in self._modules.values():
                x = module.forward(x)
            return x
        modules = list(self._modules.values())
        i = 0
        while i < len(modules):
            module, after = modules[i], modules[i + 1] if i + 1 < len(modules) else None
            if after is not None and getattr(after, "runs_first", _never)(module, x):
                x = module(after(x))  # ReLU then max-pool as pool then ReLU: see runs_first
                i += 2
            else:
                x = module(x)
                i += 1
        return x

    def backward(self, dy: Any) -> Any:
        """Explicit backprop through every child in reverse (each must be a Layer)."""
        for name, module in reversed(self._modules.items()):
            if not hasattr(module, "saved"):
                raise TypeError(
                    f"Sequential.backward: child {name!r} ({type(module).__name__}) is not a Layer"
                )
            dy = module.backward(dy)
        return dy

    def __getitem__(self, index: int | slice) -> Any:
        items = list(self._modules.items())
        if isinstance(index, slice):
            return Sequential(OrderedDict(items[index]))
        return items[_check_index(index, len(items), "Sequential")][1]

    def __setitem__(self, index: int, module: Module) -> None:
        name = list(self._modules)[_check_index(index, len(self._modules), "Sequential")]
        setattr(self, name, module)

    def __delitem__(self, index: int) -> None:
        name = list(self._modules)[_check_index(index, len(self._modules), "Sequential")]
        delattr(self, name)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def append(self, module: Module) -> Sequential:
        """Add ``module`` at the end; returns self."""
        self.add_module(str(len(self)), module)
        return self


class ModuleList(Module):
    """A list of modules, registered so their parameters are found (e.g. a stack of layers)."""

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def __getitem__(self, index: int | slice) -> Any:
        values = list(self._modules.values())
        if isinstance(index, slice):
            return ModuleList(values[index])
        return values[_check_index(index, len(values), "ModuleList")]

    def __setitem__(self, index: int, module: Module) -> None:
        setattr(self, str(_check_index(index, len(self), "ModuleList")), module)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def append(self, module: Module) -> ModuleList:
        """Add ``module`` at the end; returns self."""
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        """Add each of ``modules`` at the end; returns self."""
        for module in modules:
            self.append(module)
        return self

    def insert(self, index: int, module: Module) -> None:
        """Insert ``module`` before position ``index`` (the later ones renumbered)."""
        values = list(self._modules.values())
        values.insert(index, module)
        for name in list(self._modules):
            delattr(self, name)
        self.extend(values)


class ModuleDict(Module):
    """A dict of modules by name, registered so their parameters are found."""

    def __init__(self, modules: Mapping[str, Module] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key: str) -> Module:
        return self._modules[key]

    def __setitem__(self, key: str, module: Module) -> None:
        self.add_module(key, module)

    def __delitem__(self, key: str) -> None:
        delattr(self, key)

    def __contains__(self, key: str) -> bool:
        return key in self._modules

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def keys(self) -> Iterable[str]:
        """The names, in insertion order."""
        return self._modules.keys()

    def values(self) -> Iterable[Module]:
        """The modules, in insertion order."""
        return self._modules.values()

    def items(self) -> Iterable[tuple[str, Module]]:
        """(name, module) pairs, in insertion order."""
        return self._modules.items()

    def update(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]]) -> None:
        """Add (or replace) the modules of a mapping or of an iterable of (name, module) pairs."""
        pairs = modules.items() if isinstance(modules, Mapping) else modules
        for key, module in pairs:
            self.add_module(key, module)

    def pop(self, key: str) -> Module:
        """Remove the module ``key`` and return it."""
        module = self._modules[key]
        delattr(self, key)
        return module


def _check_index(index: int, length: int, owner: str) -> int:
    if not -length <= index < length:
        raise IndexError(f"{owner} index {index} is out of range for length {length}")
    return index % length
