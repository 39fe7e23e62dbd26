"""ONNX export (minitorch/onnx) of whole models, checked with onnxruntime at two batch sizes:
an MLP, the LeNet CNN, an LSTM language model and a Transformer encoder layer."""

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from tests.onnx._roundtrip import assert_matches, randn

pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")

BATCH = {"in0": {0: "batch"}}


def test_mlp_with_a_dynamic_batch():
    mt.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 16), nn.Tanh(),
                          nn.Linear(16, 3))  # fmt: skip
    assert_matches(model, lambda n: [randn(n, 4, seed=n)], batches=(5, 2), dynamic_axes=BATCH)


class LeNet(nn.Module):
    """The CNN of tests/nn/test_lenet_trains.py (8x8 digits)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 3, padding=1)
        self.conv2 = nn.Conv2d(6, 16, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(16 * 2 * 2, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = self.pool(self.conv1(x).relu())
        x = self.pool(self.conv2(x).relu())
        return self.fc2(self.fc1(x.flatten(1)).relu())


def test_lenet_with_a_dynamic_batch():
    mt.manual_seed(0)
    assert_matches(LeNet(), lambda n: [randn(n, 1, 8, 8, seed=n)], batches=(4, 7),
                   dynamic_axes=BATCH)  # fmt: skip


class LanguageModel(nn.Module):
    """Embedding -> 2-layer LSTM -> Linear over the vocabulary, at every position."""

    def __init__(self, vocab=20, dim=8, hidden=12):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.lstm = nn.LSTM(dim, hidden, num_layers=2, batch_first=True)
        self.head = nn.Linear(hidden, vocab)

    def forward(self, tokens):
        out, (h, c) = self.lstm(self.embed(tokens))
        return self.head(out), h, c


def test_lstm_language_model_with_a_dynamic_batch():
    mt.manual_seed(0)

    def tokens(n):
        return [np.random.default_rng(n).integers(0, 20, size=(n, 6)).astype(np.int64)]

    axes = {"in0": {0: "batch"}, "output_0": {0: "batch"}}
    assert_matches(LanguageModel(), tokens, batches=(3, 5), dynamic_axes=axes)


@pytest.mark.parametrize("batch_first", [True, False])
def test_transformer_encoder_layer_with_a_dynamic_batch(batch_first):
    mt.manual_seed(0)
    layer = nn.TransformerEncoderLayer(16, 4, dim_feedforward=32, batch_first=batch_first)
    axis = 0 if batch_first else 1

    def src(n):
        return [randn(*((n, 5, 16) if batch_first else (5, n, 16)), seed=n)]

    assert_matches(layer, src, batches=(2, 3), dynamic_axes={"in0": {axis: "batch"}})
