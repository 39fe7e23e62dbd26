"""Backends and devices: parsing, defaults, seeding, and the no-GPU experience."""

import os
import subprocess
import sys

import numpy as np
import pytest

import minitorch as mt
from minitorch.backend import backend_for, get_backend


@pytest.mark.parametrize(
    "spec, text", [("cpu", "cpu"), ("cuda", "cuda:0"), ("cuda:1", "cuda:1"), ("CUDA:2", "cuda:2")]
)
def test_device_parsing(spec, text):
    assert str(mt.device(spec)) == text
    assert mt.device(spec) == text


@pytest.mark.parametrize("bad", ["tpu", "cuda:x", "cpu:1", ""])
def test_bad_device_strings_are_refused(bad):
    with pytest.raises(ValueError):
        mt.device(bad)


def test_cpu_tensor_lives_on_the_numpy_backend():
    t = mt.randn(2)
    assert t.device == "cpu" and get_backend(t.array) is backend_for("cpu")


@pytest.mark.skipif(mt.cuda.is_available(), reason="checks the experience without a GPU")
def test_asking_for_cuda_without_a_gpu_says_what_to_install():
    with pytest.raises(RuntimeError, match=r"pip install cupy-cuda12x|no usable GPU"):
        mt.zeros(2, device="cuda")
    assert mt.cuda.is_available() is False and mt.cuda.device_count() == 0


def test_default_device_and_env_variable(monkeypatch):
    monkeypatch.setattr("minitorch.backend.devices._default", None)
    monkeypatch.setenv("MINITORCH_DEVICE", "cpu")
    assert mt.get_default_device() == "cpu"
    mt.set_default_device("cpu")
    assert mt.zeros(1).device == "cpu"
    mt.set_default_device(None)


def test_manual_seed_reproduces_random_tensors():
    mt.manual_seed(7)
    a = mt.randn(3).numpy()
    mt.manual_seed(7)
    np.testing.assert_array_equal(a, mt.randn(3).numpy())
    assert mt.randn(3, dtype=mt.float32).dtype == mt.float32


def test_default_dtype_is_float32_and_python_floats_follow_it():
    assert mt.tensor([1.5]).dtype == mt.float32
    assert mt.tensor(np.array([1.5])).dtype == mt.float64  # arrays keep their dtype
    assert mt.tensor([1, 2]).dtype == mt.int64


def test_import_is_light_and_fast():
    code = (
        "import sys, time; import numpy; t = time.perf_counter(); import minitorch; "
        "dt = time.perf_counter() - t; "
        "heavy = [m for m in ('cupy', 'torch', 'matplotlib', 'tqdm') if m in sys.modules]; "
        "print(dt, heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "MINITORCH_DEVICE": "cpu"}).stdout  # fmt: skip
    seconds, heavy = out.split(" ", 1)
    assert heavy.strip() == "[]"
    assert float(seconds) < 1.0  # the budget is 0.3 s; a loose bound keeps CI noise out


@pytest.mark.parametrize("m, k, n", [(3, 5, 7), (7, 5, 3), (1, 4, 1), (6, 6, 6)])
def test_backend_matmul_equals_plain_matmul(m, k, n):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((m, k)), rng.standard_normal((k, n))
    fast = backend_for("cpu").matmul(a, b)
    np.testing.assert_allclose(fast, a @ b, rtol=1e-13, atol=1e-13)
    assert fast.shape == (m, n)


@pytest.mark.parametrize(
    "a_shape, transposed",
    [((2, 3, 5), False), ((4, 2, 3, 5), False), ((5,), False), ((0, 3, 5), False),
     ((2, 0, 5), False), ((3, 2, 5), True)],
)  # fmt: skip
def test_rows_matmul_equals_batched_matmul(a_shape, transposed):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(a_shape), rng.standard_normal((5, 4))
    if transposed:  # a non-contiguous (2, 3, 5) view
        a = np.ascontiguousarray(a.swapaxes(0, 1)).swapaxes(0, 1)
    rows = backend_for("cpu").rows_matmul(a, b)
    assert rows.shape == (a @ b).shape == (*a_shape[:-1], 4)
    np.testing.assert_allclose(rows, a @ b, rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("kind", ["uniform", "skewed", "all_same", "negative"])
def test_scatter_add_rows_equals_add_at_bit_for_bit(kind):
    rng = np.random.default_rng(1)
    n = 500
    index = {
        "uniform": rng.integers(0, 50, n),
        "skewed": np.minimum(rng.zipf(1.5, n), 49),
        "all_same": np.full(n, 7),
        "negative": rng.integers(-50, 50, n),
    }[kind]
    values = rng.standard_normal((n, 3))
    expected = rng.standard_normal((50, 3))
    target = expected.copy()
    np.add.at(expected, index, values)
    backend_for("cpu").scatter_add(target, index, values)
    np.testing.assert_array_equal(target, expected)
