"""``minitorch/nn/input_checks.py``: what every layer call refuses before ``forward``, and the
checks composite modules share. The bad-input matrix (``test_bad_inputs.py``) runs them over
the whole catalogue; these pin the messages and the rules."""

from __future__ import annotations

import pytest

import minitorch as mt
from minitorch import nn


@pytest.mark.parametrize(
    ("layer", "dtype", "expected"),
    [
        (nn.GELU(), mt.int64, "GELU: expected a floating-point input, got dtype int64"),
        (nn.Softmax(dim=1), mt.bool, "Softmax: expected a floating-point input, got dtype bool"),
        (nn.LayerNorm(4), mt.int64, "LayerNorm: expected a floating-point input, got dtype int64"),
        (nn.ReLU(), mt.bool, "ReLU: expected a floating-point or integer input, got dtype bool"),
        (nn.MaxPool1d(2), mt.int64, "MaxPool1d: expected a floating-point input, got dtype int"),
    ],
)
def test_layers_refuse_the_dtypes_pytorch_has_no_kernel_for(layer, dtype, expected):
    with pytest.raises(TypeError, match=expected):
        layer(mt.ones(2, 3, 4).to(dtype))


def test_layers_compute_on_the_integer_dtypes_pytorch_accepts():
    x = mt.tensor([[-3, 0, 2, 7]])
    for layer, want in ((nn.ReLU(), [[0, 0, 2, 7]]), (nn.Hardtanh(-1.5, 1.5), [[-1, 0, 1, 1]]),
                        (nn.ReLU6(), [[0, 0, 2, 6]])):  # fmt: skip
        y = layer(x)
        assert y.dtype == mt.int64 and y.tolist() == want
    y = nn.Hardtanh()(mt.tensor([0, 1, 5]).to(mt.uint8))  # bounds clipped to the dtype's range
    assert y.dtype == mt.uint8 and y.tolist() == [0, 1, 1]
    y = nn.MaxPool2d(2, padding=1)(mt.tensor([[[[-5, -6], [-7, -8]]]]))  # int padding: no -inf
    assert y.dtype == mt.int64 and y.tolist() == [[[[-5, -6], [-7, -8]]]]


def test_dropout_refuses_integers_only_when_it_would_compute():
    x = mt.tensor([1, 2, 3])
    with pytest.raises(TypeError, match=r"Dropout\(p=0.5\): expected a floating-point input"):
        nn.Dropout()(x)
    assert nn.Dropout().eval()(x).tolist() == [1, 2, 3]


def test_in_place_layers_refuse_a_leaf_that_requires_grad():
    leaf = mt.randn(2, 3, requires_grad=True)
    for layer in (nn.ReLU(inplace=True), nn.ELU(inplace=True), nn.Dropout(inplace=True)):
        with pytest.raises(
            RuntimeError, match=r"a leaf Tensor that requires grad \(shape \(2, 3\)"
        ):
            layer(leaf)
    with mt.no_grad():
        nn.ReLU(inplace=True)(leaf)  # not recorded: PyTorch allows it too
    nn.Dropout(inplace=True).eval()(leaf)  # eval dropout writes nothing


@pytest.mark.parametrize(
    ("module", "call"),
    [
        (nn.Sequential(nn.Linear(2, 2)), lambda m: m([[1.0, 2.0]])),
        (
            nn.MultiheadAttention(4, 2),
            lambda m: m([[[0.0] * 4]], mt.ones(1, 1, 4), mt.ones(1, 1, 4)),
        ),
        (nn.Transformer(4, 2, 1, 1, 8), lambda m: m([[[0.0] * 4]], mt.ones(1, 1, 4))),
        (nn.LSTMCell(3, 2), lambda m: m([1.0, 2.0, 3.0])),
    ],
    ids=["Sequential", "MultiheadAttention", "Transformer", "LSTMCell"],
)
def test_composites_refuse_python_lists_naming_themselves(module, call):
    name = type(module).__name__
    with pytest.raises(TypeError, match=rf"{name}: expected .*a Tensor.*, got list; wrap it"):
        call(module)


def test_attention_wants_its_parameters_dtype():
    attention = nn.MultiheadAttention(4, 2).double()
    x = mt.randn(3, 2, 4)
    with pytest.raises(TypeError, match=r"MultiheadAttention: expected query of dtype .*float64"):
        attention(x, x, x)
    with pytest.raises(TypeError, match=r"TransformerEncoderLayer|MultiheadAttention"):
        nn.TransformerEncoderLayer(4, 2, 8)(mt.ones(3, 2, 4).to(mt.int64))
