"""``BatchNorm1d`` and ``BatchNorm2d``: per-channel normalisation over the batch (and positions).

Training normalises with the batch statistics (biased variance) and updates the running
statistics (unbiased variance); evaluation normalises with the running statistics. The kernels
are in ``nn/functions/norm.py`` (shared with ``F.batch_norm``).
"""

from __future__ import annotations

from typing import Any

from minitorch.backend import Array, dtypes
from minitorch.nn import init
from minitorch.nn.functions.norm import batch_norm_backward, batch_norm_forward
from minitorch.nn.layer import Layer
from minitorch.nn.parameter import Parameter, empty_param, zeros_param


class NormBase(Layer):
    """What BatchNorm and InstanceNorm share: per-channel ``weight`` and ``bias`` (with
    ``affine``; ``bias=False`` drops the bias), running statistics (with
    ``track_running_stats``), their reset, and the repr."""

    input_dtypes = "floating"

    _ndims: tuple = ()

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True, device: Any = None,
                 dtype: Any = None, *, bias: bool = True) -> None:  # fmt: skip
        super().__init__()
        if num_features <= 0:
            raise ValueError(
                f"{type(self).__name__}: num_features must be positive, got {num_features}"
            )
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        self.weight = self.bias = None
        if affine:
            self.weight = Parameter(empty_param((num_features,), device, dtype))
            if bias:
                self.bias = Parameter(empty_param((num_features,), device, dtype))
        if track_running_stats:
            self.register_buffer("running_mean", zeros_param((num_features,), device, dtype))
            self.register_buffer("running_var", zeros_param((num_features,), device, dtype))
            self.register_buffer("num_batches_tracked", zeros_param((), device, dtypes.int64))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)
        self.reset_parameters()

    def reset_running_stats(self) -> None:
        """Running mean to 0, running variance to 1, ``num_batches_tracked`` to 0."""
        if self.track_running_stats:
            init.zeros_(self.running_mean)
            init.ones_(self.running_var)
            self.num_batches_tracked.array[...] = 0

    def reset_parameters(self) -> None:
        """Reset the running stats; ``weight`` to 1 and ``bias`` to 0."""
        self.reset_running_stats()
        if self.weight is not None:
            init.ones_(self.weight)
        if self.bias is not None:
            init.zeros_(self.bias)

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, bias={self.bias is not None}, "
            f"track_running_stats={self.track_running_stats}"
        )


class _BatchNorm(NormBase):
    """Batch statistics in training (updating the running ones), running ones in eval."""

    def forward(self, x: Array) -> Array:
        name = f"{type(self).__name__}({self.num_features})"
        if x.ndim not in self._ndims:
            raise ValueError(
                f"{name}: expected {' or '.join(f'{d}D' for d in self._ndims)} input, got "
                f"{x.ndim}D input of shape {tuple(x.shape)}"
            )
        if x.shape[1] != self.num_features:
            raise ValueError(
                f"{name}: expected {self.num_features} channels in dim 1, got input of shape "
                f"{tuple(x.shape)}"
            )
        momentum = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked.array += 1
            if self.momentum is None:  # cumulative moving average
                momentum = 1.0 / int(self.num_batches_tracked.array)
        use_batch_stats = self.training or self.running_mean is None
        y, saved = batch_norm_forward(
            name, x, _data(self.running_mean), _data(self.running_var), _data(self.weight),
            _data(self.bias), use_batch_stats, momentum, self.eps,
        )  # fmt: skip
        self.save_for_backward(*saved)
        return y

    def backward(self, dy: Array) -> Array | None:
        need_dw = self.weight is not None and self.weight.requires_grad
        dx, dw, db = batch_norm_backward(dy, self.saved, self.needs_input_grad[0], need_dw)
        if dw is not None:
            self.add_grad(self.weight, dw)
        if db is not None:
            self.add_grad(self.bias, db)
        return dx


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of (N, C) or (N, C, L) input, per channel C.

    Shape: (N, C) or (N, C, L) -> same; weight, bias, running_mean, running_var (C,).
    """

    _ndims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of (N, C, H, W) input, per channel C.

    Shape: (N, C, H, W) -> same; weight, bias, running_mean, running_var (C,).
    """

    _ndims = (4,)


def _data(t: Any) -> Array | None:
    return None if t is None else t.array
