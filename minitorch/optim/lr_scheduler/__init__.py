"""Learning-rate schedulers (``minitorch.optim.lr_scheduler``), as ``torch.optim.lr_scheduler``.

Call ``scheduler.step()`` once per epoch (or per batch for ``OneCycleLR`` and ``CyclicLR``)
after ``optimizer.step()``; ``ReduceLROnPlateau.step(metric)`` takes the monitored value.
``SequentialLR`` and ``ChainedScheduler`` combine schedulers built on the same optimizer.
"""

from minitorch.optim.lr_scheduler.compose import ChainedScheduler, SequentialLR
from minitorch.optim.lr_scheduler.cyclic import CyclicLR
from minitorch.optim.lr_scheduler.decay import (
    CosineAnnealingLR,
    ExponentialLR,
    LambdaLR,
    LinearLR,
    MultiStepLR,
    StepLR,
)
from minitorch.optim.lr_scheduler.factor import ConstantLR, MultiplicativeLR, PolynomialLR
from minitorch.optim.lr_scheduler.one_cycle import OneCycleLR
from minitorch.optim.lr_scheduler.plateau import ReduceLROnPlateau
from minitorch.optim.lr_scheduler.scheduler import LRScheduler
from minitorch.optim.lr_scheduler.warm_restarts import CosineAnnealingWarmRestarts

__all__ = [
    "ChainedScheduler",
    "ConstantLR",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "CyclicLR",
    "ExponentialLR",
    "LRScheduler",
    "LambdaLR",
    "LinearLR",
    "MultiStepLR",
    "MultiplicativeLR",
    "OneCycleLR",
    "PolynomialLR",
    "ReduceLROnPlateau",
    "SequentialLR",
    "StepLR",
]
