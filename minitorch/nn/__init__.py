"""Neural-network building blocks: Module, Layer, Parameter, the layer catalogue and losses."""

from minitorch.nn import functional, functions, init, parallel, utils
from minitorch.nn.containers import ModuleDict, ModuleList, Sequential
from minitorch.nn.layer import Layer
from minitorch.nn.layers import Identity, Linear, ReLU, Sigmoid, Tanh
from minitorch.nn.layers import GRU, LSTM, RNN, MultiheadAttention, TransformerEncoderLayer
from minitorch.nn.layers import (
    ELU, GELU, BatchNorm1d, BatchNorm2d, Dropout, Dropout2d, Embedding, Flatten, GroupNorm,
    LayerNorm, LeakyReLU, LogSoftmax, SiLU, Softmax, Softplus, Unflatten,
)  # fmt: skip
from minitorch.nn.layers import (
    AdaptiveAvgPool2d, AvgPool1d, AvgPool2d, Conv1d, Conv2d, ConvTranspose2d, MaxPool1d, MaxPool2d,
)  # fmt: skip
from minitorch.nn.layers import GRUCell, LSTMCell, RNNCell
from minitorch.nn.layers import (
    Transformer, TransformerDecoder, TransformerDecoderLayer, TransformerEncoder,
)  # fmt: skip
from minitorch.nn.losses import (
    BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, KLDivLoss, L1Loss, MSELoss, NLLLoss,
    SmoothL1Loss,
)  # fmt: skip
# PyTorch-parity additions: more activations, padding, resizing, adaptive pooling, norms
from minitorch.nn.containers import ParameterDict, ParameterList
from minitorch.nn.layers import (
    AdaptiveAvgPool1d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, CircularPad1d, CircularPad2d,
    CircularPad3d, ConstantPad1d, ConstantPad2d, ConstantPad3d, CosineSimilarity, Hardsigmoid,
    Hardswish, Hardtanh, InstanceNorm1d, InstanceNorm2d, LogSigmoid, Mish, PairwiseDistance,
    PixelShuffle, PixelUnshuffle, PReLU, ReflectionPad1d, ReflectionPad2d, ReflectionPad3d,
    ReLU6, ReplicationPad1d, ReplicationPad2d, ReplicationPad3d, Softmin, Softsign, Tanhshrink,
    Upsample, UpsamplingBilinear2d, UpsamplingNearest2d, ZeroPad1d, ZeroPad2d, ZeroPad3d,
)  # fmt: skip
from minitorch.nn.module import Module
from minitorch.nn.parameter import Parameter

__all__ = [
    "AdaptiveAvgPool2d",
    "AvgPool1d",
    "AvgPool2d",
    "BCELoss",
    "BCEWithLogitsLoss",
    "BatchNorm1d",
    "BatchNorm2d",
    "Conv1d",
    "Conv2d",
    "ConvTranspose2d",
    "CrossEntropyLoss",
    "Dropout",
    "Dropout2d",
    "ELU",
    "Embedding",
    "Flatten",
    "GELU",
    "GRU",
    "GroupNorm",
    "HuberLoss",
    "Identity",
    "KLDivLoss",
    "L1Loss",
    "LSTM",
    "Layer",
    "LayerNorm",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "MSELoss",
    "MaxPool1d",
    "MaxPool2d",
    "Module",
    "ModuleDict",
    "ModuleList",
    "MultiheadAttention",
    "NLLLoss",
    "Parameter",
    "RNN",
    "ReLU",
    "Sequential",
    "SiLU",
    "Sigmoid",
    "SmoothL1Loss",
    "Softmax",
    "Softplus",
    "Tanh",
    "TransformerEncoderLayer",
    "Unflatten",
    "functional",
    "functions",
    "init",
    "utils",
    "GRUCell",
    "LSTMCell",
    "RNNCell",
    "Transformer",
    "TransformerDecoder",
    "TransformerDecoderLayer",
    "TransformerEncoder",
    "parallel",
]
__all__ += [
    "AdaptiveAvgPool1d",
    "AdaptiveMaxPool1d",
    "AdaptiveMaxPool2d",
    "CircularPad1d",
    "CircularPad2d",
    "CircularPad3d",
    "ConstantPad1d",
    "ConstantPad2d",
    "ConstantPad3d",
    "CosineSimilarity",
    "Hardsigmoid",
    "Hardswish",
    "Hardtanh",
    "InstanceNorm1d",
    "InstanceNorm2d",
    "LogSigmoid",
    "Mish",
    "PReLU",
    "PairwiseDistance",
    "ParameterDict",
    "ParameterList",
    "PixelShuffle",
    "PixelUnshuffle",
    "ReLU6",
    "ReflectionPad1d",
    "ReflectionPad2d",
    "ReflectionPad3d",
    "ReplicationPad1d",
    "ReplicationPad2d",
    "ReplicationPad3d",
    "Softmin",
    "Softsign",
    "Tanhshrink",
    "Upsample",
    "UpsamplingBilinear2d",
    "UpsamplingNearest2d",
    "ZeroPad1d",
    "ZeroPad2d",
    "ZeroPad3d",
]
