"""``mt.cuda``: is a GPU usable from here, which one is current, how much memory is in use.

CuPy is imported only when a GPU is asked about. Without CuPy or a GPU the answers are
PyTorch's on a machine without one: ``is_available()`` False, ``device_count()`` 0,
``memory_allocated()`` 0, ``is_bf16_supported()`` False, ``manual_seed`` / ``synchronize`` /
``empty_cache`` do nothing; ``current_device``, ``set_device`` and ``get_device_name`` raise
a RuntimeError that says why no GPU is usable.

Note: ``mt.device("cuda")`` always means ``cuda:0`` in minitorch; ``set_device(i)`` makes GPU
``i`` CuPy's current device but does not change what ``"cuda"`` means (name ``cuda:i``).
"""

from __future__ import annotations

from typing import Any

from minitorch.backend import all_backends, as_device, backend_for, cuda_device_count, cuda_runtime


def is_available() -> bool:
    """True when CuPy is installed and at least one GPU is visible."""
    return cuda_device_count() > 0


def device_count() -> int:
    return cuda_device_count()


def _require(what: str) -> None:
    try:
        count = cuda_device_count(raise_reason=True)
    except RuntimeError as err:
        raise RuntimeError(f"mt.cuda.{what}: CUDA is not available: {err}") from None
    if count == 0:
        raise RuntimeError(f"mt.cuda.{what}: CUDA is not available: no GPU is visible")


def _index(device: Any, what: str) -> int:
    """The GPU index of ``device`` (None: the current one; an int; ``"cuda:1"``; a device)."""
    _require(what)
    if device is None:
        return cuda_runtime.current_device()
    if isinstance(device, int) and not isinstance(device, bool):
        index = device
    else:
        dev = as_device(device)
        if dev.type != "cuda":
            raise ValueError(f"mt.cuda.{what}: expected a cuda device, got {dev}")
        index = dev.index
    if not 0 <= index < cuda_device_count():
        raise RuntimeError(
            f"mt.cuda.{what}: invalid device ordinal {index} ({cuda_device_count()} visible)"
        )
    return index


def current_device() -> int:
    """The index of the current GPU."""
    return _index(None, "current_device")


def set_device(device: Any) -> None:
    """Make ``device`` (an index, ``"cuda:1"`` or a device) the current GPU."""
    cuda_runtime.set_device(_index(device, "set_device"))


def get_device_name(device: Any = None) -> str:
    """The GPU's product name, e.g. ``"NVIDIA H100 80GB HBM3"``."""
    return cuda_runtime.device_properties(_index(device, "get_device_name"))["name"]


def get_device_capability(device: Any = None) -> tuple[int, int]:
    """The GPU's compute capability ``(major, minor)``."""
    props = cuda_runtime.device_properties(_index(device, "get_device_capability"))
    return int(props["major"]), int(props["minor"])


def get_device_properties(device: Any = None) -> dict:
    """``cudaGetDeviceProperties`` as a dict (``name``, ``totalGlobalMem``, ``major`` ...)."""
    return cuda_runtime.device_properties(_index(device, "get_device_properties"))


def is_bf16_supported(including_emulation: bool = True) -> bool:
    """False: CuPy has no bfloat16 arrays, so minitorch cannot compute in bfloat16 on a GPU
    (bfloat16 works on the CPU through ml_dtypes)."""
    return False


def manual_seed(seed: int) -> None:
    """Seed the current GPU's generator (nothing to do without a GPU, as in PyTorch)."""
    if is_available():
        backend_for(f"cuda:{current_device()}").seed(int(seed))


def manual_seed_all(seed: int) -> None:
    """Seed every GPU's generator (nothing to do without a GPU)."""
    for index in range(device_count()):
        backend_for(f"cuda:{index}").seed(int(seed))


def synchronize(device: Any = None) -> None:
    """Wait for all queued GPU work (for timing); a no-op without a GPU."""
    for backend in all_backends():
        if device is None or backend.device == as_device(device):
            backend.synchronize()


def empty_cache() -> None:
    """Give CuPy's cached, unused GPU memory blocks back to the driver."""
    for backend in all_backends():
        backend.empty_cache()


def memory_allocated(device: Any = None) -> int:
    """Bytes of GPU memory held by live arrays on ``device`` (0 without a GPU)."""
    if not is_available():
        return 0
    return cuda_runtime.memory_allocated(_index(device, "memory_allocated"))


def memory_reserved(device: Any = None) -> int:
    """Bytes of GPU memory CuPy's pool holds on ``device``, in use or cached (0 without a GPU)."""
    if not is_available():
        return 0
    return cuda_runtime.memory_reserved(_index(device, "memory_reserved"))
