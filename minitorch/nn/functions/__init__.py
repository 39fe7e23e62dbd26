"""The math of the layers, once: each family's array kernels and the Functions behind
``nn.functional``.

One module per family: ``conv`` (with the sliding-window kernels of ``im2col``, which pooling
shares), ``norm`` (layer, group and batch norm), ``pool``, ``embedding``, ``attention``,
``dropout``. The layers in ``nn/layers/`` own the parameters and call these kernels; the
``*Function`` classes are ``F.conv2d``, ``F.layer_norm`` ... on any weight tensors. The
elementary activations (ReLU, Sigmoid, Tanh, Softmax, LogSoftmax) live below, in
``autograd/ops/activation.py``.
"""

from minitorch.nn.functions.attention import AttentionFunction
from minitorch.nn.functions.conv import ConvFunction
from minitorch.nn.functions.embedding import EmbeddingFunction
from minitorch.nn.functions.norm import BatchNormFunction, GroupNormFunction, LayerNormFunction

__all__ = [
    "AttentionFunction",
    "BatchNormFunction",
    "ConvFunction",
    "EmbeddingFunction",
    "GroupNormFunction",
    "LayerNormFunction",
]
