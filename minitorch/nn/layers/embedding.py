"""``Embedding``: a lookup table; row ``i`` of ``weight`` is the vector of index ``i``.

The lookup and its scatter-add backward are in ``nn/functions/embedding.py`` (shared with
``F.embedding``).
"""

from __future__ import annotations

from typing import Any

from minitorch.autograd import Tensor, no_grad
from minitorch.backend import Array
from minitorch.nn import init
from minitorch.nn.functions.embedding import embedding_backward, embedding_forward
from minitorch.nn.layer import Layer
from minitorch.nn.parameter import Parameter, empty_param


def _check_padding_idx(name: str, padding_idx: int | None, num: int) -> int | None:
    if padding_idx is None:
        return None
    if not -num <= padding_idx < num:
        raise ValueError(
            f"{name}: padding_idx must be within [{-num}, {num - 1}], got {padding_idx}"
        )
    return padding_idx % num


class Embedding(Layer):
    """``y = weight[indices]``, weight initialised from N(0, 1); the ``padding_idx`` row starts
    at zero and gets no gradient.

    Shape: indices (*) integer -> output (*, embedding_dim);
    weight (num_embeddings, embedding_dim).
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 max_norm: float | None = None, norm_type: float = 2.0,
                 scale_grad_by_freq: bool = False, sparse: bool = False, _weight: Any = None,
                 _freeze: bool = False, device: Any = None,
                 dtype: Any = None) -> None:  # fmt: skip
        super().__init__()
        if max_norm is not None:
            raise NotImplementedError(
                "Embedding: max_norm (renormalising looked-up rows) is not supported"
            )
        if sparse:
            raise NotImplementedError(
                "Embedding: sparse gradients are not supported; use sparse=False"
            )
        if num_embeddings <= 0 or embedding_dim < 0:
            raise ValueError(
                f"Embedding: num_embeddings must be positive and embedding_dim >= 0, got "
                f"({num_embeddings}, {embedding_dim})"
            )
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.padding_idx = _check_padding_idx("Embedding", padding_idx, num_embeddings)
        self.max_norm, self.norm_type = max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse
        if _weight is None:
            self.weight = Parameter(empty_param((num_embeddings, embedding_dim), device, dtype),
                                    requires_grad=not _freeze)  # fmt: skip
            self.reset_parameters()
        else:
            data = _weight.array if isinstance(_weight, Tensor) else _weight
            if tuple(data.shape) != (num_embeddings, embedding_dim):
                raise ValueError(
                    f"Embedding: _weight must have shape ({num_embeddings}, {embedding_dim}), "
                    f"got {tuple(data.shape)}"
                )
            self.weight = Parameter(data, requires_grad=not _freeze)

    def reset_parameters(self) -> None:
        """``weight`` from N(0, 1), its ``padding_idx`` row zero."""
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with no_grad():
                self.weight.array[self.padding_idx] = 0

    def forward(self, indices: Array) -> Array:
        self.save_for_backward(indices)
        return embedding_forward(self._name(), indices, self.weight.array)

    def backward(self, dy: Array) -> None:
        (indices,) = self.saved
        if self.weight.requires_grad:
            dweight = embedding_backward(dy, indices, self.weight.shape, self.padding_idx,
                                         self.scale_grad_by_freq)  # fmt: skip
            self.add_grad(self.weight, dweight)
        return None  # the indices get no gradient

    @classmethod
    def from_pretrained(cls, embeddings: Any, freeze: bool = True, padding_idx: int | None = None,
                        max_norm: float | None = None, norm_type: float = 2.0,
                        scale_grad_by_freq: bool = False,
                        sparse: bool = False) -> Embedding:  # fmt: skip
        """An Embedding whose weight is (a copy-free view of) ``embeddings`` (2-D)."""
        data = embeddings.array if isinstance(embeddings, Tensor) else embeddings
        if getattr(data, "ndim", None) != 2:
            raise ValueError(
                f"Embedding.from_pretrained: embeddings must be 2-D (num_embeddings, "
                f"embedding_dim), got shape {tuple(getattr(data, 'shape', ()))}"
            )
        rows, cols = data.shape
        return cls(rows, cols, padding_idx=padding_idx, max_norm=max_norm, norm_type=norm_type,
                   scale_grad_by_freq=scale_grad_by_freq, sparse=sparse, _weight=data,
                   _freeze=freeze)  # fmt: skip

    def _name(self) -> str:
        return f"Embedding({self.num_embeddings}, {self.embedding_dim})"

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        if self.scale_grad_by_freq:
            s += ", scale_grad_by_freq=True"
        return s
