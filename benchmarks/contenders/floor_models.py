"""The NumPy floor as a contender: hand-written MLP and LeNet (CPU only, no LSTM/transformer)."""

import ctypes
import glob
import os

import numpy as np

from benchmarks.contenders import Unavailable
from benchmarks.floor import MLP, SGD, Adam, LeNet
from benchmarks.specs import model_batch, shared_init


def setup(device: str, options: dict) -> dict:
    if device != "cpu":
        raise Unavailable("the floor is NumPy code: CPU only")
    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    if options.get("threads"):  # run.py --threads N
        _limit_blas(options["threads"])
    return {
        "version": f"numpy {np.__version__}",
        "blas": f"{blas.get('name')} {blas.get('version')}{_openblas_runtime()}",
    }


def _limit_blas(threads: int) -> None:
    try:
        import threadpoolctl
    except ImportError as error:
        raise Unavailable("--threads for the floor needs threadpoolctl") from error
    threadpoolctl.threadpool_limits(limits=threads)


def _openblas_runtime() -> str:
    """The kernel set and thread count OpenBLAS chose at run time, when it can be asked."""
    libs = os.path.join(os.path.dirname(np.__file__) + ".libs", "*openblas*")
    for path in glob.glob(libs):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for suffix in ("64_", ""):
            corename = getattr(lib, f"scipy_openblas_get_corename{suffix}", None)
            threads = getattr(lib, f"scipy_openblas_get_num_threads{suffix}", None)
            if corename and threads:
                corename.restype = ctypes.c_char_p
                return f" ({corename().decode()} kernels, {threads()} threads)"
    return ""


class FloorStep:
    """The floor's training step, with the same phases as ``common.TrainStep``."""

    def __init__(self, model, optimizer, x, target):
        self.model, self.optimizer, self.x, self.target = model, optimizer, x, target

    def zero_grad(self):
        pass  # the floor writes gradients instead of accumulating them

    def forward(self):
        self.loss = self.model.forward(self.x, self.target)

    def backward(self):
        self.model.backward()

    def step(self):
        self.optimizer.step()

    def sync(self):
        pass

    def loss_value(self) -> float:
        return self.loss


def build(kind: str, name: str, spec: dict, device: str, seed: int):
    if kind != "model" or spec["family"] not in ("mlp", "lenet"):
        raise Unavailable("the floor has only the MLP and LeNet")
    n = spec["batch"]
    if spec["family"] == "mlp":
        model = MLP(n, spec["sizes"])
        impl = "NumPy MLP, preallocated buffers"
    else:
        model = LeNet(n, spec["image"], spec["channels"], spec["hidden"], spec["classes"])
        impl = "NumPy LeNet, NHWC im2col + GEMM, preallocated buffers"
    params = model.params
    params.load(shared_init([(k, v.shape) for k, v in params.params.items()], seed))
    if spec["optimizer"] == "sgd":
        optimizer = SGD(params, spec["lr"], spec["momentum"])
    else:
        optimizer = Adam(params, spec["lr"])
    x, target = model_batch(spec, seed)
    info = {
        "impl": impl + ", flat in-place optimizer",
        "init": "shared",
        "parameters": int(params.data.size),
    }
    return FloorStep(model, optimizer, x, target), info
