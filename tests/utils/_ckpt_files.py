"""Checkpoint files built by hand, valid or not, for the crafted-file and fuzz tests."""

from __future__ import annotations

import gc
import io
import json
import struct
import time
import tracemalloc
import warnings
import zipfile
import zlib
from typing import Any, Callable

import numpy as np

from minitorch.utils.checkpoint_reader import FORMAT, VERSION

MiB = 1 << 20


def manifest(root: Any, **top: Any) -> bytes:
    return json.dumps({"format": FORMAT, "version": VERSION, "root": root, **top}).encode()


def npy_header(descr: Any, shape: tuple, fortran: bool = False, version=(1, 0)) -> bytes:
    """A .npy header as numpy writes it, for any descr (numpy's writer refuses some)."""
    buffer = io.BytesIO()
    header = {"descr": descr, "fortran_order": fortran, "shape": shape}
    write = np.lib.format.write_array_header_1_0 if version == (1, 0) else None
    (write or np.lib.format.write_array_header_2_0)(buffer, header)
    return buffer.getvalue()


def npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def archive(members: list[tuple[str, bytes]], compress: int = zipfile.ZIP_STORED) -> bytes:
    """A zip of ``(name, data)`` members (duplicates allowed) written by zipfile."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", compress) as zf:
        warnings.simplefilter("ignore")  # "Duplicate name"
        for name, data in members:
            zf.writestr(name, data)
    return buffer.getvalue()


def tensor_checkpoint(*npy_members: bytes) -> bytes:
    """A checkpoint whose root is a list of tensors stored in the given .npy members."""
    root = {"t": "list", "items": [{"t": "tensor", "a": i, "device": "cpu"} for i in
                                   range(len(npy_members))]}  # fmt: skip
    members = [(f"{i}.npy", data) for i, data in enumerate(npy_members)]
    return archive([("manifest.json", manifest(root)), *members])


def deflated_repeat(byte: bytes, mib: int) -> bytes:
    """A raw deflate stream of ``mib`` MiB of ``byte``, built in milliseconds: after a full
    flush the compressor starts afresh, so every further MiB compresses to the same bytes."""
    block, c = byte * MiB, zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    return head + again * (mib - 2) + c.compress(block) + c.flush()


def raw_zip(members: list[tuple[str, int, bytes, int]]) -> bytes:
    """A zip written field by field: ``(name, method, packed bytes, unpacked size)`` each, for
    members zipfile would not write (a deflate stream made elsewhere). CRCs are left 0: a
    naive reader inflates everything before it finds out."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, method, packed, size in members:
        offset, raw_name = out.tell(), name.encode()
        fields = (20, 0, method, 0, 0x21, 0, len(packed), size, len(raw_name), 0)
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", *fields) + raw_name + packed)
        fields = (20, 20, 0, method, 0, 0x21, 0, len(packed), size, len(raw_name), 0, 0, 0, 0, 0)
        central.write(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", *fields, offset))
        central.write(raw_name)
    start, directory = out.tell(), central.getvalue()
    end = (0, 0, len(members), len(members), len(directory), start, 0)
    return out.getvalue() + directory + struct.pack("<4sHHHHIIH", b"PK\x05\x06", *end)


def measure(load: Callable[[], Any]) -> tuple[Any, int, float]:
    """``(result or exception, peak bytes traced during the call, seconds)``.

    The cyclic garbage collector is off meanwhile: a collection that happened to start inside
    the call would run finalizers of unrelated garbage and charge what they allocate to it."""
    started, collecting = not tracemalloc.is_tracing(), gc.isenabled()
    gc.disable()
    if started:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base, t0 = tracemalloc.get_traced_memory()[0], time.perf_counter()
        try:
            outcome = load()
        except Exception as err:  # noqa: BLE001  (the caller checks which)
            outcome = err
        seconds, peak = time.perf_counter() - t0, tracemalloc.get_traced_memory()[1] - base
    finally:
        if started:
            tracemalloc.stop()
        if collecting:
            gc.enable()
    return outcome, peak, seconds
