"""Instance normalisation: each sample's channel normalised over its own positions, the kernels
and the Function behind ``F.instance_norm``; ``nn.InstanceNorm1d/2d`` call the same kernels.

The input is viewed as rows (N*C, K), K = prod(spatial dims), so the statistics are LayerNorm's
over the last axis (its row kernels are reused) and the per-channel affine is BatchNorm's.
With running statistics and ``use_input_stats``, each running value moves towards the mean
over the batch of the instances' statistics (the variance unbiased), as PyTorch. Without
``use_input_stats`` the running statistics normalise, as BatchNorm in eval.
"""

from __future__ import annotations

import math

from minitorch.autograd import Function, Tensor
from minitorch.backend import Array, get_backend
from minitorch.nn.functions.norm import (
    channel_sum,
    check_affine_dtype,
    layer_norm_backward,
    layer_norm_forward,
    per_channel,
)


def instance_norm_forward(name: str, x: Array, running_mean: Array | None,
                          running_var: Array | None, weight: Array | None, bias: Array | None,
                          use_input_stats: bool, momentum: float,
                          eps: float) -> tuple[Array, tuple]:  # fmt: skip
    """``(y, saved)`` for ``x`` (N, C, *); updates the running statistics in place."""
    check_affine_dtype(name, x, weight)
    xp = get_backend(x).xp
    n, c = x.shape[0], x.shape[1]
    k = math.prod(x.shape[2:])
    if use_input_stats:
        if k <= 1:
            raise ValueError(
                f"{name}: expected more than 1 spatial element when training, got input of "
                f"shape {tuple(x.shape)}"
            )
        rows, ln = layer_norm_forward(name, x.reshape(n * c, k), (k,), None, None, eps)
        xhat = rows.reshape(n, c, k)
        if running_mean is not None or running_var is not None:
            tracked = (running_mean if running_mean is not None else running_var).shape[0]
            if tracked != c:
                raise ValueError(
                    f"{name}: the running statistics have {tracked} channels but the input of "
                    f"shape {tuple(x.shape)} has {c}"
                )
            _update_running(x.reshape(n, c, k), running_mean, running_var, momentum)
        scale, stats = None, ln
    else:
        if running_mean is None or running_var is None:
            raise ValueError(
                f"{name}: running_mean and running_var are needed when use_input_stats=False"
            )
        scale = (1 / xp.sqrt(running_var + eps)).astype(x.dtype, copy=False)
        xhat = x.reshape(n, c, k) - per_channel(running_mean.astype(x.dtype, copy=False), k)
        xhat *= per_channel(scale, k)
        stats = None
    y = xhat if weight is None else xhat * per_channel(weight, k)
    if bias is not None:
        y = y + per_channel(bias, k)
    return y.reshape(x.shape), (xhat, stats, scale, weight, bias is not None)


def _update_running(x3: Array, running_mean: Array | None, running_var: Array | None,
                    momentum: float) -> None:  # fmt: skip
    """Move the running statistics towards the batch means of the instances' statistics."""
    k = x3.shape[2]
    if running_mean is not None:
        mean = x3.mean(axis=2).mean(axis=0)
        running_mean *= 1 - momentum
        running_mean += momentum * mean.astype(running_mean.dtype, copy=False)
    if running_var is not None:
        var = x3.var(axis=2).mean(axis=0) * (k / (k - 1))  # unbiased, as PyTorch
        running_var *= 1 - momentum
        running_var += momentum * var.astype(running_var.dtype, copy=False)


def instance_norm_backward(dy: Array, saved: tuple, need_dx: bool, need_dw: bool) -> tuple:
    """``(dx, dweight, dbias)``, each None unless wanted."""
    xhat, stats, scale, weight, has_bias = saved
    n, c, k = xhat.shape
    dy3 = dy.reshape(n, c, k)
    dw = channel_sum(dy3, xhat) if need_dw and weight is not None else None
    db = channel_sum(dy3) if has_bias else None
    dx = None
    if need_dx:
        dxhat = dy3 if weight is None else dy3 * per_channel(weight, k)
        if stats is None:  # running statistics: an affine map of x
            dx = dxhat * per_channel(scale, k)
        else:
            dx, _, _ = layer_norm_backward(dxhat.reshape(n * c, k), stats, True, False)
        dx = dx.reshape(dy.shape)
    return dx, dw, db


class InstanceNormFunction(Function):
    """``F.instance_norm``: instance norm as a Function of (input, weight, bias)."""

    def __init__(self, running_mean: Array | None, running_var: Array | None,
                 use_input_stats: bool, momentum: float, eps: float) -> None:  # fmt: skip
        self.running_mean, self.running_var = running_mean, running_var
        self.use_input_stats, self.momentum, self.eps = use_input_stats, momentum, eps

    def forward(self, x: Array, weight: Array | None, bias: Array | None) -> Array:
        if x.ndim < 2:
            raise ValueError(
                f"instance_norm expects input of shape (N, C, *), got {tuple(x.shape)}"
            )
        for label, v in (("running_mean", self.running_mean), ("running_var", self.running_var),
                         ("weight", weight), ("bias", bias)):  # fmt: skip
            if v is not None and tuple(v.shape) != (x.shape[1],):
                raise ValueError(
                    f"instance_norm: {label} must have shape ({x.shape[1]},) for input of shape "
                    f"{tuple(x.shape)}, got {tuple(v.shape)}"
                )
        y, saved = instance_norm_forward("instance_norm", x, self.running_mean, self.running_var,
                                         weight, bias, self.use_input_stats, self.momentum,
                                         self.eps)  # fmt: skip
        self.save_for_backward(*saved)
        return y

    def backward(self, dy: Array) -> tuple:
        need = self.needs_input_grad
        dx, dw, db = instance_norm_backward(dy, self.saved, need[0], need[1])
        return dx, dw, db if need[2] else None


def instance_norm(input: Tensor, running_mean: Tensor | None = None,  # noqa: A002
                  running_var: Tensor | None = None, weight: Tensor | None = None,
                  bias: Tensor | None = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:  # fmt: skip
    """Normalise each (sample, channel) over its positions; running stats updated in place."""
    mean = running_mean.array if isinstance(running_mean, Tensor) else running_mean
    var = running_var.array if isinstance(running_var, Tensor) else running_var
    return InstanceNormFunction(mean, var, use_input_stats, momentum, eps)(input, weight, bias)
