"""The layer catalogue, one family per file."""

from minitorch.nn.layers.activation import (
    ELU, GELU, LeakyReLU, ReLU, Sigmoid, SiLU, Softplus, Tanh,
)  # fmt: skip
from minitorch.nn.layers.attention import MultiheadAttention
from minitorch.nn.layers.batchnorm import BatchNorm1d, BatchNorm2d
from minitorch.nn.layers.conv import Conv1d, Conv2d, ConvTranspose2d
from minitorch.nn.layers.dropout import Dropout, Dropout2d
from minitorch.nn.layers.embedding import Embedding
from minitorch.nn.layers.flatten import Flatten, Unflatten
from minitorch.nn.layers.gru import GRU
from minitorch.nn.layers.linear import Identity, Linear
from minitorch.nn.layers.lstm import LSTM
from minitorch.nn.layers.normalization import GroupNorm, LayerNorm
from minitorch.nn.layers.pooling import (
    AdaptiveAvgPool2d, AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d,
)  # fmt: skip
from minitorch.nn.layers.rnn import RNN
from minitorch.nn.layers.softmax import LogSoftmax, Softmax
from minitorch.nn.layers.transformer import TransformerEncoderLayer
from minitorch.nn.layers.rnn_cells import GRUCell, LSTMCell, RNNCell
from minitorch.nn.layers.transformer import TransformerDecoderLayer
from minitorch.nn.layers.transformer_model import Transformer
from minitorch.nn.layers.transformer_stack import TransformerDecoder, TransformerEncoder

# PyTorch-parity additions: more activations, padding, resizing, adaptive pooling, norms
from minitorch.nn.layers.distance import CosineSimilarity, PairwiseDistance
from minitorch.nn.layers.instancenorm import InstanceNorm1d, InstanceNorm2d
from minitorch.nn.layers.padding import (
    CircularPad1d, CircularPad2d, CircularPad3d, ConstantPad1d, ConstantPad2d, ConstantPad3d,
    ReflectionPad1d, ReflectionPad2d, ReflectionPad3d, ReplicationPad1d, ReplicationPad2d,
    ReplicationPad3d, ZeroPad1d, ZeroPad2d, ZeroPad3d,
)  # fmt: skip
from minitorch.nn.layers.piecewise import PReLU, Hardsigmoid, Hardswish, Hardtanh, ReLU6
from minitorch.nn.layers.pixelshuffle import PixelShuffle, PixelUnshuffle
from minitorch.nn.layers.pooling import AdaptiveAvgPool1d, AdaptiveMaxPool1d, AdaptiveMaxPool2d
from minitorch.nn.layers.smooth import LogSigmoid, Mish, Softsign, Tanhshrink
from minitorch.nn.layers.softmax import Softmin
from minitorch.nn.layers.upsampling import Upsample, UpsamplingBilinear2d, UpsamplingNearest2d

__all__ = [
    "AdaptiveAvgPool2d", "AvgPool1d", "AvgPool2d", "Conv1d", "Conv2d", "ConvTranspose2d",
    "MaxPool1d", "MaxPool2d",
    "GRU", "Identity", "LSTM", "Linear", "RNN", "ReLU", "Sigmoid", "Tanh",
    "MultiheadAttention", "TransformerEncoderLayer",
    "BatchNorm1d", "BatchNorm2d", "Dropout", "Dropout2d", "ELU", "Embedding", "Flatten", "GELU",
    "GroupNorm", "LayerNorm", "LeakyReLU", "LogSoftmax", "SiLU", "Softmax", "Softplus",
    "Unflatten",
    "GRUCell", "LSTMCell", "RNNCell",
    "Transformer", "TransformerDecoder", "TransformerDecoderLayer", "TransformerEncoder",
]
__all__ += [
    "AdaptiveAvgPool1d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "CircularPad1d",
    "CircularPad2d", "CircularPad3d", "ConstantPad1d", "ConstantPad2d", "ConstantPad3d",
    "CosineSimilarity", "Hardsigmoid", "Hardswish", "Hardtanh", "InstanceNorm1d",
    "InstanceNorm2d", "LogSigmoid", "Mish", "PReLU", "PairwiseDistance", "PixelShuffle",
    "PixelUnshuffle", "ReLU6", "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d",
    "ReplicationPad1d", "ReplicationPad2d", "ReplicationPad3d", "Softmin", "Softsign",
    "Tanhshrink", "Upsample", "UpsamplingBilinear2d", "UpsamplingNearest2d", "ZeroPad1d",
    "ZeroPad2d", "ZeroPad3d",
]  # fmt: skip
