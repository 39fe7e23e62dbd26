"""``SummaryWriter``: PyTorch's method names over tensorboardX; events read back from disk."""

import struct
import sys
from pathlib import Path

import numpy as np
import pytest

import minitorch as mt


def read_events(log_dir):
    """Every Event in the TFRecord event files under ``log_dir`` (length, crc, data, crc)."""
    event_pb2 = pytest.importorskip("tensorboardX.proto.event_pb2")
    events = []
    for path in sorted(Path(log_dir).rglob("events.out.tfevents.*")):
        data = path.read_bytes()
        at = 0
        while at < len(data):
            (length,) = struct.unpack("<Q", data[at : at + 8])
            events.append(event_pb2.Event.FromString(data[at + 12 : at + 12 + length]))
            at += 12 + length + 4
    return events


def scalars(events):
    return [(v.tag, e.step, v.simple_value) for e in events for v in e.summary.value
            if v.HasField("simple_value")]  # fmt: skip


def test_scalars_and_histograms_round_trip(tmp_path):
    pytest.importorskip("tensorboardX")
    from minitorch.utils.tensorboard import SummaryWriter

    weights = mt.randn(1000)
    with SummaryWriter(tmp_path) as writer:
        assert writer.get_logdir() == str(tmp_path)
        for step, loss in enumerate([1.0, 0.5, 0.25]):
            writer.add_scalar("loss", loss, step)
        writer.add_scalar("acc", mt.tensor(0.75), 3)  # a 0-d Tensor
        writer.add_scalar("np", np.float32(2.5), 4)
        writer.add_histogram("w", weights, 7)
    events = read_events(tmp_path)
    assert scalars(events) == [("loss", 0, 1.0), ("loss", 1, 0.5), ("loss", 2, 0.25),
                               ("acc", 3, 0.75), ("np", 4, 2.5)]  # fmt: skip
    (histo,) = [(e.step, v.histo) for e in events for v in e.summary.value if v.HasField("histo")]
    assert histo[0] == 7 and histo[1].num == 1000
    assert histo[1].min == pytest.approx(weights.min().item())
    assert histo[1].sum == pytest.approx(weights.sum().item(), abs=1e-3)


def test_add_scalars_writes_one_run_per_curve(tmp_path):
    pytest.importorskip("tensorboardX")
    from minitorch.utils.tensorboard import SummaryWriter

    writer = SummaryWriter(tmp_path)
    writer.add_scalars("loss", {"train": 1.0, "val": 2.0}, 1)
    writer.flush()
    writer.close()
    # one event directory per curve (tensorboardX: loss/train, loss/val; PyTorch: loss_train)
    runs = {p.parent.relative_to(tmp_path).as_posix(): p.parent
            for p in tmp_path.rglob("events.out.tfevents.*")}  # fmt: skip
    curves = {name.replace("loss_", "loss/"): path for name, path in runs.items() if name != "."}
    assert set(curves) == {"loss/train", "loss/val"}
    assert scalars(read_events(curves["loss/val"])) == [("loss", 1, 2.0)]
    assert scalars(read_events(curves["loss/train"])) == [("loss", 1, 1.0)]
    with pytest.raises(ValueError, match="expected a single number, got an array of shape"):
        SummaryWriter(tmp_path / "x").add_scalar("bad", mt.ones(3), 0)


def test_without_tensorboardx_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "tensorboardX", None)
    from minitorch.utils.tensorboard import SummaryWriter  # the module imports fine

    with pytest.raises(ImportError, match="pip install tensorboardX"):
        SummaryWriter(tmp_path)
