"""Helpers for training loops: gradient clipping, padding sequences (``nn.utils.rnn``)."""

from minitorch.nn.utils import rnn
from minitorch.nn.utils.clip_grad import clip_grad_norm_, clip_grad_value_

__all__ = ["clip_grad_norm_", "clip_grad_value_", "rnn"]
