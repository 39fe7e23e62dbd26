"""``pad_sequence``: a list of variable-length sequences as one padded batch, as in PyTorch.

``pack_padded_sequence`` and friends (PackedSequence) are not provided: minitorch's recurrent
layers take padded batches, so pad and mask instead.
"""

from __future__ import annotations

from typing import Sequence

from minitorch.autograd import Tensor, ops
from minitorch.autograd.factory import full


def pad_sequence(sequences: Sequence[Tensor], batch_first: bool = False,
                 padding_value: float = 0.0, padding_side: str = "right") -> Tensor:  # fmt: skip
    """Stack tensors of shapes (L_i, *) into (max L, B, *) (or (B, max L, *) with
    ``batch_first``), filling with ``padding_value``; differentiable in every sequence.

    Shape: sequences[i] (L_i, *) -> (L, B, *) or (B, L, *) with L = max L_i.
    """
    if padding_side not in ("right", "left"):
        raise ValueError(
            f"pad_sequence: padding_side must be 'right' or 'left', got {padding_side!r}"
        )
    sequences = list(sequences)
    if not sequences:
        raise RuntimeError("pad_sequence: received an empty list of sequences")
    for i, s in enumerate(sequences):
        if not isinstance(s, Tensor):
            raise TypeError(f"pad_sequence: sequence {i} is a {type(s).__name__}, not a Tensor")
        if s.ndim == 0 or s.shape[1:] != sequences[0].shape[1:]:
            rest = ", ".join(map(str, sequences[0].shape[1:]))
            raise ValueError(
                f"pad_sequence: every sequence needs shape (L, {rest}), got {tuple(s.shape)} "
                f"for sequence {i}"
            )
    longest = max(s.shape[0] for s in sequences)
    padded = []
    for s in sequences:
        missing = longest - s.shape[0]
        if missing:
            fill = full((missing, *s.shape[1:]), padding_value, dtype=s.dtype, device=s.device)
            s = ops.cat([s, fill] if padding_side == "right" else [fill, s], 0)
        padded.append(s)
    return ops.stack(padded, 0 if batch_first else 1)
