"""minitorch contender: the shared models through minitorch's PyTorch-compatible API.

Uses only the public API (``mt.tensor``, ``nn.*``, ``optim.*``, ``.to(device)``, ``.backward()``,
``model.zero_grad()``, ``mt.manual_seed``). While minitorch is being written, whatever is
missing (the package, a layer, a method) makes that benchmark "n/a" instead of an error: the
worker turns ImportError, AttributeError and NotImplementedError into ``Unavailable``.
The transformer uses ``nn.TransformerEncoderLayer`` when it exists, otherwise the same block
built from ``nn.MultiheadAttention``, ``nn.LayerNorm`` and ``nn.Linear``.
"""

import minitorch as mt
from benchmarks.contenders import Unavailable, common


def setup(device: str, options: dict) -> dict:
    if device == "cuda" and not mt.cuda.is_available():
        raise Unavailable("minitorch.cuda.is_available() is False")
    if options.get("threads"):  # run.py --threads N: BLAS and minitorch's own pool
        mt.set_num_threads(options["threads"])
    threads = mt.get_num_threads() if hasattr(mt, "get_num_threads") else None
    return {"version": getattr(mt, "__version__", "unknown"), "threads": threads}


def build(kind: str, name: str, spec: dict, device: str, seed: int):
    dev = mt.device(device) if device != "cpu" else None
    if hasattr(mt, "manual_seed"):
        mt.manual_seed(seed)

    def tensor(array, requires_grad=False):
        kwargs = {"requires_grad": True} if requires_grad else {}
        return (
            mt.tensor(array, **kwargs) if dev is None else mt.tensor(array, device=dev, **kwargs)
        )

    def to_device(module):
        return module if dev is None else module.to(dev)

    sync = _synchronizer(device)
    if kind == "model":
        return common.train_step(mt, spec, tensor, to_device, sync, seed)
    return common.layer_step(mt, name, spec, tensor, to_device, sync, seed)


def _synchronizer(device: str):
    if device == "cpu":
        return lambda: None
    cuda = getattr(mt, "cuda", None)
    if hasattr(cuda, "synchronize"):
        return cuda.synchronize
    try:  # minitorch's CUDA backend is CuPy: wait for its current stream
        import cupy
    except ImportError as error:
        raise Unavailable("no minitorch.cuda.synchronize and no CuPy to time GPU work") from error
    return lambda: cupy.cuda.get_current_stream().synchronize()
