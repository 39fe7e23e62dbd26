"""``mt.save`` / ``mt.load``: checkpoints as arrays plus a JSON description, never pickle.

The file is a zip archive (the ``.npz`` layout) holding ``manifest.json`` (the nested structure:
dicts, lists, tuples, numbers, strings, ``None``, with each array replaced by a reference) and one
``.npy`` entry per array. Loading parses JSON and reads arrays with ``allow_pickle=False``, so it
never runs code from the file. Each zip entry carries a CRC-32, so a corrupted or truncated file
is detected and reported with its name.

Saving to a path is atomic: the archive is written to a temporary file in the same directory,
flushed and fsync'ed, then renamed over the target, so a crash mid-save leaves the previous
checkpoint as it was.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections import OrderedDict
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np  # the .npy format (host I/O only)

from minitorch.autograd import Tensor
from minitorch.backend import as_device, backend_for, get_backend
from minitorch.utils.atomic import atomic_write

__all__ = ["load", "save"]

FORMAT = "minitorch.checkpoint"
VERSION = 1
_MANIFEST = "manifest.json"


# --- encoding --------------------------------------------------------------------------------
class _Encoder:
    def __init__(self) -> None:
        self.arrays: list[np.ndarray] = []

    def array(self, x: Any, where: str) -> int:
        host = get_backend(x).to_host(x)
        if host.dtype.kind in "OV" or host.dtype.hasobject:
            raise TypeError(f"mt.save: {where}: arrays of dtype {host.dtype} can't be saved")
        self.arrays.append(host)
        return len(self.arrays) - 1

    def encode(self, obj: Any, where: str) -> Any:
        if obj is None or isinstance(obj, (bool, str)):
            return {"t": "value", "v": obj}
        if isinstance(obj, int):
            return {"t": "int", "v": obj}
        if isinstance(obj, float):
            return {"t": "float", "v": repr(obj)}  # repr round-trips exactly, inf and nan too
        if isinstance(obj, Tensor):
            node = {"t": "tensor", "a": self.array(obj.array, where), "device": str(obj.device)}
            if obj.requires_grad:
                node["requires_grad"] = True
            return node
        if isinstance(obj, np.generic):
            return {"t": "scalar", "a": self.array(np.asarray(obj), where)}
        if hasattr(obj, "__array_interface__") or hasattr(obj, "__cuda_array_interface__"):
            node = {"t": "array", "a": self.array(obj, where)}
            if get_backend(obj).device.type != "cpu":
                node["device"] = str(get_backend(obj).device)
            return node
        if isinstance(obj, dict):
            items = [
                [self.key(k, where), self.encode(v, f"{where}[{k!r}]")] for k, v in obj.items()
            ]
            return {"t": "odict" if isinstance(obj, OrderedDict) else "dict", "items": items}
        if isinstance(obj, (list, tuple)) and not hasattr(obj, "_fields"):
            items = [self.encode(v, f"{where}[{i}]") for i, v in enumerate(obj)]
            return {"t": "list" if isinstance(obj, list) else "tuple", "items": items}
        raise TypeError(
            f"mt.save: {where} is a {type(obj).__name__}, which can't be saved without pickle; "
            "supported: Tensors, arrays, numbers, strings, bools, None, and dicts/lists/tuples of "
            "them (save a module's or optimizer's state_dict(), not the object)"
        )

    def key(self, k: Any, where: str) -> Any:
        if isinstance(k, tuple):
            return {"t": "tuple", "items": [self.key(x, where) for x in k]}
        if k is None or isinstance(k, (bool, int, float, str)):
            return self.encode(k, where)
        raise TypeError(f"mt.save: {where} has a key of type {type(k).__name__}; keys must be "
                        "strings, numbers, bools, None or tuples of them")  # fmt: skip


def save(obj: Any, f: str | os.PathLike | BinaryIO) -> None:
    """Write ``obj`` (nested dicts/lists/tuples of Tensors, arrays, numbers, strings) to ``f``.

    ``f`` is a path (written atomically) or a binary file object opened for writing.
    """
    encoder = _Encoder()
    manifest = {"format": FORMAT, "version": VERSION, "root": encoder.encode(obj, "obj")}
    if hasattr(f, "write"):
        _write_archive(f, manifest, encoder.arrays)
        return
    path = Path(os.fspath(f))
    directory = path.parent
    if not directory.is_dir():
        raise FileNotFoundError(
            f"mt.save: can't write {path}: the directory {directory} does not exist "
            "(create it first, e.g. os.makedirs(..., exist_ok=True))"
        )
    with atomic_write(path) as out:
        _write_archive(out, manifest, encoder.arrays)


def _write_archive(out: BinaryIO, manifest: dict, arrays: list) -> None:
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        zf.writestr(_MANIFEST, json.dumps(manifest, separators=(",", ":")))
        for i, array in enumerate(arrays):
            with zf.open(f"{i}.npy", "w", force_zip64=array.nbytes > 2**30) as entry:
                np.lib.format.write_array(entry, array, allow_pickle=False)


# --- decoding --------------------------------------------------------------------------------
class _Decoder:
    def __init__(self, zf: zipfile.ZipFile, map_location: Any) -> None:
        self.zf, self.map_location = zf, map_location

    def array(self, index: int) -> np.ndarray:
        with self.zf.open(f"{index}.npy") as entry:
            return np.lib.format.read_array(entry, allow_pickle=False)

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

    def decode(self, node: dict) -> Any:
        kind = node["t"]
        if kind == "value":
            return node["v"]
        if kind == "int":
            return int(node["v"])
        if kind == "float":
            return float(node["v"])
        if kind == "tensor":
            t = Tensor(self.place(self.array(node["a"]), node["device"]))
            if node.get("requires_grad"):
                t.requires_grad_(True)
            return t
        if kind == "array":
            array = self.array(node["a"])  # NumPy arrays stay NumPy; CuPy ones are placed
            return array if "device" not in node else self.place(array, node["device"])
        if kind == "scalar":
            return self.array(node["a"])[()]
        if kind in ("dict", "odict"):
            pairs = ((self.decode(k), self.decode(v)) for k, v in node["items"])
            return OrderedDict(pairs) if kind == "odict" else dict(pairs)
        if kind in ("list", "tuple"):
            items = [self.decode(v) for v in node["items"]]
            return items if kind == "list" else tuple(items)
        raise ValueError(f"unknown node type {kind!r}")


def load(f: str | os.PathLike | BinaryIO, map_location: Any = None) -> Any:
    """Read what ``save`` wrote. Tensors go back to the device they were saved from, unless
    ``map_location`` says otherwise: a device (``"cpu"``, ``"cuda:1"``, ``mt.device``), a dict
    ``{saved device: new device}``, or a function ``(numpy array, saved device) -> array``.
    Saved Parameters come back as Tensors (load them with ``load_state_dict``).
    """
    name = getattr(f, "name", "<file object>") if hasattr(f, "read") else os.fspath(f)
    try:
        with zipfile.ZipFile(f, "r") as zf:
            try:
                manifest = json.loads(zf.read(_MANIFEST))
            except KeyError:
                raise ValueError(f"no {_MANIFEST} entry") from None
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise ValueError("not a minitorch checkpoint (unknown format marker)")
            if manifest.get("version", 0) > VERSION:
                raise ValueError(
                    f"written by a newer minitorch (format version {manifest['version']}, this "
                    f"one reads up to {VERSION})"
                )
            return _Decoder(zf, map_location).decode(manifest["root"])
    except FileNotFoundError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, KeyError, TypeError,
            EOFError, OSError, json.JSONDecodeError) as err:  # fmt: skip
        raise RuntimeError(
            f"mt.load: {name} is not a readable minitorch checkpoint (truncated, corrupted, or "
            f"another format): {err}"
        ) from err
