"""Shared fixtures: every device-aware test runs on ``cpu`` and, where a GPU exists, ``cuda``.

``pytest --device=cpu`` (or ``MINITORCH_TEST_DEVICES=cpu``) limits the devices; without CuPy or a
GPU the ``cuda`` cases are reported as skipped.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

import minitorch as mt


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--device",
        default=os.environ.get("MINITORCH_TEST_DEVICES", "all"),
        help="devices to run device-parametrised tests on: cpu, cuda or all (default)",
    )


def _wanted(config: pytest.Config) -> list[str]:
    choice = config.getoption("--device")
    return ["cpu", "cuda"] if choice == "all" else [d.strip() for d in choice.split(",")]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "device" in metafunc.fixturenames:
        params = []
        for name in _wanted(metafunc.config):
            marks = []
            if name == "cuda":
                marks = [
                    pytest.mark.cuda,
                    pytest.mark.skipif(not mt.cuda.is_available(), reason="needs CuPy and a GPU"),
                ]
            params.append(pytest.param(name, marks=marks, id=name))
        metafunc.parametrize("device", params)


@pytest.fixture(autouse=True)
def _seed() -> None:
    mt.manual_seed(0)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(0)


@pytest.fixture
def torch():
    """PyTorch as an oracle; the test is skipped where it is not installed."""
    torch = pytest.importorskip("torch")
    torch.set_default_dtype(torch.float64)
    yield torch
    torch.set_default_dtype(torch.float32)
