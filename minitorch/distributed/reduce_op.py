"""``ReduceOp``: how a reducing collective combines the ranks' values, as ``torch.distributed``."""

from __future__ import annotations

import enum


class ReduceOp(enum.Enum):
    """``dist.ReduceOp.SUM`` and friends: elementwise sum, mean, product, min, max, bitwise ops.

    ``AVG`` needs a floating dtype on the MPI backend; the bitwise ops need integer or bool
    tensors and are not offered by NCCL (as in PyTorch).
    """

    SUM = "sum"
    AVG = "avg"
    PRODUCT = "product"
    MIN = "min"
    MAX = "max"
    BAND = "band"
    BOR = "bor"
    BXOR = "bxor"

    def __repr__(self) -> str:
        return f"ReduceOp.{self.name}"


def as_reduce_op(op: object, where: str) -> ReduceOp:
    """``op`` checked: a ``ReduceOp`` member (or its name, ``"sum"``), else a TypeError."""
    if isinstance(op, ReduceOp):
        return op
    if isinstance(op, str) and op.upper() in ReduceOp.__members__:
        return ReduceOp[op.upper()]
    names = ", ".join(f"ReduceOp.{name}" for name in ReduceOp.__members__)
    raise TypeError(f"{where}: op must be one of {names}, got {op!r}")
