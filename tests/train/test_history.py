"""``History``: per-epoch logs, their JSON file (atomic) and their plot."""

import json
import math
import sys

import pytest

from minitorch import nn, optim
from minitorch.data import DataLoader
from minitorch.train import History, fit
from tests.train.problem import problem, small_model


def test_plot_without_matplotlib_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    monkeypatch.setitem(sys.modules, "matplotlib.backends.backend_agg", None)
    history = History()
    history.append(1, {"loss": 1.0})
    with pytest.raises(ImportError, match=r'pip install matplotlib \(or pip install "\.\[plot\]"'):
        history.plot(tmp_path / "curves.png")


def test_plot_writes_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    history = History()
    for epoch, loss in enumerate([1.0, 0.5, 0.3], 1):
        history.append(epoch, {"loss": loss, "accuracy": 1 - loss, "val_loss": loss + 0.1})
    history.plot(tmp_path / "curves.png")
    assert (tmp_path / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_save_and_load_round_trip_exactly(tmp_path):
    model = small_model()
    history = fit(model, nn.MSELoss(), optim.SGD(model.parameters(), lr=0.1),
                  DataLoader(problem(), batch_size=16), DataLoader(problem(16, 1), batch_size=16),
                  epochs=3, metrics=["accuracy"], progress=False)  # fmt: skip
    history.save(tmp_path / "history.json")
    loaded = History.load(tmp_path / "history.json")
    assert loaded == history and loaded.epochs == [1, 2, 3]
    assert loaded["val_loss"] == history["val_loss"]  # floats exactly, not to some digits
    data = json.loads((tmp_path / "history.json").read_text())
    assert data["format"] == "minitorch.history" and data["history"]["loss"] == history["loss"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.json"]  # no temp file left


def test_save_is_atomic_and_load_checks_the_file(tmp_path, monkeypatch):
    path = tmp_path / "h.json"
    old = History()
    old.append(1, {"loss": 1.0})
    old.save(path)
    before = path.read_bytes()
    new = History()
    new.append(1, {"loss": math.nan, "accuracy": 0.5})

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("minitorch.utils.atomic.os.replace", crash)
    with pytest.raises(KeyboardInterrupt):
        new.save(path)
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["h.json"]
    monkeypatch.undo()
    new.save(path)
    assert math.isnan(History.load(path)["loss"][0])
    (tmp_path / "other.json").write_text('{"loss": [1.0]}')
    with pytest.raises(ValueError, match="not a history written by History.save"):
        History.load(tmp_path / "other.json")
