"""``mt.backends``: the switches programs set for PyTorch's kernel libraries.

``backends.cudnn`` (``benchmark``, ``deterministic``, ``enabled``, ``allow_tf32``),
``backends.cuda.matmul.allow_tf32`` (honoured: CuPy's cuBLAS then uses TF32 for float32
matmuls), ``backends.mps.is_available()`` (False).
"""

from minitorch.backends import cuda, cudnn, mps
