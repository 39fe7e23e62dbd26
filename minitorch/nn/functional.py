"""Functional forms of the layers and losses: ``F.relu(x)`` is ``ReLU()(x)``."""

from __future__ import annotations

from typing import Any

from minitorch.autograd import Tensor
from minitorch.nn.layers.activation import ReLU, Sigmoid, Tanh
from minitorch.nn.losses import MSELoss


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:  # noqa: A002
    """``input @ weight.T + bias`` with gradients for all three."""
    y = input @ weight.T
    return y if bias is None else y + bias


def relu(input: Tensor) -> Tensor:  # noqa: A002
    return ReLU()(input)


def sigmoid(input: Tensor) -> Tensor:  # noqa: A002
    return Sigmoid()(input)


def tanh(input: Tensor) -> Tensor:  # noqa: A002
    return Tanh()(input)


def mse_loss(input: Tensor, target: Any, reduction: str = "mean") -> Tensor:  # noqa: A002
    return MSELoss(reduction=reduction)(input, target)
