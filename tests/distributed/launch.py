"""Running rank programs under ``mpiexec`` from pytest (skipped cleanly without MPI).

The programs live in ``scripts/``; each asserts what it checks and exits non-zero on failure,
so a test checks the exit status and the output. The children get one BLAS thread each.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = Path(__file__).resolve().parent / "scripts"
_beside = Path(sys.executable).parent / "mpiexec"
MPIEXEC = str(_beside) if _beside.is_file() else shutil.which("mpiexec")
HAVE_MPI = MPIEXEC is not None and importlib.util.find_spec("mpi4py") is not None
needs_mpi = pytest.mark.skipif(
    not HAVE_MPI, reason="needs mpi4py and mpiexec (pip install mpi4py mpich)"
)


def child_env(**extra: str) -> dict:
    """The environment of a rank: this checkout first on the path, one BLAS thread."""
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", **extra)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def run_ranks(
    n: int, program: str | Path, *args: str, timeout: float = 60, **env: str
) -> subprocess.CompletedProcess:
    """``mpiexec -n N python PROGRAM ARGS``; PROGRAM is a name in ``scripts/`` or a path."""
    path = SCRIPTS / program if isinstance(program, str) else program
    cmd = [MPIEXEC, "-n", str(n), sys.executable, str(path), *args]
    return subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=child_env(**env),
        cwd=ROOT,
        stdin=subprocess.DEVNULL,  # mpiexec forwards its stdin to rank 0
    )


def run_python(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """``python ARGS`` without any MPI launcher (a world of one)."""
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=child_env(),
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
    )


def output(result: subprocess.CompletedProcess) -> str:
    return f"exit status {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n" + (
        result.stderr
    )
