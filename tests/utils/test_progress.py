"""Progress modes (bars, lines, nothing), notebook detection, and epoch lines that never cut a
metric at 80 columns."""

import sys
import types

import pytest

from minitorch.utils.progress import (
    format_epoch,
    format_metrics,
    format_value,
    in_notebook,
    progress_enabled,
    progress_mode,
)

LOGS = {"loss": 0.123456, "accuracy": 0.95, "val_loss": 0.2345678, "val_accuracy": 0.9012,
        "lr": 0.05, "val_top5_accuracy": 0.999}  # fmt: skip


def fake_ipython(monkeypatch, kernel: bool) -> None:
    """What Jupyter's kernel looks like from inside: IPython loaded, a shell with IPKernelApp."""
    shell = types.SimpleNamespace(config={"IPKernelApp": {}} if kernel else {})
    module = types.ModuleType("IPython")
    module.get_ipython = lambda: shell
    monkeypatch.setitem(sys.modules, "IPython", module)


def test_modes(monkeypatch):
    monkeypatch.delenv("MINITORCH_PROGRESS", raising=False)
    assert progress_mode(True) == "bar" and progress_mode(False) == "off"
    assert progress_mode("log") == "log" and progress_mode("bar") == "bar"
    assert progress_mode(None) == "log"  # pytest captures stderr: not a terminal
    monkeypatch.setenv("MINITORCH_PROGRESS", "0")
    assert progress_mode(None) == "off" and progress_mode(True) == "bar"  # an argument wins
    monkeypatch.setenv("MINITORCH_PROGRESS", "log")
    assert progress_mode(None) == "log" and not progress_enabled()
    monkeypatch.setenv("MINITORCH_PROGRESS", "1")
    assert progress_mode(None) == "bar" and progress_enabled()
    monkeypatch.setenv("MINITORCH_PROGRESS", "loud")
    with pytest.raises(ValueError, match="MINITORCH_PROGRESS must be one of"):
        progress_mode(None)
    with pytest.raises(ValueError, match="progress must be True, False, None or one of"):
        progress_mode("verbose")
    with pytest.raises(TypeError, match="progress must be a bool, None or a str, got int"):
        progress_mode(1)


def test_a_notebook_gets_bars_although_stderr_is_no_terminal(monkeypatch):
    monkeypatch.delenv("MINITORCH_PROGRESS", raising=False)
    monkeypatch.delitem(sys.modules, "IPython", raising=False)
    assert not in_notebook()
    fake_ipython(monkeypatch, kernel=False)  # plain IPython in a terminal: not a notebook
    assert not in_notebook() and progress_mode(None) == "log"
    fake_ipython(monkeypatch, kernel=True)
    assert in_notebook() and progress_mode(None) == "bar"


@pytest.mark.parametrize("width", [80, 60, 40])
def test_epoch_lines_wrap_at_metric_boundaries_and_cut_nothing(width):
    lines = format_epoch(12, 100, LOGS, seconds=1.234, width=width)
    assert len(lines) > 1 and all(len(line) <= width for line in lines)
    assert lines[0].startswith("epoch  12/100  loss 0.1235")
    text = " ".join(lines)
    for name, value in format_metrics(LOGS).items():
        assert f"{name} {value}" in text  # every metric whole, name and value together
    assert text.endswith("1.23s")
    assert all(line.startswith(" " * len("epoch  12/100")) for line in lines[1:])


def test_one_line_without_a_width_and_value_formats():
    (line,) = format_epoch(3, 20, LOGS)
    assert line.startswith("epoch  3/20  loss 0.1235  accuracy 0.9500  val_loss 0.2346")
    assert format_value(3e-5) == "3.000e-05" and format_value(0.0) == "0.0000"
    assert format_value(123456.0) == "1.235e+05" and format_value(7) == "7"
