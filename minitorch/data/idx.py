"""Read and write the IDX array format used by MNIST and its relatives.

An IDX file is a 4-byte magic number ``00 00 TT NN`` (``TT`` the element type, ``NN`` the number of
dimensions), then ``NN`` big-endian uint32 sizes, then the elements in C order, big-endian. Files
are often gzipped; :func:`read_idx` recognises gzip by its magic bytes, whatever the file is
called.

See http://yann.lecun.com/exdb/mnist/ ("THE IDX FILE FORMAT").
"""

from __future__ import annotations

import gzip
import math
import os
import struct
import zlib
from pathlib import Path

import numpy as np

PathLike = str | os.PathLike

# type code -> big-endian dtype, as listed in the format description.
IDX_DTYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_CODES = {(dt.kind, dt.itemsize): code for code, dt in IDX_DTYPES.items()}
_GZIP_MAGIC = b"\x1f\x8b"
_SUPPORTED = "uint8, int8, int16, int32, float32, float64"


def _read_bytes(path: Path) -> bytes:
    """The file's content, un-gzipped when it starts with the gzip magic bytes."""
    with open(path, "rb") as f:
        data = f.read()
    if not data.startswith(_GZIP_MAGIC):
        return data
    try:
        return gzip.decompress(data)
    except (EOFError, OSError, zlib.error) as e:
        # EOFError: the stream stops early (a truncated download); the others: corrupt data.
        raise ValueError(
            f"{path}: damaged gzip stream ({e}); delete the file and fetch it again"
        ) from e


def read_idx(path: PathLike) -> np.ndarray:
    """Load an IDX file (raw or gzipped) as a native-endian numpy array.

    Shape: the dimensions stored in the header, e.g. (60000, 28, 28) for MNIST images.

    Raises ValueError naming the file when the magic number, the header or the payload size is
    wrong (a truncated or oversized file is reported with the expected and found byte counts).
    """
    path = Path(path)
    data = _read_bytes(path)
    if len(data) < 4:
        raise ValueError(f"{path}: expected a 4-byte IDX magic number, found {len(data)} bytes")
    zero, code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or code not in IDX_DTYPES:
        codes = ", ".join(f"0x{c:02X}" for c in IDX_DTYPES)
        raise ValueError(
            f"{path}: not an IDX file; expected magic 00 00 TT NN with TT in {{{codes}}}, "
            f"found {data[:4].hex(' ')}"
        )
    if ndim == 0:
        raise ValueError(f"{path}: IDX header declares 0 dimensions, expected at least 1")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise ValueError(
            f"{path}: IDX header with {ndim} dimensions needs {header} bytes, found {len(data)}"
        )
    shape = struct.unpack(f">{ndim}I", data[4:header])
    dtype = IDX_DTYPES[code]
    expected = math.prod(shape) * dtype.itemsize  # Python ints: no overflow
    found = len(data) - header
    if found != expected:
        what = "truncated" if found < expected else "oversized"
        raise ValueError(
            f"{path}: {what} IDX payload; shape {shape} of {dtype.newbyteorder('=')} needs "
            f"{expected} bytes after the {header}-byte header, found {found}"
        )
    x = np.frombuffer(data, dtype=dtype, offset=header).reshape(shape)
    # astype copies into native byte order, so the result is writable and owns its memory.
    return x.astype(dtype.newbyteorder("="))


def write_idx(path: PathLike, array: np.ndarray, compress: bool | None = None) -> Path:
    """Write ``array`` as an IDX file; gzip it when ``compress`` is True.

    ``compress=None`` gzips exactly when the file name ends in ``.gz``. The dtype must be one of
    uint8, int8, int16, int32, float32 or float64 and the array must have at least one dimension.

    Shape: any (d0, d1, ...) with every size below 2**32.
    """
    path = Path(path)
    array = np.asarray(array)
    code = _CODES.get((array.dtype.kind, array.dtype.itemsize))
    if code is None:
        raise TypeError(
            f"write_idx: array dtype must be one of {_SUPPORTED}, got {array.dtype}; "
            f"cast it first, e.g. array.astype(np.int32)"
        )
    if array.ndim == 0 or array.ndim > 255:
        raise ValueError(f"write_idx: array must have 1 to 255 dimensions, got {array.ndim}")
    if max(array.shape) >= 2**32:
        raise ValueError(f"write_idx: every dimension must be below 2**32, got {array.shape}")
    header = struct.pack(f">HBB{array.ndim}I", 0, code, array.ndim, *array.shape)
    payload = np.ascontiguousarray(array, dtype=IDX_DTYPES[code]).tobytes()
    if compress is None:
        compress = path.name.endswith(".gz")
    if compress:
        # No name or time in the gzip header, so equal arrays give equal bytes (and checksums).
        with open(path, "wb") as raw, gzip.GzipFile("", "wb", fileobj=raw, mtime=0) as f:
            f.write(header + payload)
    else:
        path.write_bytes(header + payload)
    return path
