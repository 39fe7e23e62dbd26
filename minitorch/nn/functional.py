"""Functional forms of the layers and losses: ``F.relu(x)`` is ``ReLU()(x)``.

Forms with weights (``conv2d``, ``layer_norm``, ``embedding`` ...) run the Functions in
``nn/functions/``, which differentiate the weight tensors too; parameter-free forms (pooling,
dropout, most activations, losses) build the layer per call. Forms defined next to their
kernels in ``nn/functions/`` (``pad``, ``interpolate``, ``pixel_shuffle``, ``instance_norm``,
``normalize``, ``cosine_similarity``, ``hardtanh``, ``prelu``, ``one_hot`` ...) are imported
here.

Some 350 lines: one thin wrapper per PyTorch function name, nothing else.
"""

from __future__ import annotations

from typing import Any

from minitorch.autograd import Tensor
from minitorch.autograd.ops.activation import LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from minitorch.autograd.ops.indexing import one_hot  # noqa: F401  (F.one_hot, as in PyTorch)
from minitorch.nn.functions.activation import (  # re-exported (``name as name``)
    hardsigmoid as hardsigmoid, hardswish as hardswish, hardtanh as hardtanh,
    logsigmoid as logsigmoid, mish as mish, relu6 as relu6, softmin as softmin,
    softsign as softsign, tanhshrink as tanhshrink,
)  # fmt: skip
from minitorch.nn.functions.attention import AttentionFunction
from minitorch.nn.functions.conv import ConvFunction
from minitorch.nn.functions.distance import (
    cosine_similarity as cosine_similarity, normalize as normalize,
    pairwise_distance as pairwise_distance,
)  # fmt: skip
from minitorch.nn.functions.embedding import EmbeddingFunction
from minitorch.nn.functions.instance_norm import instance_norm as instance_norm
from minitorch.nn.functions.interpolate import interpolate as interpolate
from minitorch.nn.functions.interpolate import upsample as upsample
from minitorch.nn.functions.norm import BatchNormFunction, GroupNormFunction, LayerNormFunction
from minitorch.nn.functions.padding import pad as pad
from minitorch.nn.functions.pixel_shuffle import pixel_shuffle as pixel_shuffle
from minitorch.nn.functions.pixel_shuffle import pixel_unshuffle as pixel_unshuffle
from minitorch.nn.functions.prelu import prelu as prelu
from minitorch.nn.layers.activation import ELU, GELU, LeakyReLU, SiLU, Softplus
from minitorch.nn.layers.dropout import Dropout, Dropout2d
from minitorch.nn.layers.pooling import (
    AdaptiveAvgPool2d, AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d,
)  # fmt: skip
from minitorch.nn.layers.activation import ReLU as ReLULayer
from minitorch.nn.layers.pooling import AdaptiveAvgPool1d, AdaptiveMaxPool1d, AdaptiveMaxPool2d
from minitorch.nn.losses import (
    BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, KLDivLoss, L1Loss, MSELoss, NLLLoss,
    SmoothL1Loss,
)  # fmt: skip


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:  # noqa: A002
    """``input @ weight.T + bias`` with gradients for all three."""
    y = input @ weight.T
    return y if bias is None else y + bias


def relu(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """``max(input, 0)`` elementwise (``inplace`` as ``nn.ReLU``)."""
    return ReLULayer(inplace=True)(input) if inplace else ReLU()(input)


def sigmoid(input: Tensor) -> Tensor:  # noqa: A002
    """``1 / (1 + exp(-input))`` elementwise."""
    return Sigmoid()(input)


def tanh(input: Tensor) -> Tensor:  # noqa: A002
    """``tanh(input)`` elementwise."""
    return Tanh()(input)


def leaky_relu(input: Tensor, negative_slope: float = 0.01,  # noqa: A002
               inplace: bool = False) -> Tensor:  # fmt: skip
    """``input`` where positive, else ``negative_slope * input``."""
    return LeakyReLU(negative_slope, inplace)(input)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:  # noqa: A002
    """``input`` where positive, else ``alpha * (exp(input) - 1)``."""
    return ELU(alpha, inplace)(input)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:  # noqa: A002
    """``input * Phi(input)``, Phi the normal CDF (``approximate='tanh'``: its tanh form)."""
    return GELU(approximate)(input)


def silu(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """``input * sigmoid(input)`` (swish)."""
    return SiLU(inplace)(input)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:  # noqa: A002
    """``log(1 + exp(beta * input)) / beta``, and ``input`` where ``beta * input > threshold``."""
    return Softplus(beta, threshold)(input)


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,  # noqa: A002
            dtype: Any = None) -> Tensor:  # fmt: skip
    """``dtype`` converts the input first (as PyTorch, to avoid overflow in low precision)."""
    return Softmax(dim)(input if dtype is None else input.to(dtype))


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,  # noqa: A002
                dtype: Any = None) -> Tensor:  # fmt: skip
    """``log(softmax(input, dim))`` computed stably; ``dtype`` converts the input first."""
    return LogSoftmax(dim)(input if dtype is None else input.to(dtype))


# --- dropout, normalisation, embedding (the layers' maths; weight tensors get gradients too) ---
def dropout(input: Tensor, p: float = 0.5, training: bool = True,  # noqa: A002
            inplace: bool = False) -> Tensor:  # fmt: skip
    """Zero each element with probability ``p``, the rest scaled by 1/(1-p) (if ``training``)."""
    layer = Dropout(p, inplace)
    layer.training = training
    return layer(input)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True,  # noqa: A002
              inplace: bool = False) -> Tensor:  # fmt: skip
    """Zero whole channels with probability ``p``, the rest scaled by 1/(1-p) (if ``training``)."""
    layer = Dropout2d(p, inplace)
    layer.training = training
    return layer(input)


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,  # noqa: A002
               weight: Tensor | None = None, bias: Tensor | None = None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-5) -> Tensor:  # fmt: skip
    """Normalise per channel; with ``training`` the running stats are updated in place."""
    mean = running_mean.array if isinstance(running_mean, Tensor) else running_mean
    var = running_var.array if isinstance(running_var, Tensor) else running_var
    return BatchNormFunction(mean, var, training, momentum, eps)(input, weight, bias)


def layer_norm(input: Tensor, normalized_shape: Any, weight: Tensor | None = None,  # noqa: A002
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:  # fmt: skip
    """Normalise over the last ``len(normalized_shape)`` dims, then ``* weight + bias``."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    return LayerNormFunction(shape, eps)(input, weight, bias)


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None,  # noqa: A002
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:  # fmt: skip
    """Normalise each sample over groups of channels, then per-channel ``* weight + bias``."""
    return GroupNormFunction(num_groups, eps)(input, weight, bias)


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None,  # noqa: A002
              max_norm: float | None = None, norm_type: float = 2.0,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:  # fmt: skip
    """``weight[input]``; the gradient reaches ``weight`` (except its ``padding_idx`` row)."""
    if max_norm is not None or sparse:
        raise NotImplementedError("embedding: max_norm and sparse gradients are not supported")
    if padding_idx is not None:
        padding_idx %= weight.shape[0]
    return EmbeddingFunction(padding_idx, scale_grad_by_freq)(input, weight)


# --- losses (the loss Layers, built per call; see minitorch/nn/losses/) -------------------------
def _weighted(name: str, loss: Tensor, input: Tensor, weight: Any, reduction: str,  # noqa: A002
              mean_by_weight: bool) -> Tensor:  # fmt: skip
    """PyTorch's per-element ``weight`` of mse/l1/huber_loss, on the unreduced loss."""
    weight = weight if isinstance(weight, Tensor) else Tensor(weight)
    if weight.shape != input.shape:
        raise ValueError(
            f"{name}: weight shape {tuple(weight.shape)} must equal the input shape "
            f"{tuple(input.shape)}"
        )
    loss = loss * weight
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / weight.sum() if mean_by_weight else loss.mean()


def mse_loss(input: Tensor, target: Any, size_average: bool | None = None,  # noqa: A002
             reduce: bool | None = None, reduction: str = "mean",
             weight: Any = None) -> Tensor:  # fmt: skip
    """``mean((input - target)^2)`` (or sum, or per element; see ``nn.MSELoss``).

    Args:
        weight: per-element weights of the input's shape; ``'mean'`` then divides by their sum.
    """
    if weight is None:
        return MSELoss(size_average, reduce, reduction)(input, target)
    loss = MSELoss(size_average, reduce, "none")(input, target)
    return _weighted("mse_loss", loss, input, weight, reduction, True)


def l1_loss(input: Tensor, target: Any, size_average: bool | None = None,  # noqa: A002
            reduce: bool | None = None, reduction: str = "mean",
            weight: Any = None) -> Tensor:  # fmt: skip
    """``mean(|input - target|)`` (or sum, or per element; see ``nn.L1Loss``).

    Args:
        weight: per-element weights of the input's shape; ``'mean'`` then divides by their sum.
    """
    if weight is None:
        return L1Loss(size_average, reduce, reduction)(input, target)
    loss = L1Loss(size_average, reduce, "none")(input, target)
    return _weighted("l1_loss", loss, input, weight, reduction, True)


def huber_loss(input: Tensor, target: Any, reduction: str = "mean", delta: float = 1.0,  # noqa: A002
               weight: Any = None) -> Tensor:  # fmt: skip
    """Huber loss of ``input - target`` with threshold ``delta`` (see ``nn.HuberLoss``).

    Args:
        weight: per-element weights of the input's shape, applied before the reduction.
    """
    if weight is None:
        return HuberLoss(reduction, delta)(input, target)
    loss = HuberLoss("none", delta)(input, target)
    return _weighted("huber_loss", loss, input, weight, reduction, False)


def smooth_l1_loss(input: Tensor, target: Any, size_average: bool | None = None,  # noqa: A002
                   reduce: bool | None = None, reduction: str = "mean",
                   beta: float = 1.0) -> Tensor:  # fmt: skip
    """Smooth L1 loss of ``input - target`` with threshold ``beta`` (see ``nn.SmoothL1Loss``)."""
    return SmoothL1Loss(size_average, reduce, reduction, beta)(input, target)


def cross_entropy(input: Tensor, target: Any, weight: Any = None,  # noqa: A002
                  size_average: bool | None = None, ignore_index: int = -100,
                  reduce: bool | None = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:  # fmt: skip
    """Cross entropy of logits ``input`` and class targets (see ``nn.CrossEntropyLoss``)."""
    loss = CrossEntropyLoss(weight, size_average, ignore_index, reduce, reduction, label_smoothing)
    return loss(input, target)


def nll_loss(input: Tensor, target: Any, weight: Any = None,  # noqa: A002
             size_average: bool | None = None, ignore_index: int = -100,
             reduce: bool | None = None, reduction: str = "mean") -> Tensor:  # fmt: skip
    """Negative log-likelihood of log-probabilities ``input`` at the targets (``nn.NLLLoss``)."""
    return NLLLoss(weight, size_average, ignore_index, reduce, reduction)(input, target)


def binary_cross_entropy(input: Tensor, target: Any, weight: Any = None,  # noqa: A002
                         size_average: bool | None = None, reduce: bool | None = None,
                         reduction: str = "mean") -> Tensor:  # fmt: skip
    """Binary cross entropy of probabilities ``input`` and targets (see ``nn.BCELoss``)."""
    return BCELoss(weight, size_average, reduce, reduction)(input, target)


def binary_cross_entropy_with_logits(input: Tensor, target: Any, weight: Any = None,  # noqa: A002
                                     size_average: bool | None = None,
                                     reduce: bool | None = None, reduction: str = "mean",
                                     pos_weight: Any = None) -> Tensor:  # fmt: skip
    """Sigmoid and binary cross entropy in one stable step (see ``nn.BCEWithLogitsLoss``)."""
    loss = BCEWithLogitsLoss(weight, size_average, reduce, reduction, pos_weight)
    return loss(input, target)


def kl_div(input: Tensor, target: Any, size_average: bool | None = None,  # noqa: A002
           reduce: bool | None = None, reduction: str = "mean",
           log_target: bool = False) -> Tensor:  # fmt: skip
    """KL divergence of ``target`` from log-probabilities ``input`` (see ``nn.KLDivLoss``)."""
    return KLDivLoss(size_average, reduce, reduction, log_target)(input, target)


# --- convolution and pooling (the same math as the layers; conv also differentiates weight, bias)
def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,  # noqa: A002
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:  # fmt: skip
    """1-d cross-correlation of ``input`` (N, C_in, L) and ``weight`` (C_out, C_in/groups, k)."""
    return ConvFunction(1, stride, padding, dilation, groups)(input, weight, bias)


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,  # noqa: A002
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:  # fmt: skip
    """2-d cross-correlation of ``input`` (N, C_in, H, W) and ``weight`` (see ``nn.Conv2d``)."""
    return ConvFunction(2, stride, padding, dilation, groups)(input, weight, bias)


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None,  # noqa: A002
                     stride: Any = 1, padding: Any = 0, output_padding: Any = 0, groups: int = 1,
                     dilation: Any = 1) -> Tensor:  # fmt: skip
    """Transposed 2-d convolution; ``weight`` is (C_in, C_out/groups, kh, kw)."""
    fn = ConvFunction(2, stride, padding, dilation, groups, True, output_padding)
    return fn(input, weight, bias)


def max_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,  # noqa: A002
               dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False) -> Any:  # fmt: skip
    """Maximum over windows of ``kernel_size`` along L (see ``nn.MaxPool1d``)."""
    return MaxPool1d(kernel_size, stride, padding, dilation, return_indices, ceil_mode)(input)


def max_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,  # noqa: A002
               dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False) -> Any:  # fmt: skip
    """Maximum over ``kernel_size`` windows of each (H, W) plane (see ``nn.MaxPool2d``)."""
    return MaxPool2d(kernel_size, stride, padding, dilation, return_indices, ceil_mode)(input)


def avg_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,  # noqa: A002
               ceil_mode: bool = False, count_include_pad: bool = True) -> Tensor:  # fmt: skip
    """Mean over windows of ``kernel_size`` along L (see ``nn.AvgPool1d``)."""
    return AvgPool1d(kernel_size, stride, padding, ceil_mode, count_include_pad)(input)


def avg_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,  # noqa: A002
               ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> Tensor:  # fmt: skip
    """Mean over ``kernel_size`` windows of each (H, W) plane (see ``nn.AvgPool2d``)."""
    pool = AvgPool2d(kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)
    return pool(input)


def adaptive_avg_pool1d(input: Tensor, output_size: Any) -> Tensor:  # noqa: A002
    """Mean over the adaptive windows that give ``output_size`` along L."""
    return AdaptiveAvgPool1d(output_size)(input)


def adaptive_avg_pool2d(input: Tensor, output_size: Any) -> Tensor:  # noqa: A002
    """Mean over the adaptive windows that give an ``output_size`` plane."""
    return AdaptiveAvgPool2d(output_size)(input)


def adaptive_max_pool1d(input: Tensor, output_size: Any,  # noqa: A002
                        return_indices: bool = False) -> Any:  # fmt: skip
    """Maximum over the adaptive windows that give ``output_size`` along L."""
    return AdaptiveMaxPool1d(output_size, return_indices)(input)


def adaptive_max_pool2d(input: Tensor, output_size: Any,  # noqa: A002
                        return_indices: bool = False) -> Any:  # fmt: skip
    """Maximum over the adaptive windows that give an ``output_size`` plane."""
    return AdaptiveMaxPool2d(output_size, return_indices)(input)


# --- attention ---
def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor, attn_mask: Any = None,
                                 dropout_p: float = 0.0, is_causal: bool = False,
                                 scale: float | None = None,
                                 enable_gqa: bool = False) -> Tensor:  # fmt: skip
    """``softmax(query @ key^T * scale + mask) @ value``; a bool ``attn_mask`` is True where
    attention is allowed (PyTorch's convention here), a float one is added to the scores.
    ``enable_gqa``: key/value heads (dim -3) repeated to the query's (grouped-query)."""
    if enable_gqa and key.ndim >= 3 and key.shape[-3] != query.shape[-3]:
        key, value = _repeat_heads(key, query.shape[-3]), _repeat_heads(value, query.shape[-3])
    return AttentionFunction(dropout_p, is_causal, scale)(query, key, value, attn_mask)


def _repeat_heads(t: Tensor, heads: int) -> Tensor:
    """(*, H, S, E) -> (*, heads, S, E), each head repeated in place (repeat_interleave)."""
    *lead, h, s, e = t.shape
    if heads % h:
        raise ValueError(
            f"scaled_dot_product_attention: {heads} query heads are not a multiple of {h} "
            "key/value heads (enable_gqa=True)"
        )
    return t.unsqueeze(-3).expand(*lead, h, heads // h, s, e).reshape(*lead, heads, s, e)
