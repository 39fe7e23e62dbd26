"""``LayerNorm`` and ``GroupNorm``, and the standardisation maths that BatchNorm shares.

Each norm computes ``xhat = (x - mean) / sqrt(var + eps)`` over some axes (biased variance) and
``y = xhat * weight + bias``. The backward is the compact closed form
``dx = invstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))`` with ``dxhat = dy * weight``.
The functional forms (``F.layer_norm`` ...) run the same maths as a ``Function`` of
(input, weight, bias), so gradients reach weight tensors that are not Parameters of a layer.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

from minitorch.autograd import Function
from minitorch.backend import Array, get_backend
from minitorch.nn import init
from minitorch.nn.layer import Layer
from minitorch.nn.parameter import Parameter, empty_param


def standardize(x: Array, axes: tuple, eps: float) -> tuple[Array, Array, Array, Array]:
    """``(xhat, invstd, mean, var)`` over ``axes`` (kept as size-1 dims); var is biased."""
    mean = x.mean(axis=axes, keepdims=True)
    xhat = x - mean
    var = (xhat * xhat).mean(axis=axes, keepdims=True)
    invstd = 1 / get_backend(x).xp.sqrt(var + eps)
    xhat *= invstd
    return xhat, invstd, mean, var


def standardize_backward(dxhat: Array, xhat: Array, invstd: Array, axes: tuple) -> Array:
    """dL/dx from dL/dxhat: ``invstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))``."""
    dx = dxhat - dxhat.mean(axis=axes, keepdims=True)
    dx -= xhat * (dxhat * xhat).mean(axis=axes, keepdims=True)
    dx *= invstd
    return dx


def check_affine_dtype(name: str, x: Array, weight: Array | None) -> None:
    if weight is not None and weight.dtype != x.dtype:
        raise TypeError(
            f"{name}: input dtype {x.dtype} differs from weight dtype {weight.dtype}; convert "
            f"the input with .to({weight.dtype}) or the model with .to(dtype)"
        )


def affine(xhat: Array, weight: Array | None, bias: Array | None, shape: tuple) -> Array:
    """``xhat * weight + bias`` with the per-feature vectors viewed as ``shape``."""
    y = xhat if weight is None else xhat * weight.reshape(shape)
    return y if bias is None else y + bias.reshape(shape)


def add_param_grads(layer: Layer, dw: Array | None, db: Array | None) -> None:
    """``weight.grad += dw``, ``bias.grad += db`` (fresh sums) for the parameters that want it."""
    if dw is not None:
        layer.add_grad(layer.weight, dw)
    if db is not None:
        layer.add_grad(layer.bias, db)


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
    invstd = 1 / xp.sqrt(var + eps)
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


class LayerNorm(Layer):
    """Normalises over the last ``len(normalized_shape)`` dims: ``y = xhat * weight + bias``.

    Shape: input (*, *normalized_shape) -> same; weight and bias normalized_shape.
    """

    def __init__(self, normalized_shape: int | Sequence[int], eps: float = 1e-5,
                 elementwise_affine: bool = True, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:  # fmt: skip
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else normalized_shape
        self.normalized_shape = tuple(int(n) for n in shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        self.weight = self.bias = None
        if elementwise_affine:
            self.weight = Parameter(empty_param(self.normalized_shape, device, dtype))
            if bias:
                self.bias = Parameter(empty_param(self.normalized_shape, device, dtype))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        if self.weight is not None:
            init.ones_(self.weight)
        if self.bias is not None:
            init.zeros_(self.bias)

    def forward(self, x: Array) -> Array:
        w, b = _data(self.weight), _data(self.bias)
        y, saved = layer_norm_forward(
            f"LayerNorm({self.normalized_shape})", x, self.normalized_shape, w, b, self.eps
        )
        self.save_for_backward(*saved)
        return y

    def backward(self, dy: Array) -> Array | None:
        need_dw = self.weight is not None and self.weight.requires_grad
        dx, dw, db = layer_norm_backward(dy, self.saved, self.needs_input_grad[0], need_dw)
        add_param_grads(self, dw, db)
        return dx

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}")  # fmt: skip


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
    xhat, invstd, _, _ = standardize(x.reshape(n, groups, -1), (2,), eps)
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
        dx = standardize_backward(
            dxhat.reshape(n, groups, -1), xhat.reshape(n, groups, -1), invstd, (2,)
        ).reshape(dy.shape)
    return dx, dw, db


class GroupNorm(Layer):
    """Normalises each sample over groups of ``num_channels // num_groups`` channels (and all
    positions); per-channel ``weight`` and ``bias``.

    Shape: input (N, num_channels, *) -> same; weight and bias (num_channels,).
    """

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5, affine: bool = True,
                 device: Any = None, dtype: Any = None) -> None:  # fmt: skip
        super().__init__()
        if num_groups <= 0 or num_channels % num_groups:
            raise ValueError(
                f"GroupNorm: num_channels ({num_channels}) must be divisible by num_groups "
                f"({num_groups}), and num_groups must be positive"
            )
        self.num_groups, self.num_channels = num_groups, num_channels
        self.eps, self.affine = eps, affine
        self.weight = self.bias = None
        if affine:
            self.weight = Parameter(empty_param((num_channels,), device, dtype))
            self.bias = Parameter(empty_param((num_channels,), device, dtype))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        if self.affine:
            init.ones_(self.weight)
            init.zeros_(self.bias)

    def forward(self, x: Array) -> Array:
        name = f"GroupNorm({self.num_groups}, {self.num_channels})"
        y, saved = group_norm_forward(name, x, self.num_groups, self.num_channels,
                                      _data(self.weight), _data(self.bias), self.eps)  # fmt: skip
        self.save_for_backward(*saved)
        return y

    def backward(self, dy: Array) -> Array | None:
        need_dw = self.weight is not None and self.weight.requires_grad
        dx, dw, db = group_norm_backward(dy, self.saved, self.needs_input_grad[0], need_dw)
        add_param_grads(self, dw, db)
        return dx

    def extra_repr(self) -> str:
        return f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}"


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


def _data(param: Parameter | None) -> Array | None:
    return None if param is None else param.array
