"""Learning-rate schedulers (``minitorch.optim.lr_scheduler``), as ``torch.optim.lr_scheduler``.

Call ``scheduler.step()`` once per epoch (or per batch for ``OneCycleLR``) after
``optimizer.step()``; ``ReduceLROnPlateau.step(metric)`` takes the monitored value.
"""

from minitorch.optim.lr_scheduler.decay import (
    CosineAnnealingLR,
    ExponentialLR,
    LambdaLR,
    LinearLR,
    MultiStepLR,
    StepLR,
)
from minitorch.optim.lr_scheduler.one_cycle import OneCycleLR
from minitorch.optim.lr_scheduler.plateau import ReduceLROnPlateau
from minitorch.optim.lr_scheduler.scheduler import LRScheduler

__all__ = [
    "CosineAnnealingLR",
    "ExponentialLR",
    "LRScheduler",
    "LambdaLR",
    "LinearLR",
    "MultiStepLR",
    "OneCycleLR",
    "ReduceLROnPlateau",
    "StepLR",
]
