"""The examples' command lines: defaults shown in ``--help``, bad values refused before any
training with a message that names the option, ``--plot`` checked for matplotlib up front."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SCRIPTS = sorted(p.stem for p in EXAMPLES.glob("*.py") if p.stem != "cli_args")  # a helper


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"cli_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _exit(name: str, argv: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        _load(name).main(argv)
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


@pytest.mark.parametrize("name", SCRIPTS)
def test_help_shows_the_defaults(name, capsys, monkeypatch):
    formatters = []
    real_init = argparse.ArgumentParser.__init__

    def spy(self, *args, **kwargs):
        formatters.append(kwargs.get("formatter_class"))
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(argparse.ArgumentParser, "__init__", spy)
    code, out, _ = _exit(name, ["--help"], capsys)
    assert code == 0 and out.startswith("usage:")
    assert formatters == [argparse.ArgumentDefaultsHelpFormatter]
    for flag, default in {"--epochs": None, "--lr": None, "--seed": "0"}.items():
        if f"  {flag} " in out:
            entry = out[out.index(f"  {flag} ") :].split("\n  -")[0]
            assert "(default: " in entry, entry
            assert default is None or f"(default: {default})" in entry, entry


BAD = [
    ("train_digits", ["--epochs", "0"], "argument --epochs: must be > 0, got 0"),
    ("train_digits", ["--lr", "-0.1"], "argument --lr: must be > 0, got -0.1"),
    ("train_digits", ["--batch-size", "0"], "argument --batch-size: must be > 0, got 0"),
    ("train_digits", ["--lr", "nan"], "argument --lr: must be > 0, got nan"),
    ("train_digits", ["--epochs", "two"], "argument --epochs: invalid positive int value: 'two'"),
    ("train_digits", ["--device", "gpu"], "argument --device: unknown device type 'gpu'"),
    ("train_digits", ["--seed", "-1"], "argument --seed: must be >= 0, got -1"),
    ("cnn_digits", ["--epochs", "0"], "argument --epochs: must be > 0"),
    ("cnn_digits", ["--batch-size", "-4"], "argument --batch-size: must be > 0"),
    ("cnn_digits", ["--lr", "0"], "argument --lr: must be > 0"),
    ("custom_layer", ["--epochs", "0"], "argument --epochs: must be > 0"),
    ("compare_optimizers", ["--epochs", "0"], "argument --epochs: must be > 0"),
    ("compare_optimizers", ["--batch-size", "0"], "argument --batch-size: must be > 0"),
    ("compare_optimizers", ["--l2=-1e-3"], "argument --l2: must be >= 0"),
    ("compare_optimizers", ["--only", "Adamax"], "--only: unknown run(s) ['Adamax']"),
    ("char_lstm", ["--steps", "0"], "argument --steps: must be > 0"),
    ("char_lstm", ["--lr", "-1"], "argument --lr: must be > 0"),
    ("char_lstm", ["--batch-size", "0"], "argument --batch-size: must be > 0"),
    ("char_lstm", ["--temperature", "-0.5"], "argument --temperature: must be >= 0"),
    ("char_lstm", ["--prompt", "¿"], "--prompt must be non-empty and use characters of the"),
    ("char_lstm", ["--seq-len", "5000"], "--seq-len must be below"),
    ("vanishing_gradients", ["--epochs", "0"], "argument --epochs: must be > 0"),
    ("vanishing_gradients", ["--lr", "-1"], "argument --lr: must be > 0"),
    ("gradient_check_by_hand", ["--epochs", "3"], "unrecognized arguments: --epochs 3"),
]


@pytest.mark.parametrize("name, argv, message", BAD, ids=[f"{b[0]} {' '.join(b[1])}" for b in BAD])
def test_bad_values_are_refused_before_training(name, argv, message, capsys, monkeypatch):
    import minitorch as mt

    def no_training(*args, **kwargs):
        raise AssertionError("training started before the arguments were checked")

    monkeypatch.setattr(mt, "manual_seed", no_training)  # every example seeds before training
    code, out, err = _exit(name, argv, capsys)
    assert code == 2 and message in err and out == "", err


@pytest.mark.parametrize("name", ["train_digits", "compare_optimizers", "vanishing_gradients"])
def test_plot_without_matplotlib_is_refused_before_training(name, capsys, monkeypatch):
    import minitorch as mt

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setattr(mt, "manual_seed", lambda *a: pytest.fail("training started"))
    code, _, err = _exit(name, ["--epochs", "1", "--plot", "curves.png"], capsys)
    assert code == 2 and "--plot needs matplotlib: pip install matplotlib" in err
