"""The namespaces programs touch: ``mt.cuda``, ``mt.accelerator``, ``mt.backends``,
``mt.random`` and the torch-level names, with PyTorch's answers on a machine without a GPU."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import minitorch as mt

torch = pytest.importorskip("torch")
no_gpu = pytest.mark.skipif(mt.cuda.is_available(), reason="checks the answers without a GPU")

# names that the official examples, the tutorials, nanoGPT and minGPT take from torch
TORCH_NAMES = """
tensor as_tensor from_numpy zeros ones empty full arange linspace logspace eye zeros_like
ones_like empty_like full_like rand_like randn_like randint_like rand randn randint randperm
multinomial bernoulli normal manual_seed seed initial_seed get_rng_state set_rng_state Generator
default_generator Size is_tensor numel is_floating_point is_complex set_printoptions finfo iinfo
float float32 float64 double half float16 bfloat16 long int64 int int32 short int16 int8 uint8 bool
complex64 cfloat set_default_dtype get_default_dtype promote_types result_type can_cast device
get_num_threads set_num_threads cuda accelerator backends random no_grad enable_grad
set_float32_matmul_precision get_float32_matmul_precision
""".split()


@pytest.mark.parametrize("name", TORCH_NAMES)
def test_torch_names_exist(name):
    if name == "bfloat16":
        pytest.importorskip("ml_dtypes")
    assert hasattr(mt, name) and hasattr(torch, name)


@no_gpu
def test_cuda_answers_without_a_gpu():
    assert mt.cuda.is_available() is torch.cuda.is_available() is False
    assert mt.cuda.device_count() == torch.cuda.device_count() == 0
    assert mt.cuda.memory_allocated() == torch.cuda.memory_allocated() == 0
    assert mt.cuda.memory_reserved() == 0
    assert mt.cuda.is_bf16_supported() is False
    mt.cuda.manual_seed(0)  # nothing to seed, as in PyTorch
    mt.cuda.manual_seed_all(0)
    mt.cuda.synchronize()
    mt.cuda.empty_cache()
    for call in (mt.cuda.current_device, mt.cuda.get_device_name, lambda: mt.cuda.set_device(0),
                 mt.cuda.get_device_capability):  # fmt: skip
        with pytest.raises(RuntimeError, match="CUDA is not available"):
            call()


@no_gpu
def test_accelerator_without_a_gpu():
    assert mt.accelerator.is_available() is torch.accelerator.is_available() is False
    assert mt.accelerator.current_accelerator() is torch.accelerator.current_accelerator() is None
    assert mt.accelerator.device_count() == 0
    mt.accelerator.synchronize()
    device = mt.accelerator.current_accelerator() or "cpu"
    assert mt.ones(1, device=device).device == mt.device("cpu")


@pytest.mark.skipif(not mt.cuda.is_available(), reason="needs CuPy and a GPU")
def test_cuda_answers_with_a_gpu():
    assert mt.accelerator.current_accelerator() == mt.device("cuda")
    assert isinstance(mt.cuda.get_device_name(), str) and mt.cuda.get_device_name()
    assert len(mt.cuda.get_device_capability()) == 2
    mt.cuda.set_device(0)
    assert mt.cuda.current_device() == 0
    before = mt.cuda.memory_allocated()
    x = mt.zeros(1 << 20, device="cuda")
    assert mt.cuda.memory_allocated() >= before + x.nbytes
    mt.cuda.manual_seed(3)
    a = mt.rand(3, device="cuda").tolist()
    mt.cuda.manual_seed_all(3)
    assert mt.rand(3, device="cuda").tolist() == a
    with pytest.raises(RuntimeError, match="invalid device ordinal"):
        mt.cuda.set_device(mt.cuda.device_count())


def test_cudnn_and_mps_flags_are_torchs_and_settable():
    cudnn = mt.backends.cudnn
    for name in ("enabled", "benchmark", "deterministic", "allow_tf32"):
        assert getattr(cudnn, name) == getattr(torch.backends.cudnn, name)
    cudnn.benchmark, cudnn.deterministic = True, True
    try:
        assert cudnn.benchmark and cudnn.deterministic
        with cudnn.flags(enabled=True, benchmark=False, deterministic=False):
            assert not cudnn.benchmark
        assert cudnn.benchmark
    finally:
        cudnn.benchmark, cudnn.deterministic = False, False
    assert cudnn.is_available() is False and cudnn.version() is None
    assert mt.backends.mps.is_available() is torch.backends.mps.is_available() is False


def test_tf32_switch_reaches_cupy(monkeypatch):
    monkeypatch.delenv("CUPY_TF32", raising=False)
    matmul = mt.backends.cuda.matmul
    assert matmul.allow_tf32 is torch.backends.cuda.matmul.allow_tf32 is False
    try:
        matmul.allow_tf32 = True
        assert os.environ["CUPY_TF32"] == "1"  # what CuPy reads at its first float32 matmul
        assert mt.get_float32_matmul_precision() == "high"
        mt.set_float32_matmul_precision("highest")
        assert matmul.allow_tf32 is False and os.environ["CUPY_TF32"] == "0"
    finally:
        matmul.allow_tf32 = False
    with pytest.raises(ValueError, match="set_float32_matmul_precision"):
        mt.set_float32_matmul_precision("low")


def test_import_stays_light():
    code = (
        "import sys, minitorch; "
        "print([m for m in ('ml_dtypes', 'threadpoolctl', 'cupy') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "MINITORCH_DEVICE": "cpu"}).stdout  # fmt: skip
    assert out.strip() == "[]"
