"""The math of the layers, once: each family's array kernels and the Functions behind
``nn.functional``.

One module per family: ``conv`` (with the sliding-window kernels of ``im2col``, which pooling
shares), ``norm`` (layer, group and batch norm), ``instance_norm``, ``pool``,
``adaptive_pool``, ``embedding``, ``attention``, ``dropout``, ``padding``, ``interpolate``,
``pixel_shuffle``, ``distance`` (normalize, cosine similarity, pairwise distance), ``prelu``,
``activation`` (the piecewise and smooth activations, and ``write_back`` for ``inplace=``),
``one_hot``. The layers in ``nn/layers/`` own the parameters and call these kernels; the
``*Function`` classes are ``F.conv2d``, ``F.layer_norm`` ... on any weight tensors. The
elementary activations (ReLU, Sigmoid, Tanh, Softmax, LogSoftmax) live below, in
``autograd/ops/activation.py``.
"""

from minitorch.nn.functions.attention import AttentionFunction
from minitorch.nn.functions.conv import ConvFunction
from minitorch.nn.functions.distance import (
    CosineSimilarityFunction,
    NormalizeFunction,
    PairwiseDistanceFunction,
)
from minitorch.nn.functions.embedding import EmbeddingFunction
from minitorch.nn.functions.instance_norm import InstanceNormFunction
from minitorch.nn.functions.interpolate import InterpolateFunction
from minitorch.nn.functions.norm import BatchNormFunction, GroupNormFunction, LayerNormFunction
from minitorch.nn.functions.padding import PadFunction
from minitorch.nn.functions.pixel_shuffle import PixelShuffleFunction
from minitorch.nn.functions.prelu import PReLUFunction

__all__ = [
    "AttentionFunction",
    "BatchNormFunction",
    "ConvFunction",
    "EmbeddingFunction",
    "GroupNormFunction",
    "LayerNormFunction",
]
__all__ += [
    "CosineSimilarityFunction", "InstanceNormFunction", "InterpolateFunction", "NormalizeFunction",
    "PReLUFunction", "PadFunction", "PairwiseDistanceFunction", "PixelShuffleFunction",
]  # fmt: skip
