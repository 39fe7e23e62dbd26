"""The downloader and the MNIST loader against a local HTTP server on 127.0.0.1."""

import hashlib
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

import minitorch.data.download as dl
import minitorch.data.mnist_files as mf
from minitorch.data.download import DownloadError, check_digests, data_root, download
from minitorch.data.idx import write_idx


class Server:
    """Serves ``files`` (path -> bytes); a path in ``cut`` gets half its body, then a hang-up."""

    def __init__(self):
        self.files, self.cut, self.requests = {}, set(), []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.path)
                body = server.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2] if self.path in server.cut else body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = Server()
    yield s
    s.close()


@pytest.fixture(autouse=True)
def no_retry_pause(monkeypatch):
    monkeypatch.setattr(dl, "RETRY_DELAY_S", 0.0)


def closed_port_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/file.gz"


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def idx_bytes(tmp_path, array):
    path = write_idx(tmp_path / "scratch.gz", array)
    data = path.read_bytes()
    path.unlink()
    return data


@pytest.fixture
def payload(tmp_path):
    return idx_bytes(tmp_path, np.arange(100, dtype=np.uint8).reshape(4, 5, 5))


def test_download_verifies_and_caches(server, tmp_path, payload):
    server.files["/a/x.gz"] = payload
    root = tmp_path / "cache"
    path = download(server.base + "/a/x.gz", "x.gz", sha256(payload), root)
    assert path == root / "x.gz" and path.read_bytes() == payload
    assert download([server.base + "/a/x.gz"], "x.gz", sha256(payload), root) == path
    assert server.requests == ["/a/x.gz"]  # the second call used the cache
    assert sorted(p.name for p in root.iterdir()) == ["x.gz"]


def test_md5_digest_and_both_digests(server, tmp_path, payload):
    server.files["/x.gz"] = payload
    md5 = hashlib.md5(payload).hexdigest()
    assert download(server.base + "/x.gz", "x.gz", root=tmp_path, md5=md5.upper()).is_file()
    assert check_digests(tmp_path / "x.gz", sha256=sha256(payload), md5=md5)
    assert not check_digests(tmp_path / "x.gz", md5="0" * 32)
    assert not check_digests(tmp_path / "missing.gz", md5=md5)


def test_first_mirror_404_then_second(server, tmp_path, payload):
    server.files["/two/x.gz"] = payload
    urls = [server.base + "/one/x.gz", server.base + "/two/x.gz"]
    path = download(urls, "x.gz", sha256(payload), tmp_path, retries=3)
    assert path.read_bytes() == payload
    assert server.requests == ["/one/x.gz", "/two/x.gz"]  # a 404 is not retried


def test_corrupted_file_rejected(server, tmp_path, payload):
    server.files["/x.gz"] = payload[:-1] + b"!"
    with pytest.raises(DownloadError) as info:
        download(server.base + "/x.gz", "x.gz", sha256(payload), tmp_path)
    message = str(info.value)
    assert f"{server.base}/x.gz: sha256 mismatch: expected {sha256(payload)}" in message
    assert server.requests == ["/x.gz"]  # bad bytes are not fetched again from the same mirror
    assert list(tmp_path.iterdir()) == []


def test_corrupt_mirror_skipped_for_good_one(server, tmp_path, payload):
    server.files["/bad/x.gz"] = b"not it"
    server.files["/good/x.gz"] = payload
    urls = [server.base + "/bad/x.gz", server.base + "/good/x.gz"]
    assert download(urls, "x.gz", sha256(payload), tmp_path).read_bytes() == payload


def test_wrong_cached_file_is_replaced(server, tmp_path, payload):
    server.files["/x.gz"] = payload
    (tmp_path / "x.gz").write_bytes(b"stale")
    assert (
        download(server.base + "/x.gz", "x.gz", sha256(payload), tmp_path).read_bytes() == payload
    )


def test_all_mirrors_fail_gives_offline_error(server, tmp_path):
    urls = [closed_port_url(), server.base + "/nothing.gz"]
    root = tmp_path / "cache"
    with pytest.raises(DownloadError) as info:
        download(urls, "x.gz", "ab" * 32, root, retries=1)
    message = str(info.value)
    assert isinstance(info.value, RuntimeError)
    assert f"{urls[0]}: ConnectionRefusedError" in message and "after 2 attempts" in message
    assert f"{urls[1]}: HTTP 404" in message
    assert "offline" in message and str(root / "x.gz") in message and "ab" * 32 in message
    assert list(root.iterdir()) == []


def test_connection_cut_mid_body_is_retried_and_leaves_no_partial_file(server, tmp_path, payload):
    server.files["/x.gz"] = payload
    server.cut.add("/x.gz")
    with pytest.raises(DownloadError, match="IncompleteRead.*after 3 attempts"):
        download(server.base + "/x.gz", "x.gz", sha256(payload), tmp_path, retries=2)
    assert server.requests == ["/x.gz"] * 3
    assert list(tmp_path.iterdir()) == []


def test_argument_errors(tmp_path):
    with pytest.raises(ValueError, match="sha256 or md5"):
        download("http://127.0.0.1/x", "x", root=tmp_path)
    with pytest.raises(ValueError, match="at least one URL"):
        download([], "x", "0" * 64, tmp_path)


def test_data_root(monkeypatch, tmp_path):
    monkeypatch.setenv("MINITORCH_DATA", str(tmp_path / "env"))
    assert data_root(tmp_path / "arg") == tmp_path / "arg"
    assert data_root() == tmp_path / "env"
    monkeypatch.delenv("MINITORCH_DATA")
    assert data_root().parts[-2:] == (".cache", "minitorch")


@pytest.fixture
def fake_mnist(server, tmp_path, monkeypatch):
    """Point the MNIST table at the local server, serving 6 training and 3 test images."""
    rng = np.random.default_rng(0)
    arrays = {}
    for split, n in (("train", 6), ("test", 3)):
        images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, size=n, dtype=np.uint8)
        resources = []
        for resource, array in zip(mf.RESOURCES["mnist"][split], (images, labels)):
            data = idx_bytes(tmp_path, array)
            server.files["/mnist/" + resource.filename] = data
            resources.append(mf.Resource(resource.filename, sha256=sha256(data)))
        monkeypatch.setitem(mf.RESOURCES["mnist"], split, tuple(resources))
        arrays[split] = images, labels
    monkeypatch.setitem(mf.MIRRORS, "mnist", (closed_port_url() + "/", server.base + "/mnist/"))
    monkeypatch.setattr(dl, "RETRY_DELAY_S", 0.0)
    return arrays


def test_load_mnist_arrays(fake_mnist, server, tmp_path):
    root = tmp_path / "data"
    for train, split in ((True, "train"), (False, "test")):
        images, labels = mf.load_mnist_arrays(root, train=train, download=True)
        assert images.dtype == labels.dtype == np.uint8
        np.testing.assert_array_equal(images, fake_mnist[split][0])
        np.testing.assert_array_equal(labels, fake_mnist[split][1])
    assert len(server.requests) == 4
    # Once present, no download is needed, with or without download=True.
    images, _ = mf.load_mnist_arrays(root, train=False, download=False)
    assert images.shape == (3, 28, 28)
    mf.load_mnist_arrays(root, train=False, download=True)
    assert len(server.requests) == 4
    assert (root / "MNIST" / "t10k-images-idx3-ubyte.gz").is_file()


def test_load_mnist_arrays_missing_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="train-images-idx3-ubyte.gz not found.*download="):
        mf.load_mnist_arrays(tmp_path, train=True, download=False, kind="fashion")
    with pytest.raises(ValueError, match=r"kind must be one of \['fashion', 'mnist'\]"):
        mf.load_mnist_arrays(tmp_path, kind="kmnist")


def test_load_mnist_arrays_rejects_mismatched_labels(tmp_path):
    folder = tmp_path / "MNIST"
    folder.mkdir()
    write_idx(folder / "t10k-images-idx3-ubyte.gz", np.zeros((3, 28, 28), np.uint8))
    write_idx(folder / "t10k-labels-idx1-ubyte.gz", np.zeros(2, np.uint8))
    with pytest.raises(ValueError, match=r"labels of shape \(3,\).*found uint8 \(2,\)"):
        mf.load_mnist_arrays(tmp_path, train=False)


def test_resource_table_is_complete():
    for kind, splits in mf.RESOURCES.items():
        assert all(base.endswith("/") for base in mf.MIRRORS[kind])
        for images, labels in splits.values():
            for r in (images, labels):
                assert len(r.sha256) == 64 and len(r.md5) == 32
