"""``mt.save`` / ``mt.load``: checkpoints as arrays plus a JSON description, never pickle.

The file is a zip archive (the ``.npz`` layout) of *stored* (uncompressed) members:
``manifest.json`` (the nested structure: dicts, lists, tuples, numbers, strings, ``None``, with
each array replaced by a reference) and one ``.npy`` member per array, ``0.npy``, ``1.npy``, ...,
little-endian whatever the machine. Each member carries a CRC-32, so a corrupted or truncated
file is detected.

Loading never runs code from the file, and treats it as untrusted input
(``checkpoint_reader.py`` checks the archive and the arrays, ``checkpoint_decoder.py`` the
tree): anything ``save`` would not have written is refused with ``CheckpointError`` (a
ValueError) naming the file and the member. The limits, which ``save`` keeps to as well:
members stored, not compressed (so no zip bombs); a manifest of at most 16 MiB
(``MAX_MANIFEST_BYTES``) with containers nested at most 100 deep (``MAX_DEPTH``); arrays of
bool, int8-64, uint8-64, float16/32/64 or complex64/128 only (``DTYPES``: no strings, objects,
records or datetimes), each declaring exactly the bytes its member holds, which is checked
before anything is allocated for it; every array referenced once. A file thus costs about its
own size in memory, plus its decoded manifest.

Saving to a path is atomic (``minitorch.utils.atomic``): the archive is written to a temporary
sibling ``.<name>.<host>.<pid>.<random>.minitorch-partial``, flushed and fsync'ed, then renamed
over the target, so a crash mid-save leaves the previous checkpoint as it was. A save killed
outright leaves that partial file behind; the next save to the same path removes it. As with
``open(path, "wb")``, an existing file keeps its permission bits, a new one follows the umask,
and a symlink is written through to its target.
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
from minitorch.backend import get_backend
from minitorch.utils.atomic import atomic_write
from minitorch.utils.checkpoint_decoder import decode
from minitorch.utils.checkpoint_reader import (
    DTYPES,
    FORMAT,
    MANIFEST,
    MAX_DEPTH,
    MAX_MANIFEST_BYTES,
    VERSION,
    CheckpointArchive,
    CheckpointError,
)

__all__ = ["CheckpointError", "load", "save"]


# --- encoding --------------------------------------------------------------------------------
class _Encoder:
    def __init__(self) -> None:
        self.arrays: list[np.ndarray] = []

    def array(self, x: Any, where: str) -> int:
        host = get_backend(x).to_host(x)
        little = host.dtype.newbyteorder("<")
        if little.str not in DTYPES or little.names is not None or little.subdtype is not None:
            raise TypeError(
                f"mt.save: {where}: arrays of dtype {host.dtype} can't be saved; checkpoints "
                "hold bool, int, uint, float and complex arrays"
            )
        if host.dtype != little:  # the file's byte order is little-endian, whatever the host's
            host = host.astype(little)
        self.arrays.append(host)
        return len(self.arrays) - 1

    def encode(self, obj: Any, where: str, depth: int = 0) -> Any:
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
        if isinstance(obj, (dict, list, tuple)) and depth >= MAX_DEPTH:
            raise ValueError(
                f"mt.save: {where} is nested more than {MAX_DEPTH} containers deep (a container "
                "that holds itself?); mt.load refuses deeper files"
            )
        if isinstance(obj, dict):
            items = [
                [self.key(k, where, depth + 1), self.encode(v, f"{where}[{k!r}]", depth + 1)]
                for k, v in obj.items()
            ]
            return {"t": "odict" if isinstance(obj, OrderedDict) else "dict", "items": items}
        if isinstance(obj, (list, tuple)) and not hasattr(obj, "_fields"):
            items = [self.encode(v, f"{where}[{i}]", depth + 1) for i, v in enumerate(obj)]
            return {"t": "list" if isinstance(obj, list) else "tuple", "items": items}
        raise TypeError(
            f"mt.save: {where} is a {type(obj).__name__}, which can't be saved without pickle; "
            "supported: Tensors, arrays, numbers, strings, bools, None, and dicts/lists/tuples of "
            "them (save a module's or optimizer's state_dict(), not the object)"
        )

    def key(self, k: Any, where: str, depth: int) -> Any:
        if isinstance(k, tuple):
            if depth >= MAX_DEPTH:
                raise ValueError(f"mt.save: {where} has a key nested more than {MAX_DEPTH} deep")
            return {"t": "tuple", "items": [self.key(x, where, depth + 1) for x in k]}
        if k is None or isinstance(k, (bool, int, float, str)):
            return self.encode(k, where)
        raise TypeError(f"mt.save: {where} has a key of type {type(k).__name__}; keys must be "
                        "strings, numbers, bools, None or tuples of them")  # fmt: skip


def save(obj: Any, f: str | os.PathLike | BinaryIO) -> None:
    """Write ``obj`` (nested dicts/lists/tuples of Tensors, arrays, numbers, strings) to ``f``.

    ``f`` is a path (written atomically, see the module docstring) or a binary file object
    opened for writing. Raises TypeError for what can't be saved without pickle, ValueError for
    what ``load`` would refuse (nesting over 100 deep, a manifest over 16 MiB).
    """
    encoder = _Encoder()
    root = encoder.encode(obj, "obj")
    manifest = json.dumps(
        {"format": FORMAT, "version": VERSION, "root": root}, separators=(",", ":")
    )
    if len(manifest) > MAX_MANIFEST_BYTES:
        raise ValueError(
            f"mt.save: the description of obj is {len(manifest)} bytes of JSON, over the "
            f"{MAX_MANIFEST_BYTES >> 20} MiB that mt.load accepts; store long lists of numbers "
            "as arrays or Tensors"
        )
    if hasattr(f, "write"):
        _write_archive(f, manifest, encoder.arrays)
        return
    path = Path(os.path.realpath(os.fspath(f)))  # through symlinks, as open(f, "wb") would
    directory = path.parent
    if not directory.is_dir():
        raise FileNotFoundError(
            f"mt.save: can't write {path}: the directory {directory} does not exist "
            "(create it first, e.g. os.makedirs(..., exist_ok=True))"
        )
    with atomic_write(path) as out:
        _write_archive(out, manifest, encoder.arrays)


def _write_archive(out: BinaryIO, manifest: str, arrays: list) -> None:
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        zf.writestr(MANIFEST, manifest)
        for i, array in enumerate(arrays):
            with zf.open(f"{i}.npy", "w", force_zip64=array.nbytes > 2**30) as entry:
                np.lib.format.write_array(entry, array, allow_pickle=False)


def load(
    f: str | os.PathLike | BinaryIO, map_location: Any = None, weights_only: bool = True
) -> Any:
    """Read what ``save`` wrote. Tensors go back to the device they were saved from, unless
    ``map_location`` says otherwise: a device (``"cpu"``, ``"cuda:1"``, ``mt.device``), a dict
    ``{saved device: new device}``, or a function ``(numpy array, saved device) -> array``.
    Saved Parameters come back as Tensors (load them with ``load_state_dict``).

    The file is treated as untrusted input and parsed within the limits the module docstring
    lists. A file that is truncated, corrupted, crafted or not a minitorch checkpoint raises
    ``CheckpointError`` (a ValueError, and a RuntimeError for code written against earlier
    versions), naming the file and the member at fault; a missing path raises
    FileNotFoundError as ``open`` would. ``weights_only`` is accepted for PyTorch compatibility:
    minitorch never unpickles, so ``weights_only=False`` behaves the same.
    """
    if hasattr(f, "read"):
        name = getattr(f, "name", None)
        with CheckpointArchive(f, repr(name) if name else f"<{type(f).__name__}>") as archive:
            return decode(archive, map_location)
    with open(os.fspath(f), "rb") as file:  # FileNotFoundError and the like as open() has them
        with CheckpointArchive(file, repr(os.fspath(f))) as archive:
            return decode(archive, map_location)
