import runpy
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "compare_optimizers.py"


def test_compare_optimizers_runs_and_learns(capsys, monkeypatch, tmp_path):
    module = runpy.run_path(str(SCRIPT))
    curves = module["main"](["--epochs", "2", "--hidden", "16"])
    out = capsys.readouterr().out
    names = [
        "SGD",
        "SGD+mom",
        "Adam",
        "AdamW",
        "RMSprop",
        "Adagrad",
        "L2 (wd)",
        "L2 (pen)",
        "L1 (pen)",
    ]
    assert list(curves) == names
    for name in names:
        assert name in out.splitlines()[0]
        assert len(curves[name]) == 2 and curves[name][1] < curves[name][0]  # every run learns
    assert "L2 via weight_decay vs via penalty" in out


def test_compare_optimizers_plot(capsys, tmp_path):
    pytest.importorskip("matplotlib")  # without it --plot is refused (tests/examples/test_cli.py)
    module = runpy.run_path(str(SCRIPT))
    target = tmp_path / "curves.png"
    module["main"](["--epochs", "1", "--only", "SGD", "Adam", "--plot", str(target)])
    assert target.exists() and target.stat().st_size > 0


@pytest.mark.skipif(sys.platform == "win32", reason="subprocess path quoting")
def test_compare_optimizers_as_a_script(tmp_path):
    import subprocess

    result = subprocess.run([sys.executable, str(SCRIPT), "--epochs", "1", "--only", "Adagrad"],
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Adagrad" in result.stdout and "test%" in result.stdout
