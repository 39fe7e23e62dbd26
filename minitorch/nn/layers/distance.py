"""``CosineSimilarity`` and ``PairwiseDistance``: the Functions of ``nn/functions/distance.py``
with the Module parts of a ``Layer`` added."""

from __future__ import annotations

from minitorch.nn.functions import distance
from minitorch.nn.layer import Layer


class CosineSimilarity(Layer, distance.CosineSimilarityFunction):
    """``sum(x1 x2, dim) / (max(||x1||, eps) max(||x2||, eps))``.

    Shape: x1, x2 broadcastable (*, D, *) -> (*, *) (``dim`` removed).
    """

    label = "CosineSimilarity"

    def __init__(self, dim: int = 1, eps: float = 1e-8) -> None:
        super().__init__(dim, eps)


class PairwiseDistance(Layer, distance.PairwiseDistanceFunction):
    """``||x1 - x2 + eps||_p`` along the last dim.

    Shape: x1, x2 broadcastable (*, D) -> (*) (or (*, 1) with ``keepdim``).
    """

    input_dtypes = "numeric"

    label = "PairwiseDistance"

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> None:
        super().__init__(p, eps, keepdim)
