"""The validating reader behind ``mt.load``: a checkpoint file is untrusted input.

It accepts what ``mt.save`` writes and refuses the rest, with one error, ``CheckpointError``,
whose message names the file and the member. The limits, each something the writer never
exceeds (it checks the same constants when saving):

- members: ``manifest.json`` and ``0.npy`` .. ``{n-1}.npy``, each once and nothing else, each
  *stored* (the writer never compresses, so there is nothing to inflate and no zip bomb), not
  encrypted, lying inside the file and not overlapping;
- manifest: UTF-8 JSON of at most ``MAX_MANIFEST_BYTES`` (16 MiB), containers nested at most
  ``MAX_DEPTH`` (100) deep, every array member referenced exactly once, every node well-typed;
- arrays: ``.npy`` format 1.0 or 2.0 with a header of at most 10,000 bytes, one of ``DTYPES``
  (bool, int8-64, uint8-64, float16/32/64, complex64/128, little-endian); the declared shape
  times the itemsize must equal the bytes the member holds, checked before allocating.

So a file can make ``mt.load`` allocate its own size in arrays and its decoded manifest, no more.
"""

from __future__ import annotations

import io
import json
import math
import re
import reprlib
import struct
import warnings
import zipfile
from collections import OrderedDict
from typing import Any, BinaryIO

import numpy as np  # the .npy format (host I/O only)

from minitorch.autograd import Tensor
from minitorch.backend import as_device, backend_for

__all__ = ["CheckpointError", "read_checkpoint"]

FORMAT = "minitorch.checkpoint"
VERSION = 1
MANIFEST = "manifest.json"
MAX_MANIFEST_BYTES = 16 << 20
MAX_DEPTH = 100
MAX_NPY_HEADER = 10_000  # numpy's own default limit
DTYPES = frozenset(
    ["|b1", "|i1", "|u1", "<i2", "<u2", "<i4", "<u4", "<i8", "<u8"]
    + ["<f2", "<f4", "<f8", "<c8", "<c16"]
)
_FLAGS = 0x08 | 0x800  # the only zip flag bits the writer sets: data descriptor, UTF-8 names
_ARRAY_NAME = re.compile(r"(0|[1-9][0-9]{0,8})\.npy")
_DEVICE = re.compile(r"cpu|cuda(:[0-9]{1,4})?")
_CHUNK = 1 << 20
_SHORT = reprlib.Repr()  # bounded repr of a manifest node for messages: never recurses far
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother = 3, 40, 40
# What zipfile and the .npy header parser raise on damaged input (ValueError covers
# UnicodeDecodeError and json.JSONDecodeError).
_DAMAGE = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, struct.error)


class CheckpointError(ValueError, RuntimeError):
    """``mt.load`` refused a file: truncated, corrupted, crafted, or not a minitorch checkpoint.

    A ValueError; also a RuntimeError, which earlier versions raised for such files."""


def read_checkpoint(f: BinaryIO, name: str, map_location: Any) -> Any:
    """Decode the checkpoint in the seekable binary file ``f``; ``name`` is for messages."""
    return _Reader(f, name, map_location).read()


def _human(n: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB", "TB", "PB"):
        if n < 1000 or unit == "PB":
            return f"{n} bytes" if unit == "bytes" else f"{n:.3g} {unit}"
        n /= 1000
    raise AssertionError


class _Reader:
    def __init__(self, f: BinaryIO, name: str, map_location: Any) -> None:
        self.f, self.name, self.map_location = f, name, map_location
        self.path: list[Any] = []  # where in the manifest the decoder is, for messages

    def error(self, message: str, member: str | None = None) -> CheckpointError:
        if len(message) > 400:
            message = message[:400] + "..."
        where = f"mt.load({self.name}): " + (f"member {member!r}: " if member else "")
        return CheckpointError(where + message)

    def read(self) -> Any:
        try:
            size = self.f.seek(0, io.SEEK_END)
            self.f.seek(0)
            self.zf = zipfile.ZipFile(self.f, "r")
            infos = self.zf.infolist()
        except _DAMAGE as err:
            raise self.error(
                "not a readable minitorch checkpoint (truncated, corrupted, or another format): "
                f"{err}"
            ) from err
        with self.zf:
            manifest_info, self.arrays = self.members(infos, size)
            root = self.manifest(manifest_info)
            self.used: set[int] = set()
            obj = self.node(root, 0)
            for index in sorted(set(self.arrays) - self.used):
                raise self.error("is never referenced by the manifest", f"{index}.npy")
            return obj

    # --- the archive -------------------------------------------------------------------------
    def members(self, infos: list, size: int) -> tuple[zipfile.ZipInfo, dict[int, Any]]:
        manifest, arrays, total = None, {}, 0
        for info in infos:
            member = info.filename
            if member == MANIFEST and manifest is None:
                manifest = info
            elif (m := _ARRAY_NAME.fullmatch(member)) and int(m[1]) not in arrays:
                arrays[int(m[1])] = info
            elif member == MANIFEST or m:
                raise self.error("appears twice in the archive", member)
            else:
                raise self.error(
                    "is not part of a minitorch checkpoint (which holds manifest.json and "
                    "0.npy, 1.npy, ... only)",
                    member,
                )
            if info.compress_type != zipfile.ZIP_STORED:
                raise self.error(
                    f"is compressed (zip method {info.compress_type}); mt.save stores members "
                    "uncompressed, so this file was not written by it",
                    member,
                )
            if info.flag_bits & ~_FLAGS:
                raise self.error(f"has zip flags {info.flag_bits:#x} (encrypted?)", member)
            if info.file_size != info.compress_size:
                raise self.error(
                    f"is stored but declares {info.file_size} bytes unpacked and "
                    f"{info.compress_size} packed",
                    member,
                )
            if info.header_offset < 0 or info.header_offset + info.compress_size > size:
                raise self.error(
                    f"declares {_human(info.compress_size)} at offset {info.header_offset}, past "
                    f"the end of the {size}-byte file (truncated?)",
                    member,
                )
            total += info.compress_size
        if total > size:
            raise self.error(f"members declare {total} bytes in all but the file has {size}")
        if manifest is None:
            raise self.error(f"no {MANIFEST} member (not a minitorch checkpoint)")
        for index in range(len(arrays)):
            if index not in arrays:
                raise self.error(
                    f"{len(arrays)} array members but {index}.npy is missing (they are numbered "
                    "from 0)"
                )
        return manifest, arrays

    def manifest(self, info: zipfile.ZipInfo) -> Any:
        if info.file_size > MAX_MANIFEST_BYTES:
            raise self.error(
                f"is {_human(info.file_size)}, over the {MAX_MANIFEST_BYTES >> 20} MiB limit",
                MANIFEST,
            )
        try:
            raw = self.zf.read(info)
        except _DAMAGE as err:
            raise self.error(f"can't be read (truncated or corrupted): {err}", MANIFEST) from err
        try:
            manifest = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
        except RecursionError:
            raise self.error("is nested too deeply to parse", MANIFEST) from None
        except _DAMAGE as err:
            raise self.error(f"is not valid UTF-8 JSON: {err}", MANIFEST) from err
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise self.error("not a minitorch checkpoint (unknown format marker)", MANIFEST)
        version = manifest.get("version")
        if type(version) is not int or version < 1:
            raise self.error(f"has format version {version!r}, not a positive integer", MANIFEST)
        if version > VERSION:
            raise self.error(
                f"written by a newer minitorch (format version {version}, this one reads up to "
                f"{VERSION})",
                MANIFEST,
            )
        if "root" not in manifest:
            raise self.error("has no 'root' entry", MANIFEST)
        return manifest["root"]

    def array(self, index: int) -> np.ndarray:
        info = self.arrays[index]
        try:
            with self.zf.open(info) as entry:
                return self.npy(entry, info.file_size, info.filename)
        except CheckpointError:
            raise
        except _DAMAGE as err:
            raise self.error(
                f"can't be read (truncated or corrupted): {err}", info.filename
            ) from err

    def npy(self, entry: BinaryIO, size: int, member: str) -> np.ndarray:
        def exactly(n: int) -> bytes:
            data = entry.read(n)
            if len(data) != n:
                raise self.error(f"is truncated ({size} bytes)", member)
            return data

        magic = exactly(8)
        if magic[:6] != b"\x93NUMPY" or magic[6:] not in (b"\x01\x00", b"\x02\x00"):
            raise self.error(
                f"is not a .npy array of format 1.0 or 2.0 (starts {magic!r})", member
            )
        v1 = magic[6] == 1
        length_bytes = exactly(2 if v1 else 4)
        (length,) = struct.unpack("<H" if v1 else "<I", length_bytes)
        if length > MAX_NPY_HEADER:
            raise self.error(f"has a {length}-byte .npy header (limit {MAX_NPY_HEADER})", member)
        header = io.BytesIO(magic + length_bytes + exactly(length))
        fmt = np.lib.format
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # e.g. numpy's "created on Python 2" fallback
                fmt.read_magic(header)
                parse = fmt.read_array_header_1_0 if v1 else fmt.read_array_header_2_0
                shape, fortran, dtype = parse(header, max_header_size=MAX_NPY_HEADER)
        except Exception as err:  # noqa: BLE001  (any failure to parse 10 kB of header text)
            raise self.error(f"has an unreadable .npy header: {err}", member) from err
        if dtype.str not in DTYPES or dtype.names is not None or dtype.subdtype is not None:
            raise self.error(
                f"holds dtype {dtype} ({dtype.str!r}); checkpoints hold little-endian bool, int, "
                "uint, float and complex arrays only",
                member,
            )
        if any(d < 0 for d in shape) or len(shape) > 64:
            raise self.error(f"declares an impossible shape {shape}", member)
        nbytes = math.prod(shape) * dtype.itemsize
        held = size - len(magic) - len(length_bytes) - length
        if nbytes != held:
            raise self.error(
                f"declares shape {shape} {dtype} ({_human(nbytes)}) but the entry holds "
                f"{_human(held)}",
                member,
            )
        array = np.empty(math.prod(shape), dtype=np.dtype(dtype.str))
        view, done = memoryview(array.view(np.uint8)), 0
        while done < nbytes:  # in chunks: read() of the whole would hold a second copy
            chunk = exactly(min(_CHUNK, nbytes - done))
            view[done : done + len(chunk)] = chunk
            done += len(chunk)
        return array.reshape(shape[::-1]).T if fortran else array.reshape(shape)

    # --- the manifest ------------------------------------------------------------------------
    def bad(self, node: Any, why: str) -> CheckpointError:
        where = "root" + "".join(f"[{_SHORT.repr(p)}]" for p in self.path)
        return self.error(f"node {where} = {_SHORT.repr(node)}: {why}", MANIFEST)

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
        if type(index) is not int or index not in self.arrays:
            raise self.bad(node, f'"a" names no array member (there are {len(self.arrays)})')
        if index in self.used:
            raise self.bad(node, f"refers to {index}.npy a second time")
        self.used.add(index)
        device = node.get("device", "cpu" if kind != "tensor" else None)
        if not isinstance(device, str) or not _DEVICE.fullmatch(device):
            raise self.bad(node, '"device" is not "cpu", "cuda" or "cuda:N"')
        requires_grad = node.get("requires_grad", False)
        if not isinstance(requires_grad, bool):
            raise self.bad(node, '"requires_grad" is not a bool')
        array = self.array(index)
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


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON (mt.save writes floats as strings)")
