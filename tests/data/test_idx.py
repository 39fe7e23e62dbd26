import gzip

import numpy as np
import pytest

from minitorch.data.idx import IDX_DTYPES, read_idx, write_idx

DTYPES = {
    0x08: np.uint8,
    0x09: np.int8,
    0x0B: np.int16,
    0x0C: np.int32,
    0x0D: np.float32,
    0x0E: np.float64,
}


def sample(dtype, shape=(3, 4, 5)):
    rng = np.random.default_rng(0)
    x = rng.normal(scale=50, size=shape)
    if np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        x = rng.integers(info.min, info.max, size=shape, endpoint=True)
    return x.astype(dtype)


def test_dtype_table_matches_the_format():
    assert {c: np.dtype(t) for c, t in DTYPES.items()} == {
        c: d.newbyteorder("=") for c, d in IDX_DTYPES.items()
    }


@pytest.mark.parametrize("compress", [False, True])
@pytest.mark.parametrize("code", sorted(DTYPES))
def test_round_trip_every_dtype(tmp_path, code, compress):
    x = sample(DTYPES[code])
    path = write_idx(tmp_path / "x.idx", x, compress=compress)
    raw = path.read_bytes()
    assert raw.startswith(b"\x1f\x8b") == compress
    header = gzip.decompress(raw)[:4] if compress else raw[:4]
    assert header == bytes([0, 0, code, 3])
    y = read_idx(path)
    assert y.dtype == np.dtype(DTYPES[code]) and y.dtype.isnative
    np.testing.assert_array_equal(y, x)
    y[0] = 0  # the result is a writable copy, not a view of the file's bytes


@pytest.mark.parametrize("shape", [(7,), (0, 28, 28), (2, 1, 3, 1)])
def test_round_trip_shapes(tmp_path, shape):
    x = sample(np.uint8, shape)
    np.testing.assert_array_equal(read_idx(write_idx(tmp_path / "x", x)), x)


def test_gzip_is_detected_by_content_not_name(tmp_path):
    x = sample(np.int32)
    gz_named_raw = write_idx(tmp_path / "a.gz", x, compress=False)
    raw_named_gz = write_idx(tmp_path / "b-ubyte", x, compress=True)
    np.testing.assert_array_equal(read_idx(gz_named_raw), x)
    np.testing.assert_array_equal(read_idx(raw_named_gz), x)


def test_compress_none_follows_the_suffix_and_is_reproducible(tmp_path):
    x = sample(np.uint8)
    a = write_idx(tmp_path / "a.gz", x).read_bytes()
    assert a.startswith(b"\x1f\x8b")
    assert not write_idx(tmp_path / "a", x).read_bytes().startswith(b"\x1f\x8b")
    assert write_idx(tmp_path / "b.gz", x).read_bytes() == a  # no timestamp in the gzip header


def test_mnist_header_layout(tmp_path):
    path = write_idx(tmp_path / "images", np.zeros((2, 28, 28), np.uint8))
    assert path.read_bytes()[:16] == bytes.fromhex("00000803 00000002 0000001c 0000001c")


@pytest.mark.parametrize("compress", [False, True])
def test_truncated_file_names_file_and_byte_counts(tmp_path, compress):
    path = tmp_path / "short.idx"
    data = bytes.fromhex("00000803 00000002 00000003 00000004") + bytes(23)
    path.write_bytes(gzip.compress(data) if compress else data)
    with pytest.raises(ValueError, match=r"short\.idx: truncated .* needs 24 bytes .* found 23"):
        read_idx(path)


def test_oversized_file(tmp_path):
    path = write_idx(tmp_path / "long.idx", np.zeros(5, np.int16))
    path.write_bytes(path.read_bytes() + b"\0")
    with pytest.raises(ValueError, match=r"long\.idx: oversized .* needs 10 bytes .* found 11"):
        read_idx(path)


def test_cut_gzip_stream(tmp_path):
    path = write_idx(tmp_path / "cut.gz", sample(np.float64, (50, 50)))
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(ValueError, match=r"cut\.gz: damaged gzip stream"):
        read_idx(path)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"\x00\x00", "expected a 4-byte IDX magic number, found 2 bytes"),
        (b"PK\x03\x04rest", "not an IDX file"),
        (bytes.fromhex("00000A01 00000001 00"), r"not an IDX file.*found 00 00 0a 01"),
        (bytes.fromhex("00000800"), "0 dimensions"),
        (bytes.fromhex("00000803 00000002"), "needs 16 bytes, found 8"),
    ],
)
def test_bad_headers(tmp_path, data, message):
    path = tmp_path / "bad.idx"
    path.write_bytes(data)
    with pytest.raises(ValueError, match=message):
        read_idx(path)


def test_write_rejects_unsupported_arrays(tmp_path):
    with pytest.raises(TypeError, match=r"dtype must be one of .* got int64; cast it"):
        write_idx(tmp_path / "x", np.arange(3))
    with pytest.raises(ValueError, match="1 to 255 dimensions, got 0"):
        write_idx(tmp_path / "x", np.uint8(3))
