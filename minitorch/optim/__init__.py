"""Optimizers: they update parameters in place from ``param.grad``, knowing nothing of the model."""

from minitorch.optim.optimizer import Optimizer
from minitorch.optim.sgd import SGD

__all__ = ["SGD", "Optimizer"]
