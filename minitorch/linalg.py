"""``minitorch.linalg``: the norms and products of ``torch.linalg`` that minitorch has.

All are differentiable; see ``minitorch.autograd.ops.norm`` and ``ops.linalg``.
"""

from minitorch.autograd.ops import linalg_norm as norm
from minitorch.autograd.ops import matmul, matrix_norm, multi_dot, svdvals, vector_norm

__all__ = ["matmul", "matrix_norm", "multi_dot", "norm", "svdvals", "vector_norm"]
