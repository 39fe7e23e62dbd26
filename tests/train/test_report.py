"""What ``fit`` prints: bars in a terminal (80 columns, nothing cut), one line per epoch in a
log file, bars in a notebook, nothing with ``progress=False``; early stopping says why."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIT = """
import sys, types
if "notebook" in sys.argv:  # what a Jupyter kernel looks like from inside, minus the widgets
    shell = types.SimpleNamespace(config={"IPKernelApp": {}})
    sys.modules["IPython"] = types.SimpleNamespace(get_ipython=lambda: shell)
import minitorch as mt
from minitorch import nn, optim
from minitorch.data import DataLoader
from minitorch.train import EarlyStopping, fit
from tests.train.problem import problem, small_model
mt.manual_seed(0)
model = small_model()
progress = {"auto": None, "off": False, "bar": True}[sys.argv[1]]
fit(model, nn.MSELoss(), optim.SGD(model.parameters(), lr=0.0), DataLoader(problem(), 16),
    DataLoader(problem(16, 1), 16), epochs=9, metrics=["accuracy"], progress=progress,
    callbacks=[EarlyStopping("val_loss", patience=2)])
print("done")
"""
EPOCH = re.compile(r"^epoch (\d)/9  loss \S+  accuracy \S+  val_loss \S+  val_accuracy \S+  "
                   r"lr 0\.0000  \d+\.\d\ds$")  # fmt: skip
STOP = "EarlyStopping: stopped after epoch 3: val_loss did not improve for 2 epochs"


def run(*args, **kwargs):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("MINITORCH_PROGRESS", None)
    result = subprocess.run([sys.executable, "-c", FIT, *args], cwd=ROOT, env=env,
                            capture_output=True, timeout=120, **kwargs)  # fmt: skip
    # bytes decoded by hand: text=True would turn tqdm's carriage returns into newlines
    result.stdout, result.stderr = result.stdout.decode(), result.stderr.decode()
    return result


def test_in_a_log_file_one_plain_line_per_epoch():
    result = run("auto")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert [EPOCH.match(line).group(1) for line in lines[:3]] == ["1", "2", "3"], lines
    assert lines[3].startswith(STOP) and len(lines) == 4 and "\r" not in result.stderr
    assert result.stdout == "done\n"


def test_off_prints_nothing_and_forced_bars_draw_off_a_terminal():
    quiet = run("off")
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == "done\n"
    bars = run("bar")
    assert "\r" in bars.stderr and "fit:" in bars.stderr and "epoch/s" in bars.stderr
    assert STOP in bars.stderr and "val_accuracy" in bars.stderr


def test_in_a_notebook_bars_are_drawn():
    result = run("auto", "notebook")
    assert result.returncode == 0, result.stderr
    assert "\r" in result.stderr and "epoch/s" in result.stderr  # tqdm drew (text fallback:
    assert STOP in result.stderr  # ipywidgets is not installed here)


def _screen(raw: str) -> list[str]:
    """What a terminal shows, roughly: keep the text after the last carriage return of each
    line, drop ANSI escapes."""
    raw = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", raw)
    return [line.rsplit("\r", 1)[-1] for line in raw.replace("\r\n", "\n").split("\n")]


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_in_an_80_column_terminal_no_metric_is_cut():
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "80"}
    env.pop("MINITORCH_PROGRESS", None)
    child = subprocess.Popen([sys.executable, "-c", FIT, "auto"], cwd=ROOT, env=env,
                             stdin=follower, stdout=follower, stderr=follower)  # fmt: skip
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert child.wait(timeout=120) == 0
    os.close(leader)
    screen = _screen(b"".join(chunks).decode())
    assert all(len(line) <= 80 for line in screen), [s for s in screen if len(s) > 80]
    epochs = [
        i for i, line in enumerate(screen) if line.startswith("epoch ") and "  loss " in line
    ]
    assert len(epochs) == 3, screen
    for i in epochs:  # each epoch: one line to val_accuracy, then lr and the time, indented
        assert re.search(r"val_loss \d\.\d{4}  val_accuracy \d\.\d{4}$", screen[i]), screen[i]
        assert re.fullmatch(r" {9}  lr 0\.0000  \d+\.\d\ds", screen[i + 1]), screen[i + 1]
    assert any(line.startswith(STOP) for line in screen)
    assert any(re.match(r"fit: +33%\|", line) for line in screen)  # the epoch bar, 3 of 9
