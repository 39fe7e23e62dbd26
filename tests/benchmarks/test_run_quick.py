"""Smoke test of the benchmark harness: the tiny run end to end, its tables and its JSON.

No timing is asserted: only that every contender ran or said why not, in the promised shape.
"""

import importlib.util
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks import specs  # noqa: E402
from benchmarks.harness import summarize  # noqa: E402
from benchmarks.report import table  # noqa: E402

HAS_TORCH = importlib.util.find_spec("torch") is not None
STATUSES = {"ok", "n/a", "error"}


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "tiny.json"
    command = [
        sys.executable,
        str(ROOT / "benchmarks" / "run.py"),
        "--tiny",
        "--layers",
        "--json",
        str(out),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout, json.loads(out.read_text())


def test_tables_are_printed(tiny_run):
    stdout, _ = tiny_run
    assert "### Training step: median ms/step" in stdout
    assert "### Where the time goes" in stdout
    assert "### Layers: forward + backward" in stdout
    assert "| model " in stdout and "minitorch/torch" in stdout
    for name in specs.TINY_MODELS:
        assert f"| {name} " in stdout


def test_json_has_every_model_and_contender(tiny_run):
    _, results = tiny_run
    assert {"meta", "models", "layers"} <= results.keys()
    assert results["meta"]["mode"] == "tiny"
    assert results["models"].keys() == specs.TINY_MODELS.keys()
    for name, entry in results["models"].items():
        assert set(entry["contenders"]) == {"torch", "floor", "minitorch"}
        assert set(entry["ratios"]) == {"minitorch/torch", "minitorch/floor"}
        for contender, result in entry["contenders"].items():
            assert result["status"] in STATUSES, (name, contender)
            if result["status"] == "ok":
                check_ok(result)
            else:
                assert result["reason"], (name, contender)


def check_ok(result):
    assert result["median_ms"] > 0
    assert set(result["phases_ms"]) >= {"forward", "backward", "optimizer"}
    assert result["steps_timed"] == 2
    assert result["peak_rss_mib"] >= result["rss_import_mib"] > 0
    assert result["info"]["init"]


def test_torch_and_floor_run_and_agree(tiny_run):
    """Same weights and batch: after the same steps torch and the floor reach the same loss."""
    _, results = tiny_run
    for entry in results["models"].values():
        torch_result, floor = entry["contenders"]["torch"], entry["contenders"]["floor"]
        assert torch_result["status"] == ("ok" if HAS_TORCH else "n/a"), torch_result
        if entry["spec"]["family"] in ("mlp", "lenet"):
            assert floor["status"] == "ok", floor
            if HAS_TORCH:
                assert math.isclose(floor["final_loss"], torch_result["final_loss"], rel_tol=1e-4)
        else:
            assert floor["status"] == "n/a"


def test_minitorch_runs_or_says_why(tiny_run):
    _, results = tiny_run
    for section in ("models", "layers"):
        for entry in results[section].values():
            result = entry["contenders"]["minitorch"]
            assert result["status"] in STATUSES
            ratio = entry["ratios"]["minitorch/torch"]
            assert (ratio is None) == (result["status"] != "ok" or not HAS_TORCH)


def test_layers_section(tiny_run):
    _, results = tiny_run
    assert results["layers"].keys() == specs.TINY_LAYERS.keys()
    for entry in results["layers"].values():
        assert set(entry["contenders"]) == {"torch", "minitorch"}


def test_summarize_medians_and_phases():
    rounds = [[[0.0, 1.0, 2.0, 1.0], [0.0, 1.0, 4.0, 1.0]], [[0.5, 1.0, 2.0, 0.5]]]
    summary = summarize(rounds)
    assert summary["median_ms"] == 4.0
    assert summary["phases_ms"]["backward"] == 2.0
    assert summary["phases_ms"]["optimizer"] == 1.0
    assert summary["round_medians_ms"] == [5.0, 4.0]
    assert summary["steps_timed"] == 3


def test_table_pads_columns():
    text = table(["a", "bb"], [["xxx", "y"]])
    assert text.splitlines() == ["| a   | bb |", "| --- | -- |", "| xxx | y  |"]


def test_threads_reach_every_contender_and_compare_prints_ratios(tiny_run, tmp_path):
    _, first = tiny_run
    out = tmp_path / "one_thread.json"
    command = [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--tiny", "--threads", "1",
               "--models", "mlp", "--json", str(out)]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    second = json.loads(out.read_text())
    # minitorch's thread count includes BLAS's, which only threadpoolctl can change at run time
    tunable_blas = importlib.util.find_spec("threadpoolctl") is not None
    contenders = ("torch", "minitorch") if tunable_blas else ("torch",)
    if "minitorch" in contenders:
        assert "minitorch threads 1" in done.stdout
    for name, entry in second["models"].items():
        for contender, result in entry["contenders"].items():
            if contender in contenders and result["status"] == "ok":
                assert result["setup"]["threads"] == 1, (name, contender)
    old = tmp_path / "old.json"
    old.write_text(json.dumps(first))
    command = [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--compare", str(old),
               str(out)]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "minitorch new/old" in done.stdout
    rows = [line for line in done.stdout.splitlines() if line.startswith("| mlp")]
    assert rows and len(rows) == len(second["models"])
    assert all(re.search(r"\| \d+\.\d\dx +\|", row) for row in rows)  # ratios, not "-"


def test_layers_thread_scaling_table():
    command = [sys.executable, str(ROOT / "benchmarks" / "layers.py"), "--tiny", "--only",
               "Linear", "--scaling", "1", "2"]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "### Thread scaling" in done.stdout
    row = next(line for line in done.stdout.splitlines() if line.startswith("| Linear"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    ratio = r"\d+\.\d+x"
    assert len(cells) == 7 and re.fullmatch(ratio, cells[6])  # minitorch's speedup
    has_torch = importlib.util.find_spec("torch") is not None
    assert re.fullmatch(ratio if has_torch else "-", cells[3])  # torch's, where installed


def test_threads_must_be_positive():
    command = [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--tiny", "--threads", "0"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "--threads must be >= 1" in done.stderr
