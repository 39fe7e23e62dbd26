"""PyTorch contender: the shared models on ``torch.nn``, with PyTorch's default settings.

The only setting changed is the intra-op thread count, set to the cores this process may use
(2 on the reference machine), so torch and NumPy's OpenBLAS use the same number of cores.
"""

import os

import torch

from benchmarks.contenders import Unavailable, common


def setup(device: str, options: dict) -> dict:
    if device == "cuda" and not torch.cuda.is_available():
        raise Unavailable("torch.cuda.is_available() is False")
    if device == "cpu":
        threads = options.get("torch_threads") or options.get("threads") or usable_cores()
        torch.set_num_threads(threads)
    return {
        "version": torch.__version__,
        "threads": torch.get_num_threads(),
        "cuda": torch.version.cuda,
    }


def build(kind: str, name: str, spec: dict, device: str, seed: int):
    dev = torch.device(device)
    sync = torch.cuda.synchronize if dev.type == "cuda" else _nothing
    torch.manual_seed(seed)

    def tensor(array, requires_grad=False):
        return torch.from_numpy(array).to(dev).requires_grad_(requires_grad)

    def to_device(module):
        return module.to(dev)

    if kind == "model":
        return common.train_step(torch, spec, tensor, to_device, sync, seed)
    if not hasattr(torch.nn, name):
        raise Unavailable(f"torch.nn has no {name}")
    return common.layer_step(torch, name, spec, tensor, to_device, sync, seed)


def usable_cores() -> int:
    """Cores this process may run on (its affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _nothing():
    pass
