"""Embedding lookup: the kernels and ``EmbeddingFunction`` (``F.embedding``); the ``Embedding``
layer calls the same kernels.

The backward scatter-adds each output row's gradient into the row it was read from, so an
index that appears several times receives the sum of its gradients.
"""

from __future__ import annotations

from minitorch.autograd import Function
from minitorch.backend import Array, get_backend


def embedding_forward(name: str, indices: Array, weight: Array) -> Array:
    """``weight[indices]`` after checking that the indices are integers in range."""
    if indices.dtype.kind not in "iu":
        raise TypeError(
            f"{name}: indices must be an integer array (int32 or int64), got dtype "
            f"{indices.dtype}; convert with .long()"
        )
    num = weight.shape[0]
    if indices.size and (int(indices.min()) < 0 or int(indices.max()) >= num):
        raise IndexError(
            f"{name}: index out of range: indices span [{int(indices.min())}, "
            f"{int(indices.max())}] but valid indices are 0 <= index < {num}"
        )
    return weight[indices]


def embedding_backward(dy: Array, indices: Array, weight_shape: tuple, padding_idx: int | None,
                       scale_grad_by_freq: bool) -> Array:  # fmt: skip
    """The weight gradient: ``dweight[indices] += dy`` summed over repeats; the padding row
    receives nothing."""
    backend = get_backend(dy)
    dweight = backend.xp.zeros(weight_shape, dtype=dy.dtype)
    rows = indices.reshape(-1)
    dy = dy.reshape(rows.size, weight_shape[1])
    if scale_grad_by_freq:  # each row's gradient divided by how often its index occurs
        counts = backend.xp.bincount(rows, minlength=weight_shape[0])
        dy = dy / counts[rows].astype(dy.dtype).reshape(-1, 1)
    if padding_idx is not None:
        keep = rows != padding_idx
        rows, dy = rows[keep], dy[keep]
    backend.scatter_add(dweight, rows, dy)
    return dweight


class EmbeddingFunction(Function):
    """``F.embedding``: the lookup as a Function of (indices, weight)."""

    def __init__(self, padding_idx: int | None, scale_grad_by_freq: bool) -> None:
        self.padding_idx, self.scale_grad_by_freq = padding_idx, scale_grad_by_freq

    def forward(self, indices: Array, weight: Array) -> Array:
        self.save_for_backward(indices, weight.shape)
        return embedding_forward("embedding", indices, weight)

    def backward(self, dy: Array) -> tuple:
        indices, shape = self.saved
        if not self.needs_input_grad[1]:
            return None, None
        return None, embedding_backward(dy, indices, shape, self.padding_idx,
                                        self.scale_grad_by_freq)  # fmt: skip
