"""``python -m minitorch``: what minitorch sees on this machine, for bug reports.

Prints the versions of minitorch, Python and NumPy, the BLAS NumPy calls (from threadpoolctl
when installed, else NumPy's build configuration), CuPy, CUDA and the GPUs, the optional
packages, the environment variables that change behaviour, and one verdict per backend, e.g.
``cuda: not available: CuPy is not installed; pip install cupy-cuda12x (CUDA 12.x) ...``.
Each backend is checked by running a small computation on it.
"""

from __future__ import annotations

import os
import platform
import sys
from importlib import metadata

CUPY_INSTALL = "pip install cupy-cuda12x (CUDA 12.x) or pip install cupy-cuda13x (CUDA 13.x)"
CTK_HINT = "without a CUDA toolkit, pip install 'cupy-cuda12x[ctk]' (or 'cupy-cuda13x[ctk]')"
OPTIONAL = ("tqdm", "matplotlib", "tensorboardX", "threadpoolctl", "torch")
ENVIRONMENT = ("MINITORCH_DEVICE", "MINITORCH_PROGRESS", "CUDA_VISIBLE_DEVICES",
               "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "OPENBLAS_CORETYPE", "MINITORCH_NUM_THREADS")  # fmt: skip


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def blas_lines() -> list[str]:
    """The BLAS NumPy uses: threadpoolctl's runtime view, else NumPy's build configuration."""
    import numpy as np

    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        threadpool_info = None
    if threadpool_info is not None:
        blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]
        if blas:
            return [f"BLAS: {i.get('internal_api')} {i.get('version')}, "
                    f"{i.get('num_threads')} threads, {i.get('architecture') or '?'} kernels "
                    f"({i.get('filepath')}) [threadpoolctl]" for i in blas]  # fmt: skip
    try:
        config = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    except Exception as err:  # an unusual build: say so rather than fail the whole report
        return [f"BLAS: unknown ({type(err).__name__}: {err})"]
    detail = config.get("openblas configuration") or config.get("detection method", "")
    return [f"BLAS: {config.get('name')} {config.get('version')} ({detail}) [numpy build "
            "config; pip install threadpoolctl for the threads in use]"]  # fmt: skip


def _cuda_version(v: int) -> str:
    return f"{v // 1000}.{v % 1000 // 10}"


def _smoke(device: str) -> None:
    """A small matrix product and reduction on ``device``, checked."""
    import minitorch as mt

    x = mt.ones(3, 4, device=device)
    value = (x @ x.T).sum().item()
    if value != 36.0:
        raise RuntimeError(f"ones(3, 4) @ ones(4, 3) summed to {value}, expected 36")


def cuda_lines() -> tuple[list[str], str]:
    """Lines about CuPy, CUDA and the GPUs, and the cuda backend's verdict."""
    try:
        import cupy
    except ImportError:
        return ["CuPy: not installed"], f"not available: CuPy is not installed; {CUPY_INSTALL}"
    except Exception as err:  # e.g. a wheel for another CUDA major, or missing libraries
        return ([f"CuPy: fails to import ({type(err).__name__}: {err})"],
                f"not available: CuPy fails to import; reinstall it: {CUPY_INSTALL}")  # fmt: skip
    lines = [f"CuPy: {getattr(cupy, '__version__', '?')}"]
    runtime = cupy.cuda.runtime
    try:
        count = int(runtime.getDeviceCount())
        lines.append(f"CUDA: runtime {_cuda_version(runtime.runtimeGetVersion())}, driver "
                     f"supports up to {_cuda_version(runtime.driverGetVersion())}")  # fmt: skip
    except Exception as err:  # CuPy raises its own CUDARuntimeError without a driver or GPU
        lines.append(f"CUDA: no usable GPU ({type(err).__name__}: {err})")
        return lines, "not available: CuPy finds no usable GPU; check the NVIDIA driver"
    for i in range(count):
        props = runtime.getDeviceProperties(i)
        name = props["name"].decode() if isinstance(props["name"], bytes) else props["name"]
        lines.append(f"  cuda:{i}: {name}, {props['totalGlobalMem'] / 2**30:.1f} GiB, "
                     f"compute capability {props['major']}.{props['minor']}")  # fmt: skip
    if count == 0:
        return lines, "not available: CuPy sees no GPU"
    try:
        _smoke("cuda")
    except Exception as err:
        return lines, (f"not available: a test computation failed ({type(err).__name__}: "
                       f"{err}); {CTK_HINT}")  # fmt: skip
    return lines, f"available: {count} device(s), a test computation ran"


def report() -> str:
    """The whole report, as printed by ``python -m minitorch``."""
    import numpy as np

    import minitorch as mt

    lines = [
        f"minitorch: {mt.__version__} ({os.path.dirname(mt.__file__)})",
        f"Python: {platform.python_version()} ({platform.python_implementation()}, "
        f"{sys.executable})",
        f"platform: {platform.platform()}, {os.cpu_count()} CPU(s)",
        f"NumPy: {np.__version__}",
        *blas_lines(),
    ]
    cuda, cuda_verdict = cuda_lines()
    lines += cuda
    lines.append("optional: " + ", ".join(f"{n} {_version(n)}" for n in OPTIONAL))
    env = [f"{k}={os.environ[k]}" for k in ENVIRONMENT if k in os.environ]
    lines.append("environment: " + (" ".join(env) if env else "(none of " + ", ".join(
        ENVIRONMENT[:2]) + ", ... set)"))  # fmt: skip
    lines.append(f"default device: {mt.get_default_device()}, "
                 f"default dtype: {mt.get_default_dtype()}")  # fmt: skip
    try:
        _smoke("cpu")
        cpu_verdict = f"available: NumPy {np.__version__}, a test computation ran"
    except Exception as err:
        cpu_verdict = f"not available: a test computation failed ({type(err).__name__}: {err})"
    lines += [f"cpu: {cpu_verdict}", f"cuda: {cuda_verdict}"]
    return "\n".join(lines)


def main() -> None:
    """Print ``report()``."""
    print(report())


if __name__ == "__main__":
    main()
