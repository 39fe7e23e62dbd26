"""``default_collate`` (samples -> one batch) and ``default_convert`` (arrays -> Tensors).

As ``torch.utils.data``: Tensors and arrays are stacked along a new first dimension, Python
numbers become tensors, strings stay lists, and tuples, lists, named tuples and dicts are
collated field by field. Samples that can't go together raise ``CollateError`` naming the two
batch positions and what differs (``DataLoader`` turns the positions into dataset indices).
"""

from __future__ import annotations

import collections.abc
import copy
from typing import Any, Callable

from minitorch.autograd import Tensor
from minitorch.backend import as_array, dtypes, get_backend, numpy_backend

__all__ = [
    "CollateError",
    "CollateKeyError",
    "CollateTypeError",
    "default_collate",
    "default_convert",
    "map_structure",
]

ERROR_FORMAT = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"
)


class CollateError(ValueError, RuntimeError):
    """Samples of one batch that can't be collated together.

    ``problem`` says what is wrong, ``positions`` are the two samples compared (batch positions,
    or dataset indices once ``DataLoader`` has mapped them) and ``details`` what each has. A
    ``RuntimeError`` too, as PyTorch raises one for these cases.
    """

    def __init__(
        self,
        message: str,
        problem: str = "",
        positions: tuple[int, int] = (0, 0),
        details: tuple[str, str] = ("", ""),
    ) -> None:
        super().__init__(message)
        self.problem, self.positions, self.details = problem, positions, details

    @classmethod
    def between(
        cls,
        problem: str,
        positions: tuple[int, int],
        details: tuple[str, str],
        who: str = "default_collate",
        label: str = "batch position",
        hint: str = "",
    ) -> CollateError:
        """``"{who}: {problem}: {label} a has da but {label} b has db{hint}"``."""
        (a, b), (da, db) = positions, details
        message = f"{who}: {problem}: {label} {a} has {da} but {label} {b} has {db}{hint}"
        return cls(message, problem, positions, details)


class CollateTypeError(CollateError, TypeError):
    """Samples of one batch that are of different types (a ``TypeError``, as in PyTorch)."""


class CollateKeyError(CollateError, KeyError):
    """A dict sample lacks a key the first sample has (a ``KeyError``, as in PyTorch)."""

    def __str__(self) -> str:
        return str(self.args[0])  # KeyError would show repr(message)


def _kind(x: Any) -> str:
    """ "a Tensor", "an array", "an int", ...: what a sample is, for error messages."""
    if isinstance(x, Tensor):
        return "a Tensor"
    if _is_array(x):
        return "an array"
    name = type(x).__name__
    return f"an {name}" if name[0].lower() in "aeiou" else f"a {name}"


def _check_kinds(batch: list, kind: type | tuple) -> None:
    """Every sample is an instance of ``kind`` (the first sample's kind); else name the odd one."""
    for i, sample in enumerate(batch):
        if not isinstance(sample, kind):
            raise CollateTypeError.between(
                "samples of a batch must all be of one type",
                (0, i),
                (_kind(batch[0]), _kind(sample)),
            )


def _stack(arrays: list) -> Any:
    first = arrays[0].shape
    for i, a in enumerate(arrays):
        if a.shape != first:
            raise CollateError.between(
                "samples have inconsistent shapes and can't be stacked into a batch",
                (0, i),
                (f"shape {tuple(first)}", f"{tuple(a.shape)}"),
            )
    backend = get_backend(arrays[0])
    return backend.xp.stack([backend.asarray(a) for a in arrays])


def _is_array(x: Any) -> bool:
    return hasattr(x, "__array_interface__") or hasattr(x, "__cuda_array_interface__")


def default_collate(batch: list) -> Any:
    """Stack a list of samples into one batch, recursively, as PyTorch's ``default_collate``.

    Tensors and arrays (B samples of shape S) -> a Tensor (B, *S); NumPy scalars -> a (B,)
    Tensor of their dtype; Python ints, floats, bools -> int64, float64, bool (B,) Tensors;
    strings and bytes -> the list; dicts -> a dict of collated values; named tuples -> the
    named tuple of collated fields; tuples and lists -> a list of collated fields (PyTorch turns
    tuples into lists too).
    """
    if not isinstance(batch, collections.abc.Sequence) or len(batch) == 0:
        raise ValueError(f"default_collate expects a non-empty list of samples, got {batch!r}")
    first = batch[0]
    if isinstance(first, Tensor):
        _check_kinds(batch, Tensor)
        return Tensor(_stack([s.array for s in batch]))
    if _is_array(first):
        if first.dtype.kind in "OUSV":
            raise TypeError(ERROR_FORMAT.format(first.dtype))
        for i, s in enumerate(batch):
            if not _is_array(s):
                raise CollateTypeError.between(
                    "samples of a batch must all be of one type", (0, i), ("an array", _kind(s))
                )
        return Tensor(_stack(list(batch)))
    if isinstance(first, (bool, int, float)):
        kind = bool if isinstance(first, bool) else (int if isinstance(first, int) else float)
        _check_kinds(batch, (int, float) if kind is float else kind)
        dtype = {bool: dtypes.bool, int: dtypes.int64, float: dtypes.float64}[kind]
        return Tensor(numpy_backend().asarray(batch, dtype=dtype))
    if isinstance(first, (str, bytes)):
        return list(batch)
    if isinstance(first, collections.abc.Mapping):
        return _collate_mapping(batch)
    if isinstance(first, tuple) and hasattr(first, "_fields"):  # named tuple
        _check_lengths(batch)
        return type(first)(*(default_collate(list(f)) for f in zip(*batch)))
    if isinstance(first, collections.abc.Sequence):
        _check_lengths(batch)
        fields = [default_collate(list(f)) for f in zip(*batch)]
        if isinstance(first, tuple) or not isinstance(first, collections.abc.MutableSequence):
            return fields
        try:  # keep a list subclass's type and attributes, as PyTorch does
            out = copy.copy(first)
            out[:] = fields
            return out
        except TypeError:
            return fields
    raise TypeError(ERROR_FORMAT.format(type(first)))


def _check_lengths(batch: list) -> None:
    n = len(batch[0])
    for i, sample in enumerate(batch):
        if not isinstance(sample, collections.abc.Sequence) or isinstance(sample, (str, bytes)):
            raise CollateTypeError.between(
                "samples of a batch must all be of one type",
                (0, i),
                (_kind(batch[0]), _kind(sample)),
            )
        if len(sample) != n:
            raise CollateError.between(
                "each element in list of batch should be of equal size",
                (0, i),
                (f"{n} fields", f"{len(sample)}"),
            )


def _collate_mapping(batch: list) -> Any:
    first = batch[0]
    for i, sample in enumerate(batch):
        if not isinstance(sample, collections.abc.Mapping):
            raise CollateTypeError.between(
                "samples of a batch must all be of one type", (0, i), ("a dict", _kind(sample))
            )
        missing = [k for k in first if k not in sample]
        if missing:
            raise CollateKeyError.between(
                "dict samples must have the same keys",
                (0, i),
                (f"keys {list(first)}", f"{list(sample)} (missing {missing})"),
            )
    out = {key: default_collate([s[key] for s in batch]) for key in first}
    return out if type(first) is dict else _same_type(first, out)


def default_convert(data: Any) -> Any:
    """Each NumPy array (and NumPy scalar) inside ``data`` as a Tensor; everything else as is.

    What ``DataLoader(batch_size=None)`` applies to each sample, as in PyTorch.
    """
    if isinstance(data, Tensor):
        return data
    if _is_array(data):  # NumPy scalars too: they have __array_interface__
        return data if data.dtype.kind in "OUSV" else Tensor(as_array(data))
    if isinstance(data, collections.abc.Mapping):
        out = {key: default_convert(value) for key, value in data.items()}
        return out if type(data) is dict else _same_type(data, out)
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]  # as PyTorch: a tuple becomes a list
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return [default_convert(d) for d in data]
    return data


def _same_type(mapping: Any, values: dict) -> Any:
    """``values`` in a copy of ``mapping``'s type (a Mapping subclass keeps it, as in PyTorch)."""
    try:
        clone = copy.copy(mapping)
        clone.update(values)
        return clone
    except (TypeError, AttributeError):
        return values


def map_structure(fn: Callable[[Any], Any], batch: Any, leaf: type = Tensor) -> Any:
    """``batch`` with ``fn`` applied to each ``leaf`` inside its dicts, named tuples, tuples and
    lists (other values as they are); the containers keep their types."""
    if isinstance(batch, leaf):
        return fn(batch)
    if isinstance(batch, dict):
        return {k: map_structure(fn, v, leaf) for k, v in batch.items()}
    if isinstance(batch, tuple) and hasattr(batch, "_fields"):
        return type(batch)(*(map_structure(fn, v, leaf) for v in batch))
    if isinstance(batch, (list, tuple)):
        return type(batch)(map_structure(fn, v, leaf) for v in batch)
    return batch
