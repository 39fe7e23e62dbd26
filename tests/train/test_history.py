"""``History``: per-epoch logs and their plot."""

import sys

import pytest

from minitorch.train import History


def test_plot_without_matplotlib_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    monkeypatch.setitem(sys.modules, "matplotlib.backends.backend_agg", None)
    history = History()
    history.append(1, {"loss": 1.0})
    with pytest.raises(ImportError, match=r'pip install "minitorch\[plot\]"'):
        history.plot(tmp_path / "curves.png")


def test_plot_writes_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    history = History()
    for epoch, loss in enumerate([1.0, 0.5, 0.3], 1):
        history.append(epoch, {"loss": loss, "accuracy": 1 - loss, "val_loss": loss + 0.1})
    history.plot(tmp_path / "curves.png")
    assert (tmp_path / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
