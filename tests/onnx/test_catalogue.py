"""Each converter of minitorch/onnx against onnxruntime: the layers of the catalogue, the
nn.functional forms and the elementary tensor ops, one small module each."""

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from minitorch.nn import functional as F  # noqa: N812  (PyTorch's spelling)
from tests.onnx._roundtrip import assert_matches, randn

pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")


class Lambda(nn.Module):
    """A module whose forward is ``fn`` (for the elementary ops), with a weight ``W``, a bias
    ``b`` and an index buffer ``idx`` to use."""

    def __init__(self, fn, *children):
        super().__init__()
        self.fn = fn
        self.layers = nn.ModuleList(children)
        self.W = nn.Parameter(mt.tensor(randn(5, 4, seed=3)))
        self.b = nn.Parameter(mt.tensor(randn(5, seed=4)))
        self.register_buffer("idx", mt.tensor(np.array([[1, 0, 3], [2, 2, 0]])))
        self.register_buffer("kernel", mt.tensor(randn(4, 2, 3, 3, seed=5)))

    def forward(self, *xs):
        return self.fn(*xs)


class Ops(Lambda):
    def forward(self, x):
        return self.fn(self, x)


def _bn(layer, shape):
    mt.manual_seed(0)
    layer.train()
    layer(mt.tensor(randn(*shape, seed=9)))  # running statistics off their (0, 1) start
    return layer


LAYERS = {
    "conv1d_groups_dilation": (nn.Conv1d(4, 6, 3, padding=2, dilation=2, groups=2), (2, 4, 9)),
    "conv2d_stride": (nn.Conv2d(3, 5, (3, 2), stride=(2, 1), padding=(1, 0)), (2, 3, 7, 6)),
    "conv2d_same": (nn.Conv2d(2, 3, 4, padding="same"), (2, 2, 6, 6)),
    "conv2d_reflect": (nn.Conv2d(2, 3, 3, padding=1, padding_mode="reflect"), (2, 2, 5, 5)),
    "conv2d_replicate": (nn.Conv2d(2, 3, 3, padding=2, padding_mode="replicate"), (1, 2, 5, 5)),
    "conv2d_unbatched": (nn.Conv2d(2, 3, 3), (2, 5, 5)),
    "conv_transpose2d": (
        nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1, output_padding=1),
        (2, 3, 4, 4),
    ),  # fmt: skip
    "maxpool1d": (nn.MaxPool1d(3, stride=2, padding=1), (2, 3, 9)),
    "maxpool2d_dilation": (nn.MaxPool2d(2, stride=1, dilation=2), (2, 3, 6, 6)),
    "avgpool2d_pad": (nn.AvgPool2d(3, stride=2, padding=1), (2, 3, 7, 7)),
    "avgpool2d_exclude_pad": (
        nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False),
        (2, 3, 7, 7),
    ),  # fmt: skip
    "avgpool1d": (nn.AvgPool1d(2), (2, 3, 8)),
    "adaptive_global": (nn.AdaptiveAvgPool2d(1), (2, 3, 5, 7)),
    "adaptive_tiles": (nn.AdaptiveAvgPool2d((2, 3)), (2, 3, 4, 6)),
    "adaptive_uneven": (nn.AdaptiveAvgPool2d((3, 2)), (2, 3, 5, 7)),
    "batchnorm1d_2d": (_bn(nn.BatchNorm1d(4), (8, 4)), (3, 4)),
    "batchnorm1d_3d": (_bn(nn.BatchNorm1d(4, affine=False), (8, 4, 5)), (3, 4, 5)),
    "batchnorm2d": (_bn(nn.BatchNorm2d(3), (4, 3, 5, 5)), (2, 3, 5, 5)),
    "layernorm": (nn.LayerNorm((4, 5)), (2, 3, 4, 5)),
    "layernorm_no_affine": (nn.LayerNorm(5, elementwise_affine=False), (2, 5)),
    "groupnorm": (nn.GroupNorm(2, 4), (3, 4, 5, 2)),
    "groupnorm_3d": (nn.GroupNorm(3, 6, affine=False), (2, 6, 5)),
    "leaky_relu": (nn.LeakyReLU(0.2), (3, 7)),
    "elu": (nn.ELU(0.5), (3, 7)),
    "gelu": (nn.GELU(), (3, 7)),
    "gelu_tanh": (nn.GELU(approximate="tanh"), (3, 7)),
    "silu": (nn.SiLU(), (3, 7)),
    "softplus": (nn.Softplus(beta=2.0, threshold=3.0), (3, 7)),
    "sigmoid": (nn.Sigmoid(), (3, 7)),
    "softmax": (nn.Softmax(dim=1), (3, 7, 2)),
    "log_softmax": (nn.LogSoftmax(dim=-1), (3, 7)),
    "dropout_eval": (
        nn.Sequential(nn.Dropout(0.5), nn.Dropout2d(0.3), nn.Identity()),
        (2, 3, 4, 4),
    ),  # fmt: skip
    "flatten_all": (nn.Flatten(0), (2, 3, 4)),
    "flatten_middle": (nn.Flatten(1, 2), (2, 3, 4, 5)),
    "unflatten": (nn.Unflatten(1, (2, -1)), (3, 8)),
    "gru_bidirectional": (nn.GRU(4, 5, num_layers=2, bidirectional=True), (6, 3, 4)),
    "rnn_relu_batch_first": (nn.RNN(4, 5, nonlinearity="relu", batch_first=True), (3, 6, 4)),
    "lstm_unbatched_no_bias": (nn.LSTM(4, 5, bias=False), (6, 4)),
}


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_layer(name):
    mt.manual_seed(0)
    layer, shape = LAYERS[name]
    assert_matches(layer, lambda n: [randn(*shape, seed=1)])


def test_lstm_with_given_states_and_all_outputs():
    mt.manual_seed(0)
    lstm = nn.LSTM(3, 4, num_layers=2, bidirectional=True)

    def inputs(n):
        return [randn(5, n, 3, seed=n), randn(4, n, 4, seed=n + 1), randn(4, n, 4, seed=n + 2)]

    model = Lambda(lambda x, h, c: lstm(x, (h, c)), lstm)
    axes = {name: {1: "batch"} for name in ("in0", "in1", "in2")}
    assert_matches(model, inputs, batches=(2, 3), dynamic_axes=axes)


def test_multihead_attention_with_masks_and_weights():
    mt.manual_seed(0)
    mha = nn.MultiheadAttention(8, 2, batch_first=True)
    causal = mt.tensor(np.triu(np.ones((4, 4), dtype=bool), k=1))

    def forward(q, kv):
        return mha(q, kv, kv, attn_mask=causal, need_weights=True, average_attn_weights=False)

    model = Lambda(forward, mha)
    assert_matches(model, lambda n: [randn(n, 4, 8, seed=1), randn(n, 4, 8, seed=2)])


def test_transformer_encoder_stack_norm_first_gelu():
    mt.manual_seed(0)
    layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, activation="gelu",
                                       norm_first=True, batch_first=True)  # fmt: skip
    model = nn.TransformerEncoder(layer, num_layers=2)
    assert_matches(model, lambda n: [randn(n, 5, 8, seed=n)], batches=(2, 4),
                   dynamic_axes={"in0": {0: "batch"}})  # fmt: skip


OPS = {
    "arithmetic": (lambda m, x: (x * 2 + 1) / 3 - x**2, (3, 4)),
    "reflected_and_neg": (lambda m, x: 1 - (2 / (x.abs() + 1)) - (-x), (3, 4)),
    "exp_log_sqrt": (lambda m, x: (x.exp() + 1).log() + (x * x + 1).sqrt(), (3, 4)),
    "tensor_activations": (lambda m, x: x.relu() + x.sigmoid() * x.tanh(), (3, 4)),
    "broadcast_and_matmul": (lambda m, x: x @ m.W.T + m.b, (3, 4)),
    "batched_matmul": (lambda m, x: x @ x.transpose(-1, -2), (2, 3, 4)),
    "reductions": (lambda m, x: (x.sum(1, keepdim=True) + x.mean() + x.max(), x.sum()), (3, 4)),
    "max_dim_values_indices": (lambda m, x: tuple(x.max(dim=1)), (3, 4)),
    "var_std": (lambda m, x: (x.var(1), x.std(), x.var(0, unbiased=False, keepdim=True)), (5, 4)),
    "amax_amin": (lambda m, x: mt.amax(x, 0) - mt.amin(x, (0, 1)), (3, 4)),
    "maximum_clip": (lambda m, x: mt.maximum(x, x * 0.5).clip(-0.5, 0.7), (3, 4)),
    "where": (lambda m, x: mt.where(x > 0, x, x * 0.1), (3, 4)),
    "views": (lambda m, x: x.reshape(2, -1).T.unsqueeze(0).squeeze(0).view(4, 6), (2, 3, 4)),
    "permute_expand": (lambda m, x: x.permute(2, 0, 1).unsqueeze(1).expand(4, 3, 2, 3), (2, 3, 4)),
    "getitem_slices": (
        lambda m, x: (x[:, 1:3], x[..., ::2], x[1], x[:, -1], x[None, :, 0]),
        (3, 4, 5),
    ),  # fmt: skip
    "getitem_reverse_and_array": (
        lambda m, x: (x[::-1], x[:, [2, 0, 2]], x[0, :, [1, 2]]),
        (3, 4, 5),
    ),  # fmt: skip
    "cat_stack": (lambda m, x: (mt.cat([x, x * 2], dim=1), mt.stack([x, -x], dim=-1)), (3, 4)),
    "softmax_methods": (lambda m, x: x.softmax(-1) + x.log_softmax(0), (3, 4)),
    "to_dtype": (lambda m, x: x.double() * 2, (3, 4)),
    "functional": (
        lambda m, x: (
            F.gelu(F.linear(x, m.W, m.b))
            + F.silu(F.layer_norm(F.linear(x, m.W), (5,)))
            + F.softplus(F.elu(F.leaky_relu(F.linear(x, m.W), 0.1)))
        ),
        (3, 4),
    ),  # fmt: skip
    "functional_conv_pool_norm": (
        lambda m, x: F.group_norm(
            F.avg_pool2d(F.max_pool2d(F.conv2d(x, m.kernel, padding=1), 2), 1), 2
        ),
        (2, 2, 6, 6),
    ),  # fmt: skip
    "sdpa_causal": (
        lambda m, x: F.scaled_dot_product_attention(x, x * 0.5, x, is_causal=True),
        (2, 5, 4),
    ),  # fmt: skip
    "embedding_function": (lambda m, x: F.embedding(m.idx, m.W.T) * x, (2, 3, 5)),
    # the torch.* op surface (minitorch/onnx/pointwise.py)
    "trig": (
        lambda m, x: (
            x.sin()
            + x.cos() * x.tanh().atanh()
            + (x * 0.5).tan()
            + x.sinh()
            + x.cosh()
            + x.asinh()
            + (x * 0.3).asin()
            + (x * 0.3).acos()
            + x.atan()
            + (x.abs() + 1).acosh()
        ),
        (3, 4),
    ),  # fmt: skip
    "unary_math": (
        lambda m, x: (
            x.square()
            + (x.abs() + 1).rsqrt()
            + x.expm1()
            + x.abs().log1p()
            + x.exp2()
            + x.erf()
            + x.erfc()
            + (x.abs() + 1).log2()
            + x.sign()
            + (x.abs() + 1).reciprocal()
        ),
        (3, 4),
    ),  # fmt: skip
    "roundings": (
        lambda m, x: (
            (x * 3).floor()
            + (x * 3).ceil()
            + (x * 3).trunc()
            + (x * 3).round()
            + mt.round(x, decimals=1)
        ),
        (3, 4),
    ),  # fmt: skip
    "masked_fill": (lambda m, x: x.masked_fill(x < 0.2, -1.0), (3, 4)),
    "split_chunk_unbind": (
        lambda m, x: (*mt.split(x, [1, 3], dim=1), *x.chunk(2, 0), *x.unbind(1)),
        (4, 4),
    ),  # fmt: skip
    "index_select": (lambda m, x: mt.index_select(x, 1, m.idx[0]), (3, 4)),
    "cumsum_prod": (lambda m, x: (mt.cumsum(x, 1), mt.prod(x, 0), x.prod()), (3, 4)),
    "tril_triu": (lambda m, x: mt.tril(x) + mt.triu(x, 1) * 2 + mt.tril(x, -1), (2, 4, 4)),
    "flip": (lambda m, x: mt.flip(x, (0, 2)), (2, 3, 4)),
}


@pytest.mark.parametrize("name", sorted(OPS))
def test_elementary_ops(name):
    fn, shape = OPS[name]
    assert_matches(Ops(fn), lambda n: [randn(*shape, seed=1)])


def test_tril_before_opset_14():
    assert_matches(Ops(lambda m, x: mt.triu(x, 1)), lambda n: [randn(3, 4)], opset_version=13)


@pytest.mark.parametrize("opset", [13, 17, 20])
def test_opsets_old_and_new(opset):
    """LayerNorm and GELU are native ops from opsets 17 and 20 and decompositions before; the
    Reduce ops take their axes as an attribute before 18."""
    mt.manual_seed(0)
    net = nn.Sequential(nn.Linear(4, 6), nn.LayerNorm(6), nn.GELU(), nn.GroupNorm(2, 6))
    model = Lambda(lambda x: net(x).mean(-1, keepdim=True) + net(x).amax(0), net)
    assert_matches(model, lambda n: [randn(n, 4, seed=n)], batches=(3, 5), opset_version=opset,
                   dynamic_axes={"in0": {0: "batch"}})  # fmt: skip
