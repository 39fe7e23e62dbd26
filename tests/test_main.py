"""``python -m minitorch``: the doctor prints versions, BLAS, CUDA and a verdict per backend."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import minitorch as mt

ROOT = Path(__file__).resolve().parents[1]


def doctor(extra_path: Path | None = None) -> dict[str, str]:
    """Run ``python -m minitorch``; its lines as ``{key: rest}`` (checked to be key: value)."""
    path = [str(ROOT)] + ([str(extra_path)] if extra_path is not None else [])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    result = subprocess.run([sys.executable, "-m", "minitorch"], cwd=ROOT, env=env, text=True,
                            capture_output=True, timeout=120)  # fmt: skip
    assert result.returncode == 0 and result.stderr == "", result.stderr
    lines = {}
    for line in result.stdout.splitlines():
        key, sep, rest = line.partition(": ")
        if line.startswith("  "):  # a GPU under the CUDA line
            lines.setdefault("devices", []).append(line.strip())
            continue
        assert sep, f"not a 'key: value' line: {line!r}"
        lines[key] = rest
    return lines


def test_reports_versions_blas_and_a_verdict_per_backend():
    lines = doctor()
    assert lines["minitorch"].startswith(f"{mt.__version__} (")
    assert str(ROOT / "minitorch") in lines["minitorch"]  # which copy was imported
    assert lines["Python"].startswith(platform.python_version())
    assert lines["NumPy"] == np.__version__
    assert lines["BLAS"].split()[0] in {"openblas", "mkl", "blis", "accelerate", "scipy-openblas",
                                        "openblas64", "unknown"}  # fmt: skip
    assert "tqdm " in lines["optional"] and "tensorboardX " in lines["optional"]
    assert lines["cpu"] == f"available: NumPy {np.__version__}, a test computation ran"
    assert lines["default device"].startswith("cpu")


@pytest.mark.skipif(mt.cuda.is_available(), reason="checks the report without CuPy")
def test_without_cupy_says_what_to_install():
    try:
        import cupy  # noqa: F401
    except ImportError:
        lines = doctor()
        assert lines["CuPy"] == "not installed"
        assert lines["cuda"].startswith("not available: CuPy is not installed; "
                                        "pip install cupy-cuda12x (CUDA 12.x)")  # fmt: skip
    else:
        pytest.skip("CuPy is installed here")


def _fake_cupy(tmp_path: Path, body: str) -> Path:
    package = tmp_path / "cupy"
    package.mkdir()
    (package / "__init__.py").write_text(textwrap.dedent(body))
    return tmp_path


def test_cupy_without_a_driver(tmp_path):
    fake = _fake_cupy(
        tmp_path,
        """
        __version__ = "14.0.0"
        class _Runtime:
            def getDeviceCount(self):
                raise RuntimeError("cudaErrorNoDevice: no CUDA-capable device is detected")
        class cuda:
            runtime = _Runtime()
    """,
    )
    lines = doctor(fake)
    assert lines["CuPy"] == "14.0.0"
    assert "no usable GPU (RuntimeError: cudaErrorNoDevice" in lines["CUDA"]
    assert lines["cuda"] == "not available: CuPy finds no usable GPU; check the NVIDIA driver"


def test_gpu_listed_but_a_computation_fails(tmp_path):
    fake = _fake_cupy(
        tmp_path,
        """
        __version__ = "14.0.0"
        class _Runtime:
            def getDeviceCount(self): return 1
            def runtimeGetVersion(self): return 12040
            def driverGetVersion(self): return 12080
            def getDeviceProperties(self, i):
                return {"name": b"Fake H200", "totalGlobalMem": 141 * 2**30, "major": 9,
                        "minor": 0}
        class cuda:
            runtime = _Runtime()
    """,
    )
    lines = doctor(fake)
    assert lines["CUDA"] == "runtime 12.4, driver supports up to 12.8"
    assert lines["devices"] == ["cuda:0: Fake H200, 141.0 GiB, compute capability 9.0"]
    assert lines["cuda"].startswith("not available: a test computation failed (")
    assert "pip install 'cupy-cuda12x[ctk]'" in lines["cuda"]
