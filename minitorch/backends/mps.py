"""``mt.backends.mps``: Apple's Metal backend, which minitorch does not have."""


def is_available() -> bool:
    """False: minitorch runs on NumPy (CPU) and CuPy (CUDA GPUs) only."""
    return False


def is_built() -> bool:
    return False
