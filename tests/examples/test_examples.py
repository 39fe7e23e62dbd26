"""Each example runs (with small settings) and does what it says; the main job at full settings."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

import minitorch as mt

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_train_digits_main_job_reaches_97_percent(capsys):
    # How long it takes is a benchmark matter (timed unit tests fail on a loaded machine).
    accuracy = _load("train_digits").main(["--quiet"])  # the README command's default settings
    assert accuracy >= 0.97, capsys.readouterr().out
    assert "test accuracy" in capsys.readouterr().out


def test_train_digits_saves_resumes_and_plots(tmp_path, capsys):
    example = _load("train_digits")
    ckpt = tmp_path / "digits.ckpt"
    example.main(["--quiet", "--epochs", "2", "--save", str(ckpt)])
    saved = mt.load(ckpt)
    assert saved["epoch"] == 2 and set(saved) >= {"model", "optimizer", "scheduler"}
    example.main(["--quiet", "--epochs", "3", "--resume", str(ckpt)])
    out = capsys.readouterr().out
    assert "epoch   3" in out and "epoch   1 " not in out.split("saved checkpoint")[-1]
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        with pytest.raises(SystemExit):  # refused before training (tests/examples/test_cli.py)
            example.main(["--quiet", "--epochs", "1", "--plot", str(tmp_path / "c.png")])
    else:
        example.main(["--quiet", "--epochs", "1", "--plot", str(tmp_path / "c.png")])
        assert (tmp_path / "c.png").stat().st_size > 0


def test_train_digits_on_a_device(device, capsys):
    assert _load("train_digits").main(["--quiet", "--epochs", "3", "--device", device]) > 0.8


def test_custom_layer(capsys):
    assert _load("custom_layer").main(["--epochs", "3"]) > 0.8
    assert "gradcheck: True" in capsys.readouterr().out


def test_backprop_by_hand(capsys):
    assert _load("backprop_by_hand").main([]) < 1e-12


@pytest.mark.skipif(not hasattr(mt.nn, "Conv2d"), reason="needs nn.Conv2d")
def test_cnn_digits_reaches_98_percent(capsys):
    assert _load("cnn_digits").main([]) >= 0.98


def test_examples_have_no_side_effects_on_import():
    for path in (p for p in EXAMPLES.glob("*.py") if p.stem != "cli_args"):  # not a script
        assert 'if __name__ == "__main__":' in path.read_text(), path.name
    assert "example_train_digits" not in sys.modules


def test_char_lstm_loss_falls_and_it_samples_text(device, capsys):
    args = ["--steps", "40", "--log-every", "20", "--length", "30", "--device", device]
    result = _load("char_lstm").main(args)
    losses, text = result["losses"], result["sample"]
    out = capsys.readouterr().out
    assert "Beautiful is" not in out.split("sample")[0]  # the Zen was not printed on import
    assert losses[0] > 3.5 and losses[-1] < 2.0, out  # from ~ln(45) = 3.8 to well below
    assert text.startswith("Beautiful") and len(text) == len("Beautiful") + 30
    assert text in out and "loss" in out
