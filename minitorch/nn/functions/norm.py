"""Normalisation: the kernels and the Functions behind ``F.layer_norm``, ``F.group_norm`` and
``F.batch_norm``; ``LayerNorm``, ``GroupNorm`` and ``BatchNorm1d/2d`` call the same kernels.

Each norm computes ``xhat = (x - mean) / sqrt(var + eps)`` over some axes (biased variance) and
``y = xhat * weight + bias``. The backward is the compact closed form
``dx = invstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))`` with ``dxhat = dy * weight``.
A ``*_forward`` kernel returns ``(y, saved)``; its ``*_backward`` takes ``saved`` back and returns
``(dx, dweight, dbias)``, each None unless wanted.
"""

from __future__ import annotations

import math

from minitorch.autograd import Function
from minitorch.backend import Array, get_backend


def inverse_std(var: Array, eps: float) -> Array:
    """``1 / sqrt(var + eps)``, NaN where the variance overflowed to inf (PyTorch's result for
    such rows is NaN, not the zeros that ``(x - mean) / inf`` would give)."""
    xp = get_backend(var).xp
    invstd = xp.where(var == math.inf, math.nan, 1 / xp.sqrt(var + eps))
    return invstd.astype(var.dtype, copy=False)


def standardize(x: Array, axes: tuple, eps: float) -> tuple[Array, Array, Array, Array]:
    """``(xhat, invstd, mean, var)`` over ``axes`` (kept as size-1 dims); var is biased."""
    mean = x.mean(axis=axes, keepdims=True)
    xhat = x - mean
    var = (xhat * xhat).mean(axis=axes, keepdims=True)
    invstd = inverse_std(var, eps)
    xhat *= invstd
    return xhat, invstd, mean, var


def standardize_backward(dxhat: Array, xhat: Array, invstd: Array, axes: tuple) -> Array:
    """dL/dx from dL/dxhat: ``invstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))``."""
    dx = dxhat - dxhat.mean(axis=axes, keepdims=True)
    dx -= xhat * (dxhat * xhat).mean(axis=axes, keepdims=True)
    dx *= invstd
    return dx


def check_affine_dtype(name: str, x: Array, weight: Array | None, what: str = "weight") -> None:
    """A TypeError unless ``x`` has the dtype of the layer's ``weight`` (or other state)."""
    if weight is not None and weight.dtype != x.dtype:
        raise TypeError(
            f"{name}: input dtype {x.dtype} differs from {what} dtype {weight.dtype}; convert "
            f"the input with .to({weight.dtype}) or the model with .to(dtype)"
        )


def affine(xhat: Array, weight: Array | None, bias: Array | None, shape: tuple) -> Array:
    """``xhat * weight + bias`` with the per-feature vectors viewed as ``shape``."""
    y = xhat if weight is None else xhat * weight.reshape(shape)
    return y if bias is None else y + bias.reshape(shape)


# --- LayerNorm -----------------------------------------------------------------------------------
# LayerNorm works on the input as rows (*, D), D = prod(normalized_shape). Every per-row or
# per-feature sum is a matrix-vector product (BLAS reads the rows ~5x faster than a NumPy
# reduction over the last axis), and backward folds the closed form into per-row scalars.
def layer_norm_forward(name: str, x: Array, shape: tuple, weight: Array | None,
                       bias: Array | None, eps: float) -> tuple[Array, tuple]:  # fmt: skip
    k = len(shape)
    if x.ndim < k or tuple(x.shape[x.ndim - k :]) != shape:
        raise ValueError(
            f"{name} expects input of shape (*, {', '.join(map(str, shape))}), "
            f"got {tuple(x.shape)}"
        )
    check_affine_dtype(name, x, weight)
    xp = get_backend(x).xp
    D = math.prod(shape)
    x2 = x.reshape(-1, D)
    average = xp.full(D, 1 / D, x.dtype)  # x2 @ average: the row means
    xhat = x2 - (x2 @ average)[:, None]
    var = xp.einsum("ij,ij->i", xhat, xhat) / D  # biased, from the centred rows
    invstd = inverse_std(var, eps)
    xhat *= invstd[:, None]
    if weight is None:
        y = xhat if bias is None else xhat + bias.reshape(D)
    else:
        y = xhat * weight.reshape(D)
        if bias is not None:
            y += bias.reshape(D)
    return y.reshape(x.shape), (xhat, invstd, weight, bias is not None, shape)


def layer_norm_backward(dy: Array, saved: tuple, need_dx: bool, need_dw: bool) -> tuple:
    """``dx = invstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))``, ``dxhat = dy * w``,
    with the two row means as row scalars c1, c2; the sums of products are einsums, so no
    product array is made only to be summed."""
    xhat, invstd, weight, has_bias, shape = saved
    xp = get_backend(dy).xp
    R, D = xhat.shape
    dy2 = dy.reshape(R, D)
    db = (xp.ones((1, R), dy.dtype) @ dy2).reshape(shape) if has_bias else None
    want_dw = need_dw and weight is not None
    dw = xp.einsum("ij,ij->j", dy2, xhat).reshape(shape) if want_dw else None
    dx = None
    if need_dx:
        dx = dy2 * weight.reshape(D) if weight is not None else dy2.copy()  # dxhat
        c1 = dx @ xp.full(D, 1 / D, dy.dtype)  # mean(dxhat), per row
        c2 = xp.einsum("ij,ij->i", dx, xhat) / D  # mean(dxhat * xhat), per row
        correction = xhat * c2[:, None]
        correction += c1[:, None]
        dx -= correction
        dx *= invstd[:, None]
        dx = dx.reshape(dy.shape)
    return dx, dw, db


class LayerNormFunction(Function):
    """``F.layer_norm``: the LayerNorm maths as a Function of (input, weight, bias)."""

    def __init__(self, normalized_shape: tuple, eps: float) -> None:
        self.normalized_shape, self.eps = normalized_shape, eps

    def forward(self, x: Array, weight: Array | None, bias: Array | None) -> Array:
        name = f"layer_norm(normalized_shape={self.normalized_shape})"
        y, saved = layer_norm_forward(name, x, self.normalized_shape, weight, bias, self.eps)
        self.save_for_backward(*saved)
        return y

    def backward(self, dy: Array) -> tuple:
        need = self.needs_input_grad
        dx, dw, db = layer_norm_backward(dy, self.saved, need[0], need[1])
        return dx, dw if need[1] else None, db if need[2] else None


# --- GroupNorm -----------------------------------------------------------------------------------
def group_norm_forward(name: str, x: Array, groups: int, channels: int | None,
                       weight: Array | None, bias: Array | None,
                       eps: float) -> tuple[Array, tuple]:  # fmt: skip
    if x.ndim < 2 or (channels is not None and x.shape[1] != channels) or x.shape[1] % groups:
        expected = f"(N, {channels}, *)"
        if channels is None:
            expected = f"(N, C, *) with C divisible by {groups}"
        raise ValueError(f"{name} expects input of shape {expected}, got {tuple(x.shape)}")
    check_affine_dtype(name, x, weight)
    n, c = x.shape[0], x.shape[1]
    per_group = math.prod(x.shape[1:]) // groups
    xhat, invstd, _, _ = standardize(x.reshape(n, groups, per_group), (2,), eps)
    xhat = xhat.reshape(x.shape)
    shape = (1, c) + (1,) * (x.ndim - 2)
    return affine(xhat, weight, bias, shape), (xhat, invstd, weight, bias is not None, groups)


def group_norm_backward(dy: Array, saved: tuple, need_dx: bool, need_dw: bool) -> tuple:
    xhat, invstd, weight, has_bias, groups = saved
    axes = (0,) + tuple(range(2, dy.ndim))
    dw = (dy * xhat).sum(axis=axes) if need_dw and weight is not None else None
    db = dy.sum(axis=axes) if has_bias else None
    dx = None
    if need_dx:
        n, c = dy.shape[0], dy.shape[1]
        dxhat = dy if weight is None else dy * weight.reshape((1, c) + (1,) * (dy.ndim - 2))
        per_group = math.prod(dy.shape[1:]) // groups
        dx = standardize_backward(
            dxhat.reshape(n, groups, per_group), xhat.reshape(n, groups, per_group), invstd, (2,)
        ).reshape(dy.shape)
    return dx, dw, db


class GroupNormFunction(Function):
    """``F.group_norm``: the GroupNorm maths as a Function of (input, weight, bias)."""

    def __init__(self, num_groups: int, eps: float) -> None:
        self.num_groups, self.eps = num_groups, eps

    def forward(self, x: Array, weight: Array | None, bias: Array | None) -> Array:
        channels = None if weight is None else math.prod(weight.shape)
        name = f"group_norm(num_groups={self.num_groups})"
        y, saved = group_norm_forward(name, x, self.num_groups, channels, weight, bias, self.eps)
        self.save_for_backward(*saved)
        return y

    def backward(self, dy: Array) -> tuple:
        need = self.needs_input_grad
        dx, dw, db = group_norm_backward(dy, self.saved, need[0], need[1])
        return dx, dw if need[1] else None, db if need[2] else None


# --- BatchNorm -----------------------------------------------------------------------------------
# The input is viewed as (N, C, K), K = prod(spatial dims), and every per-channel sum is a sum of
# per-row sums over (N*C, K) rows: a matrix-vector product (or a fused einsum for sums of
# products) then a small (N, C) -> (C,) sum. NumPy's reduction over axes (0, 2, 3) is ~5-10x
# slower. Elementwise steps scale or shift (N, C, K) per channel with ``per_channel`` operands.
def channel_sum(a: Array, b: Array | None = None) -> Array:
    """Per-channel ``sum(a)``, or ``sum(a * b)`` without making the product; a, b (N, C, K)."""
    xp = get_backend(a).xp
    n, c, k = a.shape
    if k == 1:  # (N, C): column sums
        a2 = a.reshape(n, c)
        if b is not None:
            return xp.einsum("nc,nc->c", a2, b.reshape(n, c))
        return (xp.ones((1, n), a.dtype) @ a2).reshape(c)
    a2 = a.reshape(n * c, k)
    if b is None:
        rows = a2 @ xp.ones(k, a.dtype)
    else:
        rows = xp.einsum("ik,ik->i", a2, b.reshape(n * c, k))
    return rows.reshape(n, c).sum(axis=0)


def per_channel(v: Array, k: int) -> Array:
    """The per-channel vector ``v`` (C,) as a contiguous (C, K) operand for (N, C, K) arrays.

    NumPy runs ``(N, C, K) * (C, K)`` as long contiguous loops, ~1.5x faster than broadcasting a
    (C, 1) column; the copy is 1/N of the work.
    """
    if k == 1:
        return v.reshape(-1, 1)
    return get_backend(v).xp.repeat(v, k).reshape(-1, k)


def batch_norm_forward(name: str, x: Array, running_mean: Array | None, running_var: Array | None,
                       weight: Array | None, bias: Array | None, training: bool, momentum: float,
                       eps: float) -> tuple[Array, tuple]:  # fmt: skip
    """Normalise ``x`` (N, C, *) per channel; training also updates the running stats in place."""
    if weight is None:
        check_affine_dtype(name, x, running_mean, "running_mean")
    check_affine_dtype(name, x, weight)
    xp = get_backend(x).xp
    c = x.shape[1]
    k = math.prod(x.shape[2:])
    x3 = x.reshape(x.shape[0], c, k)
    if training:
        n = x.size // c
        if n <= 1:
            raise ValueError(
                f"{name}: expected more than 1 value per channel when training, got input of "
                f"shape {tuple(x.shape)}"
            )
        mean = channel_sum(x3) / n
        xhat = x3 - per_channel(mean, k)
        var = channel_sum(xhat, xhat) / n  # biased, from the centred values
        invstd = 1 / xp.sqrt(var + eps)
        if running_mean is not None:
            running_mean *= 1 - momentum
            running_mean += momentum * mean
        if running_var is not None:
            running_var *= 1 - momentum
            running_var += (momentum * n / (n - 1)) * var
    else:
        invstd = (1 / xp.sqrt(running_var + eps)).astype(x.dtype, copy=False)
        xhat = x3 - per_channel(running_mean.astype(x.dtype, copy=False), k)
    xhat *= per_channel(invstd, k)
    if weight is None:
        y = xhat if bias is None else xhat + per_channel(bias, k)
    else:
        y = xhat * per_channel(weight, k)
        if bias is not None:
            y += per_channel(bias, k)
    return y.reshape(x.shape), (xhat, invstd, weight, bias is not None, training)


def batch_norm_backward(dy: Array, saved: tuple, need_dx: bool, need_dw: bool) -> tuple:
    xhat, invstd, weight, has_bias, training = saved
    dy3 = dy.reshape(xhat.shape)
    # sum(dy) and sum(dy * xhat) are the parameter gradients and, times weight, the two sums
    # of the closed-form input gradient: dx = w invstd (dy - mean(dy) - xhat mean(dy xhat))
    db = channel_sum(dy3) if has_bias or (need_dx and training) else None
    dw = channel_sum(dy3, xhat) if need_dw or (need_dx and training) else None
    dx = None
    if need_dx:
        scale = invstd if weight is None else invstd * weight
        if training:
            n, k = dy.size // dy.shape[1], xhat.shape[2]
            # (dy - (xhat mean(dy xhat) + mean(dy))) * scale: one array, four passes
            dx = xhat * per_channel(dw / n, k)
            dx += per_channel(db / n, k)
            get_backend(dy).xp.subtract(dy3, dx, out=dx)
            dx *= per_channel(scale, k)
        else:
            dx = dy3 * per_channel(scale, xhat.shape[2])
        dx = dx.reshape(dy.shape)
    return dx, dw if need_dw and weight is not None else None, db if has_bias else None


class BatchNormFunction(Function):
    """``F.batch_norm``: the BatchNorm maths as a Function of (input, weight, bias)."""

    def __init__(self, running_mean: Array | None, running_var: Array | None, training: bool,
                 momentum: float, eps: float) -> None:  # fmt: skip
        self.running_mean, self.running_var = running_mean, running_var
        self.training, self.momentum, self.eps = training, momentum, eps

    def forward(self, x: Array, weight: Array | None, bias: Array | None) -> Array:
        if x.ndim < 2:
            raise ValueError(f"batch_norm expects input of shape (N, C, *), got {tuple(x.shape)}")
        for label, v in (("running_mean", self.running_mean), ("running_var", self.running_var),
                         ("weight", weight), ("bias", bias)):  # fmt: skip
            if v is not None and tuple(v.shape) != (x.shape[1],):
                raise ValueError(
                    f"batch_norm: {label} must have shape ({x.shape[1]},) for input of shape "
                    f"{tuple(x.shape)}, got {tuple(v.shape)}"
                )
        if not self.training and (self.running_mean is None or self.running_var is None):
            raise ValueError(
                "batch_norm: running_mean and running_var are needed when training=False"
            )
        y, saved = batch_norm_forward("batch_norm", x, self.running_mean, self.running_var, weight,
                                      bias, self.training, self.momentum, self.eps)  # fmt: skip
        self.save_for_backward(*saved)
        return y

    def backward(self, dy: Array) -> tuple:
        need = self.needs_input_grad
        dx, dw, db = batch_norm_backward(dy, self.saved, need[0], need[1])
        return dx, dw, db if need[2] else None
