"""Mixins of ``Tensor`` methods, one per family of ops; ``TensorMethods`` combines them.

Each method is one call into ``minitorch.autograd.ops`` with PyTorch's method signature (the
tensor itself as the first argument); ``ops`` is looked up at call time, since it imports
``Tensor``.
"""

from minitorch.autograd.methods.indexing import IndexingMethods
from minitorch.autograd.methods.linalg import LinalgMethods
from minitorch.autograd.methods.logical import LogicalMethods
from minitorch.autograd.methods.pointwise import PointwiseMethods
from minitorch.autograd.methods.reduction import ReductionMethods
from minitorch.autograd.methods.shape import ShapeMethods

__all__ = [
    "IndexingMethods",
    "LinalgMethods",
    "LogicalMethods",
    "PointwiseMethods",
    "ReductionMethods",
    "ShapeMethods",
]
