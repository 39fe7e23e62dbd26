"""Crafted and malformed files: each is refused with CheckpointError, naming the file and the
member, in bounded memory and time."""

from __future__ import annotations

import json
import re
import zipfile

import numpy as np
import pytest

import minitorch as mt
from minitorch.utils import CheckpointError
from tests.utils._ckpt_files import (
    MiB,
    archive,
    deflated_repeat,
    manifest,
    measure,
    npy,
    npy_header,
    raw_zip,
    tensor_checkpoint,
)

ONE = {"t": "tensor", "a": 0, "device": "cpu"}
F4 = npy(np.arange(3, dtype=np.float32))


def _nested(depth: int) -> dict:
    node = {"t": "list", "items": []}
    for _ in range(depth - 1):
        node = {"t": "list", "items": [node]}
    return node


def _deep_manifest(depth: int) -> bytes:  # built as text: json.dumps would recurse too deep
    root = (
        b'{"t":"list","items":[' * (depth - 1) + b'{"t":"list","items":[]}' + b"]}" * (depth - 1)
    )
    return manifest("ROOT").replace(b'"ROOT"', root)


def _refused(tmp_path, data: bytes, match: str, limit: int = MiB) -> int:
    path = tmp_path / "crafted.ckpt"
    path.write_bytes(data)
    outcome, peak, seconds = measure(lambda: mt.load(path))
    assert isinstance(outcome, CheckpointError), repr(outcome)
    message = str(outcome)
    assert message.startswith(f"mt.load({str(path)!r}): "), message
    assert re.search(match, message), message
    assert peak < limit, f"{peak} bytes traced"
    assert seconds < 2.0
    return peak


CRAFTED = {
    # the audit's memory bombs
    "zip bomb: an array inflating to 2 GiB": (
        raw_zip(
            [
                ("manifest.json", 0, manifest(ONE), len(manifest(ONE))),
                ("0.npy", 8, deflated_repeat(b"\0", 2048), 2048 * MiB),
            ]
        ),
        r"member '0\.npy': is compressed \(zip method 8\); mt\.save stores members uncompressed",
    ),
    "zip bomb: a manifest of 1 GiB whitespace": (
        raw_zip([("manifest.json", 8, deflated_repeat(b" ", 1024), 1024 * MiB)]),
        r"member 'manifest\.json': is compressed",
    ),
    "10,000-deep nested manifest": (
        archive([("manifest.json", _deep_manifest(10_000))]),
        r"member 'manifest\.json': is nested too deeply to parse",
    ),
    "10,000-deep nested JSON lists": (
        archive([("manifest.json", b"[" * 10_000 + b"]" * 10_000)]),
        r"member 'manifest\.json': is nested too deeply to parse",
    ),
    "101-deep nested manifest": (
        archive([("manifest.json", manifest(_nested(101)))]),
        r"member 'manifest\.json': node root(\[0\]){100} = .*: containers nest more than 100",
    ),
    # arrays the writer never writes
    "big-endian array": (
        tensor_checkpoint(npy(np.arange(3, dtype=">f4"))),
        r"member '0\.npy': holds dtype >f4 \('>f4'\); checkpoints hold little-endian bool",
    ),
    "<U10 string array": (
        tensor_checkpoint(npy(np.array(["a", "bc"], dtype="<U10"))),
        r"member '0\.npy': holds dtype <U10",
    ),
    "structured array": (
        tensor_checkpoint(npy(np.zeros(2, dtype=[("a", "<f4"), ("b", "<i4")]))),
        r"member '0\.npy': holds dtype \[\('a', '<f4'\), \('b', '<i4'\)\]",
    ),
    "object array": (
        tensor_checkpoint(npy_header("|O", (3,)) + b"\0" * 24),
        r"member '0\.npy': holds dtype object",
    ),
    "datetime array": (
        tensor_checkpoint(npy(np.zeros(2, dtype="datetime64[s]"))),
        r"member '0\.npy': holds dtype datetime64\[s\]",
    ),
    "subarray dtype": (
        tensor_checkpoint(npy_header(("<f8", (1000, 1000)), (1,)) + b"\0" * 80),
        r"member '0\.npy': holds dtype \('<f8', \(1000, 1000\)\)",
    ),
    "shape lying about its size": (
        tensor_checkpoint(npy_header("<f8", (1_000_000_000,)) + b"\0" * 80),
        r"member '0\.npy': declares shape \(1000000000,\) float64 \(8 GB\) but the entry holds "
        r"80 bytes",
    ),
    "shape lying in a .npy 2.0 header": (
        tensor_checkpoint(npy_header("<f4", (10**6, 10**6), version=(2, 0)) + b"\0" * 16),
        r"member '0\.npy': declares shape \(1000000, 1000000\) float32 \(4 TB\)",
    ),
    "negative shape": (
        tensor_checkpoint(npy_header("<f4", (-1, 3)) + F4[-12:]),
        r"member '0\.npy': declares an impossible shape \(-1, 3\)",
    ),
    "huge .npy header": (
        tensor_checkpoint(b"\x93NUMPY\x02\x00" + (2**31).to_bytes(4, "little") + b" " * 64),
        r"member '0\.npy': has a 2147483648-byte \.npy header \(limit 10000\)",
    ),
    "not an .npy": (tensor_checkpoint(b"PK\x03\x04 hello"), r"member '0\.npy': is not a \.npy"),
    "unparsable .npy header": (
        tensor_checkpoint(b"\x93NUMPY\x01\x00\x10\x00{'descr': ((((((\n"),
        r"member '0\.npy': has an unreadable \.npy header",
    ),
    # the archive
    "manifest of 100 MiB whitespace (stored)": (None, r"member 'manifest\.json': is 105 MB, over"),
    "duplicate member": (
        archive([("manifest.json", manifest(ONE)), ("0.npy", F4), ("0.npy", F4)]),
        r"member '0\.npy': appears twice in the archive",
    ),
    "duplicate manifest": (
        archive([("manifest.json", manifest(ONE)), ("manifest.json", b"{}"), ("0.npy", F4)]),
        r"member 'manifest\.json': appears twice",
    ),
    "path trick": (
        archive([("manifest.json", manifest(ONE)), ("../../0.npy", F4)]),
        r"member '\.\./\.\./0\.npy': is not part of a minitorch checkpoint",
    ),
    "leading zero": (
        archive([("manifest.json", manifest(ONE)), ("00.npy", F4)]),
        r"member '00\.npy': is not part of",
    ),
    "never referenced": (
        archive([("manifest.json", manifest(ONE)), ("0.npy", F4), ("1.npy", F4)]),
        r"member '1\.npy': is never referenced by the manifest",
    ),
    "referenced twice": (
        archive([("manifest.json", manifest({"t": "list", "items": [ONE, ONE]})), ("0.npy", F4)]),
        r"member 'manifest\.json': node root\[1\] = .*: refers to 0\.npy a second time",
    ),
    "reference out of range": (
        archive([("manifest.json", manifest({**ONE, "a": 7})), ("0.npy", F4)]),
        r"node root = .*: \"a\" names no array member \(there are 1\)",
    ),
    "gap in the numbering": (
        archive([("manifest.json", manifest(ONE)), ("0.npy", F4), ("2.npy", F4)]),
        r"2 array members but 1\.npy is missing",
    ),
    "no manifest": (archive([("0.npy", F4)]), r"no manifest\.json member"),
    "encrypted flag": (None, r"member '0\.npy': has zip flags 0x1 \(encrypted\?\)"),
    "member past the end of the file": (None, r"member '0\.npy': declares .* past the end"),
    "unsupported zip version": (None, r"not a readable minitorch checkpoint .*: zip file version"),
    # the manifest
    "manifest not UTF-8": (
        archive([("manifest.json", b'{"format": "\xff"}')]),
        r"member 'manifest\.json': is not valid UTF-8 JSON",
    ),
    "manifest with NaN": (
        archive([("manifest.json", manifest({"t": "value", "v": 0}).replace(b"0}", b"NaN}"))]),
        r"is not valid UTF-8 JSON: NaN is not JSON",
    ),
    "huge integer": (
        archive(
            [("manifest.json", manifest({"t": "int", "v": 0}).replace(b"0}", b"9" * 5000 + b"}"))]
        ),
        r"member 'manifest\.json': is not valid UTF-8 JSON: Exceeds the limit",
    ),
    "newer version": (
        archive([("manifest.json", manifest(None, version=2))]),
        r"written by a newer minitorch \(format version 2",
    ),
    "version as a string": (
        archive([("manifest.json", manifest(None, version="1"))]),
        r"has format version '1', not a positive integer",
    ),
    "unknown node": (
        archive([("manifest.json", manifest({"t": "pickle", "v": "cos\nsystem"}))]),
        r"node root = .*: unknown node type 'pickle'",
    ),
    "unhashable key": (
        archive([("manifest.json", manifest({"t": "dict", "items": [[_nested(1), ONE]]}))]),
        r"a dict key must be a string, number, bool, None or tuple",
    ),
    "requires_grad on ints": (
        archive(
            [
                ("manifest.json", manifest({**ONE, "requires_grad": True})),
                ("0.npy", npy(np.arange(3))),
            ]
        ),
        r"requires_grad on a int64 tensor",
    ),
    "scalar that is not 0-d": (
        archive([("manifest.json", manifest({"t": "scalar", "a": 0})), ("0.npy", F4)]),
        r"a scalar's array has shape \(3,\)",
    ),
    "bad device": (
        archive([("manifest.json", manifest({**ONE, "device": "tpu:0"})), ("0.npy", F4)]),
        r"\"device\" is not \"cpu\", \"cuda\" or \"cuda:N\"",
    ),
    "not a zip": (b"\x80\x04\x95 a pickle, say", r"not a readable minitorch checkpoint"),
    "empty file": (b"", r"not a readable minitorch checkpoint"),
}


def _special(name: str, tmp_path) -> bytes:
    if name.startswith("manifest of 100 MiB"):
        path = tmp_path / "source.zip"  # written in pieces: the test itself stays small too
        with zipfile.ZipFile(path, "w") as zf, zf.open("manifest.json", "w") as entry:
            for _ in range(100):
                entry.write(b" " * MiB)
        return path.read_bytes()
    data = bytearray(archive([("manifest.json", manifest(ONE)), ("0.npy", F4)]))
    central = data.rindex(b"PK\x01\x02")  # the last central directory entry: 0.npy
    if name == "encrypted flag":
        data[central + 8] |= 1
    elif name == "unsupported zip version":
        data[central + 6] = 235  # "version needed to extract": 23.5, beyond zipfile's 6.3
    else:  # compressed and uncompressed size claim 1 GB
        data[central + 20 : central + 28] = (10**9).to_bytes(4, "little") * 2
    return bytes(data)


@pytest.mark.parametrize("name", list(CRAFTED))
def test_crafted_file_is_refused_in_bounded_memory_and_time(name, tmp_path):
    data, match = CRAFTED[name]
    _refused(tmp_path, _special(name, tmp_path) if data is None else data, match)


def test_a_valid_file_costs_about_its_size(tmp_path):
    path = tmp_path / "big.ckpt"
    mt.save({"w": mt.zeros(1 << 21), "b": np.arange(10)}, path)  # 8 MiB of float32
    outcome, peak, _ = measure(lambda: mt.load(path))
    assert isinstance(outcome, dict) and outcome["w"].shape == (1 << 21,)
    size = path.stat().st_size
    assert peak < size + 2 * MiB, (peak, size)


def test_a_file_object_names_itself(tmp_path):
    path = tmp_path / "x.ckpt"
    path.write_bytes(archive([("manifest.json", json.dumps([1]).encode())]))
    with open(path, "rb") as f, pytest.raises(CheckpointError, match=r"x\.ckpt'\): member 'man"):
        mt.load(f)
