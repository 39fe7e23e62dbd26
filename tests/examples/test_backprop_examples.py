"""The backprop-made-visible examples run in seconds and show what they say they show."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import pytest

from minitorch import viz

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_computation_graph_worked_examples(tmp_path, capsys):
    results = _load("computation_graph").main(["--out", str(tmp_path)])
    assert results["J"]["value"] == 33 and results["J"]["grads"] == {"a": 3, "b": 6, "c": 9}
    assert results["e"]["value"] == 6 and results["e"]["grads"] == {"a": 2, "b": 5}
    assert results["f"]["value"] == -12 and results["f"]["grads"] == {"x": -4, "y": -4, "z": 3}
    out = capsys.readouterr().out
    assert "J at a=5, b=3, c=2: u = 6, v = 11, J = 33" in out
    assert "dJ/db = 6   (nudge b by 0.001: J moves by +0.006000" in out
    dot = (tmp_path / "J.dot").read_text()
    assert dot == results["J"]["dot"] and "dJ/dc = 9" in dot and "v = Add" in dot
    suffixes = {p.suffix for p in tmp_path.iterdir()}
    assert suffixes == ({".dot", ".svg"} if viz.rendering_available() else {".dot"})


def test_vanishing_gradients_sigmoid_vanishes_relu_does_not(capsys):
    start = time.perf_counter()
    results = _load("vanishing_gradients").main([])
    assert time.perf_counter() - start < 20
    assert results["sigmoid"]["ratio"] < 0.1  # first hidden layer >10x slower than the last
    assert results["relu + He"]["ratio"] > 0.1
    assert results["relu + He"]["accuracy"] > 0.8
    out = capsys.readouterr().out
    assert "hidden layer 4" in out and "sigmoid: vanishing: layer 1" in out
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        with pytest.raises(SystemExit):  # refused before training (tests/examples/test_cli.py)
            _load("vanishing_gradients").main(["--epochs", "1", "--plot", "speeds.png"])


def test_gradient_check_by_hand_counts_passes_and_agrees(capsys):
    results = _load("gradient_check_by_hand").main([])
    assert results["weights"] == 43 and results["forward_passes"] == 86
    assert results["max_error"] < 1e-8 and results["gradcheck"] is True
    assert results["speedup_big"] > 10
    assert "86 forward passes (2 per weight)" in capsys.readouterr().out
