"""``ParameterList`` and ``ParameterDict``: Parameters held by position or by name, registered
on the container (keys ``0``, ``1``, ... or the names) so ``parameters()`` and ``state_dict()``
find them, as PyTorch's."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Iterable, Iterator, Mapping

from minitorch.autograd import Tensor
from minitorch.nn.module import Module
from minitorch.nn.parameter import Parameter


class ParameterList(Module):
    """A list of Parameters, registered as ``0``, ``1``, ... so ``parameters()`` and
    ``state_dict()`` find them (a plain Tensor is made a Parameter; a Module is a child)."""

    def __init__(self, values: Iterable[Any] | None = None) -> None:
        super().__init__()
        self._size = 0
        if values is not None:
            self.extend(values)

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return ParameterList([self[i] for i in range(len(self))[index]])
        return getattr(self, str(_index(index, len(self))))

    def __setitem__(self, index: int, value: Any) -> None:
        setattr(self, str(_index(index, len(self))), _as_parameter(value))

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[Any]:
        return iter([self[i] for i in range(len(self))])

    def __iadd__(self, values: Iterable[Any]) -> ParameterList:
        return self.extend(values)

    def append(self, value: Any) -> ParameterList:
        """Add ``value`` (a tensor becomes a Parameter) at the end; returns self."""
        self._size += 1
        self[self._size - 1] = value
        return self

    def extend(self, values: Iterable[Any]) -> ParameterList:
        """Append each of ``values``; returns self."""
        if isinstance(values, Tensor) or not isinstance(values, Iterable):
            raise TypeError(
                "ParameterList.extend expects an iterable of Parameters, got "
                f"{type(values).__name__}"
            )
        for value in values:
            self.append(value)
        return self

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("ParameterList should not be called")

    def extra_repr(self) -> str:
        return _describe(enumerate(self))


class ParameterDict(Module):
    """A dict of Parameters by string key, registered under their keys (as PyTorch, a plain
    dict is added in sorted key order; an OrderedDict, ParameterDict or pair list in order)."""

    def __init__(self, parameters: Any = None) -> None:
        super().__init__()
        self._keys: dict[str, None] = {}
        if parameters is not None:
            self.update(parameters)

    def __getitem__(self, key: str) -> Any:
        if key not in self._keys:
            raise KeyError(key)
        return getattr(self, key)

    def __setitem__(self, key: str, value: Any) -> None:
        if not isinstance(key, str):
            raise TypeError(f"ParameterDict keys must be strings, got {type(key).__name__}")
        taken = hasattr(type(self), key) or (key in self.__dict__ and key not in self._keys)
        if not key or "." in key or taken:
            raise KeyError(
                f"ParameterDict: key {key!r} must be non-empty, contain no '.' and not be the "
                "name of a ParameterDict method or attribute"
            )
        self._keys[key] = None
        setattr(self, key, _as_parameter(value))

    def __delitem__(self, key: str) -> None:
        del self._keys[key]
        delattr(self, key)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._keys))

    def __reversed__(self) -> Iterator[str]:
        return reversed(list(self._keys))

    def keys(self) -> Iterable[str]:
        """The keys, in insertion order."""
        return list(self._keys)

    def values(self) -> Iterable[Any]:
        """The values, in insertion order."""
        return [self[k] for k in self._keys]

    def items(self) -> Iterable[tuple[str, Any]]:
        """(key, value) pairs, in insertion order."""
        return [(k, self[k]) for k in self._keys]

    def get(self, key: str, default: Any = None) -> Any:
        """The value of ``key``, or ``default`` when there is none."""
        return self[key] if key in self._keys else default

    def pop(self, key: str) -> Any:
        """Remove ``key`` and return its value."""
        value = self[key]
        del self[key]
        return value

    def popitem(self) -> tuple[str, Any]:
        """Remove the last-inserted (key, value) pair and return it."""
        key = next(reversed(self._keys))
        return key, self.pop(key)

    def setdefault(self, key: str, default: Any = None) -> Any:
        """The value of ``key``, first set to ``default`` when missing."""
        if key not in self._keys:
            self[key] = default
        return self[key]

    def clear(self) -> None:
        """Remove every entry."""
        for key in list(self._keys):
            del self[key]

    def copy(self) -> ParameterDict:
        """A new ParameterDict holding the same values (not copies of them)."""
        return ParameterDict(OrderedDict(self.items()))

    def fromkeys(self, keys: Iterable[str], default: Any = None) -> ParameterDict:
        """A new ParameterDict mapping each of ``keys`` to ``default``."""
        return ParameterDict((k, default) for k in keys)

    def update(self, parameters: Any) -> None:
        """Set the pairs of a mapping or an iterable of (key, value) pairs.

        A plain dict is added in sorted key order (as PyTorch); an ``OrderedDict`` or a
        ParameterDict in its own order.
        """
        if isinstance(parameters, (OrderedDict, ParameterDict)):
            pairs = list(parameters.items())
        elif isinstance(parameters, Mapping):
            pairs = sorted(parameters.items())
        elif isinstance(parameters, Iterable):
            pairs = [tuple(p) for p in parameters]
            if any(len(p) != 2 for p in pairs):
                raise ValueError("ParameterDict.update: each element must be a (key, value) pair")
        else:
            raise TypeError(
                "ParameterDict.update expects a mapping or an iterable of (key, value) pairs, "
                f"got {type(parameters).__name__}"
            )
        for key, value in pairs:
            self[key] = value

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("ParameterDict should not be called")

    def extra_repr(self) -> str:
        return _describe(self.items())


def _as_parameter(value: Any) -> Any:
    """A plain Tensor becomes a Parameter (sharing its data), as in PyTorch's containers."""
    if isinstance(value, Tensor) and not isinstance(value, Parameter):
        return Parameter(value)
    return value


def _describe(entries: Iterable[tuple[Any, Any]]) -> str:
    """PyTorch's lines: ``(0): Parameter containing: [minitorch.float32 of size 2x3]``."""
    lines = []
    for key, value in entries:
        if isinstance(value, Tensor):
            size = "x".join(str(n) for n in value.shape)
            where = "" if value.device.type == "cpu" else f" ({value.device})"
            kind = "Parameter" if isinstance(value, Parameter) else "Tensor"
            lines.append(
                f"  ({key}): {kind} containing: [minitorch.{value.dtype} of size {size}{where}]"
            )
        else:
            lines.append(f"  ({key}): Object of type: {type(value).__name__}")
    return "\n".join(lines)


def _index(index: int, length: int) -> int:
    if not -length <= index < length:
        raise IndexError(f"ParameterList index {index} is out of range for length {length}")
    return index % length
