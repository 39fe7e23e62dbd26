"""``InstanceNorm1d`` and ``InstanceNorm2d``: each sample's channels normalised over their own
positions; the kernels are in ``nn/functions/instance_norm.py`` (shared with
``F.instance_norm``). Parameters and buffers are BatchNorm's (``NormBase``), with PyTorch's
defaults ``affine=False, track_running_stats=False``.
"""

from __future__ import annotations

import warnings
from typing import Any

from minitorch.backend import Array
from minitorch.nn.functions.instance_norm import instance_norm_backward, instance_norm_forward
from minitorch.nn.layers.batchnorm import NormBase


class _InstanceNorm(NormBase):
    _spatial = 1  # spatial dims after (N, C)

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = False, track_running_stats: bool = False, device: Any = None,
                 dtype: Any = None, *, bias: bool = True) -> None:  # fmt: skip
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device, dtype,
                         bias=bias)  # fmt: skip

    def forward(self, x: Array) -> Array:
        name, d = f"{type(self).__name__}({self.num_features})", self._spatial
        if x.ndim not in (d + 1, d + 2):
            raise ValueError(
                f"{name}: expected {d + 1}D (unbatched) or {d + 2}D input, got {x.ndim}D input "
                f"of shape {tuple(x.shape)}"
            )
        batched = x.ndim == d + 2
        channels = x.shape[1 if batched else 0]
        if channels != self.num_features:
            if self.affine or self.track_running_stats:  # the parameters or statistics won't fit
                raise ValueError(
                    f"{name}: expected {self.num_features} channels in dim {int(batched)}, got "
                    f"input of shape {tuple(x.shape)}"
                )
            warnings.warn(  # as PyTorch: without affine, num_features is not used
                f"{name}: input's size at dim={int(batched)} does not match num_features "
                "(unused because affine=False)",
                stacklevel=3,
            )
        momentum = 0.0 if self.momentum is None else self.momentum
        use_input_stats = self.training or not self.track_running_stats
        y, saved = instance_norm_forward(
            name, x if batched else x[None], _data(self.running_mean), _data(self.running_var),
            _data(self.weight), _data(self.bias), use_input_stats, momentum, self.eps,
        )  # fmt: skip
        self.save_for_backward(batched, *saved)
        return y if batched else y[0]

    def backward(self, dy: Array) -> Array | None:
        batched, *saved = self.saved
        need_dw = self.weight is not None and self.weight.requires_grad
        dy = dy if batched else dy[None]
        dx, dw, db = instance_norm_backward(dy, tuple(saved), self.needs_input_grad[0], need_dw)
        if dw is not None:
            self.add_grad(self.weight, dw)
        if db is not None:
            self.add_grad(self.bias, db)
        return dx if dx is None or batched else dx[0]


class InstanceNorm1d(_InstanceNorm):
    """Normalises each (sample, channel) of (N, C, L) input over L; optional per-channel affine.

    Shape: (N, C, L) or (C, L) -> same; weight, bias, running_mean, running_var (C,).
    """


class InstanceNorm2d(_InstanceNorm):
    """Normalises each (sample, channel) of (N, C, H, W) input over H and W.

    Shape: (N, C, H, W) or (C, H, W) -> same; weight, bias, running_mean, running_var (C,).
    """

    _spatial = 2


def _data(t: Any) -> Array | None:
    return None if t is None else t.array
