import io
import os
import zipfile
from collections import OrderedDict

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn, optim
from minitorch.utils import CheckpointError, serialization
from minitorch.utils.checkpoint_reader import MAX_DEPTH


def _everything(device="cpu"):
    return {
        "tensor": mt.randn(3, 4, device=device),
        "float64": mt.randn(2, dtype=mt.float64, device=device),
        "ints": mt.arange(5, device=device),
        "bools": mt.tensor([True, False], device=device),
        "scalar_tensor": mt.tensor(2.5, device=device),
        "param": nn.Parameter(mt.ones(2, device=device)),
        "array": np.arange(6, dtype=np.int16).reshape(2, 3),
        "np_scalar": np.float32(0.25),
        "int": 7,
        "big_int": 2**70,
        "float": 0.1,
        "inf": float("inf"),
        "bool": True,
        "none": None,
        "str": "héllo",
        "list": [1, [2, (3, "x")]],
        "tuple": (1.5, None),
        "ordered": OrderedDict([("b", 1), ("a", 2)]),
        3: "int key",
        (1, "k"): "tuple key",
    }


def _same(a, b):
    assert type(a) is type(b) or (isinstance(a, mt.Tensor) and type(b) is mt.Tensor), (a, b)
    if isinstance(a, mt.Tensor):
        assert a.dtype == b.dtype and a.device == b.device and a.shape == b.shape
        assert np.array_equal(
            a.numpy() if not a.requires_grad else a.detach().numpy(),
            b.numpy() if not b.requires_grad else b.detach().numpy(),
        )
        assert a.requires_grad == b.requires_grad
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and np.array_equal(a, b)
    elif isinstance(a, dict):
        assert list(a) == list(b)
        for k in a:
            _same(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _same(x, y)
    else:
        assert a == b and type(a) is type(b)


def test_round_trip_every_supported_type(tmp_path, device):
    obj = _everything(device)
    mt.save(obj, tmp_path / "all.ckpt")
    _same(obj, mt.load(tmp_path / "all.ckpt"))
    nan = mt.load(_saved({"nan": float("nan")}))["nan"]
    assert nan != nan


def _saved(obj):
    buffer = io.BytesIO()
    mt.save(obj, buffer)
    buffer.seek(0)
    return buffer


def test_file_objects_and_map_location(device):
    back = mt.load(_saved({"w": mt.ones(2, device=device)}), map_location="cpu")
    assert back["w"].device == mt.device("cpu")
    back = mt.load(_saved({"w": mt.ones(2)}), map_location={"cpu": device})
    assert back["w"].device == mt.device(device)
    back = mt.load(_saved({"w": mt.ones(2)}), map_location=lambda array, saved: array * 2)
    assert back["w"].tolist() == [2.0, 2.0]


def test_the_file_holds_json_and_npy_entries_only(tmp_path):
    mt.save({"w": mt.ones(2), "n": 3}, tmp_path / "c.ckpt")
    with zipfile.ZipFile(tmp_path / "c.ckpt") as zf:
        assert sorted(zf.namelist()) == ["0.npy", "manifest.json"]
        assert b'"format":"minitorch.checkpoint"' in zf.read("manifest.json")


def test_unsupported_objects_are_refused():
    with pytest.raises(TypeError, match=r"obj\['model'\] is a Linear.*state_dict"):
        mt.save({"model": nn.Linear(2, 2)}, io.BytesIO())
    with pytest.raises(TypeError, match="dtype object"):
        mt.save(np.array([None]), io.BytesIO())


def test_atomic_write_keeps_the_old_checkpoint_on_a_crash(tmp_path, monkeypatch):
    path = tmp_path / "model.ckpt"
    mt.save({"version": 1}, path)
    real_write = np.lib.format.write_array

    def crash_midway(*args, **kwargs):
        real_write(*args, **kwargs)
        raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(np.lib.format, "write_array", crash_midway)
    with pytest.raises(KeyboardInterrupt):
        mt.save({"version": 2, "w": mt.ones(1000)}, path)
    monkeypatch.undo()
    assert mt.load(path) == {"version": 1}
    assert os.listdir(tmp_path) == ["model.ckpt"]

    def failing_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        mt.save({"version": 3}, path)
    assert mt.load(path) == {"version": 1} and os.listdir(tmp_path) == ["model.ckpt"]


def test_truncated_and_corrupted_files_name_the_file(tmp_path):
    path = tmp_path / "c.ckpt"
    mt.save({"w": mt.arange(1000, dtype=mt.float32)}, path)
    raw = path.read_bytes()
    (tmp_path / "short.ckpt").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(CheckpointError, match=r"short\.ckpt'\): not a readable minitorch checkp"):
        mt.load(tmp_path / "short.ckpt")
    flipped = bytearray(raw)
    flipped[len(raw) // 2] ^= 0xFF  # inside the array data: caught by the entry's CRC-32
    (tmp_path / "flip.ckpt").write_bytes(bytes(flipped))
    with pytest.raises(CheckpointError, match=r"flip\.ckpt'\): member '0\.npy': .*CRC"):
        mt.load(tmp_path / "flip.ckpt")
    (tmp_path / "other.zip").write_bytes(_zip_with({"manifest.json": b"{}"}))
    with pytest.raises(CheckpointError, match="unknown format marker"):
        mt.load(tmp_path / "other.zip")
    with pytest.raises(FileNotFoundError):
        mt.load(tmp_path / "absent.ckpt")
    with pytest.raises(IsADirectoryError):
        mt.load(tmp_path)


def test_the_error_is_a_value_error_and_what_earlier_versions_raised():
    assert issubclass(CheckpointError, ValueError) and issubclass(CheckpointError, RuntimeError)
    assert mt.utils.CheckpointError is CheckpointError
    with pytest.raises(RuntimeError, match=r"mt\.load\(<BytesIO>\): not a readable"):
        mt.load(io.BytesIO(b"not a zip"))


def test_weights_only_is_accepted_and_changes_nothing():
    for weights_only in (True, False):
        assert mt.load(_saved({"a": 1}), weights_only=weights_only) == {"a": 1}


def test_what_load_would_refuse_is_refused_when_saving(monkeypatch):
    for bad in (np.array(["text"]), np.array([1], dtype="datetime64[s]"), np.zeros(2, "f4,i4")):
        with pytest.raises(TypeError, match=r"obj\['x'\]: arrays of dtype .* can't be saved"):
            mt.save({"x": bad}, io.BytesIO())
    deep = []
    for _ in range(MAX_DEPTH - 1):
        deep = [deep]
    assert mt.load(_saved(deep)) == deep  # MAX_DEPTH levels of containers load
    with pytest.raises(ValueError, match="nested more than 100 containers deep"):
        mt.save([deep], io.BytesIO())
    cycle = {}
    cycle["self"] = cycle
    with pytest.raises(ValueError, match="holds itself"):
        mt.save(cycle, io.BytesIO())
    monkeypatch.setattr(serialization, "MAX_MANIFEST_BYTES", 1000)
    with pytest.raises(ValueError, match="over the .* that mt.load accepts; store long lists"):
        mt.save(list(range(1000)), io.BytesIO())


def test_byte_order_is_little_endian_in_the_file():
    big = np.arange(4, dtype=">f8").reshape(2, 2)
    back = mt.load(_saved({"big": big, "t": mt.tensor(np.arange(3, dtype=">i4"))}))
    assert back["big"].dtype == np.dtype("<f8") and np.array_equal(back["big"], big)
    assert back["t"].dtype == mt.int32 and back["t"].tolist() == [0, 1, 2]


def _zip_with(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def test_path_in_a_missing_directory(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"directory .*nope does not exist"):
        mt.save({"a": 1}, tmp_path / "nope" / "c.ckpt")


def test_state_dict_from_a_different_model_reports_keys_and_shapes(tmp_path):
    mt.save(
        nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3)).state_dict(),
        tmp_path / "a.ckpt",
    )
    other = nn.Sequential(nn.Linear(4, 5), nn.ReLU(), nn.Linear(5, 3), nn.Linear(3, 1))
    with pytest.raises(RuntimeError) as info:
        other.load_state_dict(mt.load(tmp_path / "a.ckpt"))
    message = str(info.value)
    assert "Missing key(s) in state_dict: '3.weight', '3.bias'" in message
    assert "size mismatch for 0.weight" in message and "(8, 4)" in message and "(5, 4)" in message


def _setup(seed=0):
    mt.manual_seed(seed)
    model = nn.Sequential(nn.Linear(6, 16), nn.Tanh(), nn.Linear(16, 2))
    opt = optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-3)
    return model, opt


def _train(model, opt, steps, start):
    for step in range(start, start + steps):
        rng = np.random.default_rng(step)
        x = mt.tensor(rng.standard_normal((8, 6)), dtype=mt.float32)
        y = mt.tensor(rng.standard_normal((8, 2)), dtype=mt.float32)
        opt.zero_grad()
        nn.MSELoss()(model(x), y).backward()
        opt.step()


def test_exact_resume_bit_for_bit(tmp_path):
    model, opt = _setup()
    _train(model, opt, 7, 0)
    mt.save(
        {
            "model": model.state_dict(),
            "optimizer": opt.state_dict(),
            "step": 7,
            "rng": mt.backend.get_rng_state()[0],
        },
        tmp_path / "resume.ckpt",
    )
    _train(model, opt, 5, 7)

    ckpt = mt.load(tmp_path / "resume.ckpt")
    fresh, fresh_opt = _setup(seed=99)  # different init: everything must come from the file
    fresh.load_state_dict(ckpt["model"])
    fresh_opt.load_state_dict(ckpt["optimizer"])
    _train(fresh, fresh_opt, 5, ckpt["step"])

    straight, straight_opt = _setup()
    _train(straight, straight_opt, 12, 0)
    for (name, a), b, c in zip(
        fresh.state_dict().items(),
        model.state_dict().values(),
        straight.state_dict().values(),
        strict=True,
    ):
        assert np.array_equal(a.numpy(), c.numpy()), name
        assert np.array_equal(b.numpy(), c.numpy()), name
