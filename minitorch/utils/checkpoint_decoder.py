"""The second half of ``mt.load``: the manifest's tree, checked node by node, into objects.

``checkpoint_reader.CheckpointArchive`` has checked the archive, parsed the manifest and reads
the arrays; this walks ``root``. Each node must be one ``mt.save`` writes, well typed, its
containers nested at most ``MAX_DEPTH`` deep, and each array referenced exactly once; anything
else raises CheckpointError naming the node, as ``root['model'][3] = {...}``.
"""

from __future__ import annotations

import re
import reprlib
from collections import OrderedDict
from typing import Any

import numpy as np  # host arrays as the archive returns them

from minitorch.autograd import Tensor
from minitorch.backend import as_device, backend_for
from minitorch.utils.checkpoint_reader import (
    MANIFEST,
    MAX_DEPTH,
    CheckpointArchive,
    CheckpointError,
)

__all__ = ["decode"]

_DEVICE = re.compile(r"cpu|cuda(:[0-9]{1,4})?")
_SHORT = reprlib.Repr()  # bounded repr of a manifest node for messages: never recurses far
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother = 3, 40, 40


def decode(archive: CheckpointArchive, map_location: Any) -> Any:
    """The object the archive's manifest describes, its arrays placed per ``map_location``."""
    decoder = _Decoder(archive, map_location)
    obj = decoder.node(archive.root, 0)
    for index in sorted(set(range(archive.count)) - decoder.used):
        raise archive.error("is never referenced by the manifest", f"{index}.npy")
    return obj


class _Decoder:
    def __init__(self, archive: CheckpointArchive, map_location: Any) -> None:
        self.archive, self.map_location = archive, map_location
        self.path: list[Any] = []  # where in the tree the walk is, for messages
        self.used: set[int] = set()

    def bad(self, node: Any, why: str) -> CheckpointError:
        where = "root" + "".join(f"[{_SHORT.repr(p)}]" for p in self.path)
        return self.archive.error(f"node {where} = {_SHORT.repr(node)}: {why}", MANIFEST)

    def kind(self, node: Any) -> str:
        if not isinstance(node, dict) or not isinstance(node.get("t"), str):
            raise self.bad(node, 'expected an object with a string "t"')
        return node["t"]

    def items(self, node: dict, depth: int) -> list:
        items = node.get("items")
        if not isinstance(items, list):
            raise self.bad(node, 'expected a list "items"')
        if depth >= MAX_DEPTH:
            raise self.bad(node, f"containers nest more than {MAX_DEPTH} deep")
        return items

    def node(self, node: Any, depth: int) -> Any:
        kind = self.kind(node)
        if kind in ("value", "int", "float"):
            return self.scalar(node, kind)
        if kind in ("tensor", "array", "scalar"):
            return self.stored(node, kind)
        if kind in ("dict", "odict"):
            pairs = []
            for i, pair in enumerate(self.items(node, depth)):
                if not isinstance(pair, list) or len(pair) != 2:
                    raise self.bad(pair, "expected a [key, value] pair")
                key = self.key(pair[0], depth + 1)
                self.path.append(key if isinstance(key, (str, int)) else i)
                pairs.append((key, self.node(pair[1], depth + 1)))
                self.path.pop()
            return OrderedDict(pairs) if kind == "odict" else dict(pairs)
        if kind in ("list", "tuple"):
            out = []
            for i, item in enumerate(self.items(node, depth)):
                self.path.append(i)
                out.append(self.node(item, depth + 1))
                self.path.pop()
            return out if kind == "list" else tuple(out)
        raise self.bad(node, f"unknown node type {kind!r}")

    def key(self, node: Any, depth: int) -> Any:
        kind = self.kind(node)
        if kind == "tuple":
            return tuple(self.key(k, depth + 1) for k in self.items(node, depth))
        if kind not in ("value", "int", "float"):
            raise self.bad(node, "a dict key must be a string, number, bool, None or tuple")
        return self.scalar(node, kind)

    def scalar(self, node: dict, kind: str) -> Any:
        v = node.get("v", ...)
        if kind == "value" and (v is None or isinstance(v, (bool, str))):
            return v
        if kind == "int" and type(v) is int:
            return v
        if kind == "float" and isinstance(v, str) and len(v) <= 64:
            try:
                return float(v)
            except ValueError:
                pass
        raise self.bad(node, f'"v" is not a valid {kind}')

    def stored(self, node: dict, kind: str) -> Any:
        index = node.get("a")
        if type(index) is not int or not 0 <= index < self.archive.count:
            raise self.bad(node, f'"a" names no array member (there are {self.archive.count})')
        if index in self.used:
            raise self.bad(node, f"refers to {index}.npy a second time")
        self.used.add(index)
        device = node.get("device", "cpu" if kind != "tensor" else None)
        if not isinstance(device, str) or not _DEVICE.fullmatch(device):
            raise self.bad(node, '"device" is not "cpu", "cuda" or "cuda:N"')
        requires_grad = node.get("requires_grad", False)
        if not isinstance(requires_grad, bool):
            raise self.bad(node, '"requires_grad" is not a bool')
        array = self.archive.array(index)
        if kind == "scalar":
            if array.ndim != 0:
                raise self.bad(node, f"a scalar's array has shape {array.shape}")
            return array[()]
        if requires_grad and array.dtype.kind != "f":
            raise self.bad(node, f"requires_grad on a {array.dtype} tensor")
        if kind == "array":  # NumPy arrays stay NumPy; CuPy ones are placed
            return array if "device" not in node else self.place(array, device)
        t = Tensor(self.place(array, device))
        return t.requires_grad_(True) if requires_grad else t

    def place(self, array: np.ndarray, saved_device: str) -> Any:
        target = self.map_location
        if isinstance(target, dict):
            target = target.get(saved_device, saved_device)
        elif callable(target):
            return target(array, saved_device)
        target = saved_device if target is None else target
        try:
            backend = backend_for(as_device(target))
        except RuntimeError as err:
            raise RuntimeError(
                f"mt.load: a tensor was saved on {saved_device} but {target} is unavailable "
                f"({err}); pass map_location='cpu' to load it on the CPU"
            ) from err
        return backend.from_host(array)
