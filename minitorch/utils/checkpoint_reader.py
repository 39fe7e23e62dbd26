"""The validating reader behind ``mt.load``: a checkpoint file is untrusted input.

It accepts what ``mt.save`` writes and refuses the rest, with one error, ``CheckpointError``,
whose message names the file and the member. The limits, each something the writer never
exceeds (it checks the same constants when saving):

- members: ``manifest.json`` and ``0.npy`` .. ``{n-1}.npy``, each once and nothing else, each
  *stored* (the writer never compresses, so there is nothing to inflate and no zip bomb), not
  encrypted, lying inside the file and not overlapping;
- manifest: UTF-8 JSON of at most ``MAX_MANIFEST_BYTES`` (16 MiB, checked before reading it),
  no NaN/Infinity literals; its tree, containers nested at most ``MAX_DEPTH`` (100) deep, each
  node well typed and each array referenced exactly once, is checked by ``checkpoint_decoder``;
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
import struct
import warnings
import zipfile
from typing import Any, BinaryIO

import numpy as np  # the .npy format (host I/O only)

__all__ = ["CheckpointArchive", "CheckpointError"]

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
_CHUNK = 1 << 18
# What zipfile and json raise on damaged input: ValueError covers UnicodeDecodeError and
# JSONDecodeError; NotImplementedError is zipfile's "zip file version 23.5" and kin;
# OverflowError a seek past what an offset can hold.
_DAMAGE = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, struct.error,
           NotImplementedError, OverflowError)  # fmt: skip


class CheckpointError(ValueError, RuntimeError):
    """``mt.load`` refused a file: truncated, corrupted, crafted, or not a minitorch checkpoint.

    A ValueError; also a RuntimeError, which earlier versions raised for such files."""


def _human(n: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB", "TB", "PB"):
        if n < 1000 or unit == "PB":
            return f"{n} bytes" if unit == "bytes" else f"{n:.3g} {unit}"
        n /= 1000
    raise AssertionError


class CheckpointArchive:
    """The checked members of the checkpoint in the seekable binary file ``f``: ``root`` (the
    manifest's tree, for ``checkpoint_decoder``), ``count`` arrays read with ``array(i)``.
    ``name`` is how messages name the file. Use it as a context manager; ``f`` stays open."""

    def __init__(self, f: BinaryIO, name: str) -> None:
        self.name = name
        try:
            size = f.seek(0, io.SEEK_END)
            f.seek(0)
            self.zf = zipfile.ZipFile(f, "r")
            infos = self.zf.infolist()
        except _DAMAGE as err:
            raise self.error(
                "not a readable minitorch checkpoint (truncated, corrupted, or another format): "
                f"{err}"
            ) from err
        try:
            manifest, self.arrays = self.members(infos, size)
            self.root, self.count = self.manifest(manifest), len(self.arrays)
        except BaseException:
            self.zf.close()
            raise

    def __enter__(self) -> CheckpointArchive:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.zf.close()

    def error(self, message: str, member: str | None = None) -> CheckpointError:
        """A ``CheckpointError`` naming the file (and ``member``) before ``message``."""
        if len(message) > 400:
            message = message[:400] + "..."
        where = f"mt.load({self.name}): " + (f"member {member!r}: " if member else "")
        return CheckpointError(where + message)

    # --- the archive -------------------------------------------------------------------------
    def members(self, infos: list, size: int) -> tuple[zipfile.ZipInfo, dict[int, Any]]:
        """The manifest's and the arrays' zip entries, each checked (stored, in bounds)."""
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
        """The ``root`` tree of the manifest entry ``info``, its format and version checked."""
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
        """The array in member ``{index}.npy``, read after its header has been checked."""
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
        """The array of the open ``.npy`` entry, its header checked against its ``size`` bytes."""
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


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON (mt.save writes floats as strings)")
