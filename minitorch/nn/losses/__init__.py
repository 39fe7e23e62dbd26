"""Losses: Layers taking ``(input, target)``; the target needs no gradient.

``base`` holds what all share (reductions, weights as buffers); the rest group by task.
"""

from minitorch.nn.losses.base import _Loss, _WeightedLoss  # noqa: F401  (bases for new losses)
from minitorch.nn.losses.binary import BCELoss, BCEWithLogitsLoss
from minitorch.nn.losses.classification import CrossEntropyLoss, NLLLoss
from minitorch.nn.losses.divergence import KLDivLoss
from minitorch.nn.losses.regression import HuberLoss, L1Loss, MSELoss, SmoothL1Loss

__all__ = [
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "HuberLoss",
    "KLDivLoss",
    "L1Loss",
    "MSELoss",
    "NLLLoss",
    "SmoothL1Loss",
]
