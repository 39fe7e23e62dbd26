"""``F.one_hot``: class indices to one-hot rows (int64), as PyTorch; not differentiable."""

from __future__ import annotations

from minitorch.autograd import Tensor
from minitorch.backend import dtypes, get_backend


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """``out[..., c] = 1`` where ``tensor[...] == c``; ``num_classes=-1`` means max + 1.

    Shape: (*) integer -> (*, num_classes) int64.
    """
    if not isinstance(tensor, Tensor):
        raise TypeError(
            f"one_hot: expected a Tensor of class indices, got {type(tensor).__name__}"
        )
    x = tensor.array
    if x.dtype.kind not in "iu":
        raise TypeError(f"one_hot: expected an integer (index) tensor, got dtype {x.dtype}")
    if num_classes == -1:
        if x.size == 0:
            raise ValueError("one_hot: cannot infer num_classes from an empty tensor")
        num_classes = int(x.max()) + 1
    if not isinstance(num_classes, int) or num_classes < 0:
        raise ValueError(f"one_hot: num_classes must be -1 or >= 0, got {num_classes!r}")
    if x.size and int(x.min()) < 0:
        raise ValueError("one_hot: class values must be non-negative")
    if x.size and int(x.max()) >= num_classes:
        raise ValueError(
            f"one_hot: class values must be smaller than num_classes={num_classes}, "
            f"got {int(x.max())}"
        )
    xp = get_backend(x).xp
    return Tensor((x[..., None] == xp.arange(num_classes)).astype(dtypes.int64))
