"""``mt.summary``: torchinfo's table; totals against a hand count and against PyTorch."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from minitorch.backend import get_rng_state


class Tied(nn.Module):
    """An embedding whose weight the output layer shares, a frozen layer, BatchNorm buffers."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(50, 16)
        self.body = nn.Sequential(nn.Linear(16, 16), nn.BatchNorm1d(8), nn.ReLU())
        self.frozen = nn.Linear(16, 16)
        for p in self.frozen.parameters():
            p.requires_grad = False
        self.head = nn.Linear(16, 50, bias=False)
        self.head.weight = self.embed.weight  # tied: (50, 16) either way

    def forward(self, tokens):
        h = self.body(self.embed(tokens))  # (N, 8, 16): BatchNorm1d over the 8 channels
        return self.head(self.frozen(h) + self.frozen(h))


def hand_count():
    embed = 50 * 16
    body = (16 * 16 + 16) + 2 * 8  # Linear, BatchNorm1d weight and bias
    frozen = 16 * 16 + 16
    return embed + body + frozen, frozen  # head's weight is embed's: counted once


def test_totals_match_a_hand_count_with_shared_and_frozen_parameters():
    model = Tied()
    total, frozen = hand_count()
    s = mt.summary(model, input_size=(4, 8), dtypes=[mt.int64])
    assert s.total_params == total == 1360
    assert s.trainable_params == total - frozen and s.non_trainable_params == frozen
    assert s.param_bytes == 4 * total  # float32
    text = str(s)
    assert f"Total params: {total:,}" in text and f"Trainable params: {total - frozen:,}" in text
    assert f"Non-trainable params: {frozen:,}" in text


def test_one_row_per_module_with_path_type_shape_and_count():
    s = mt.summary(Tied(), input_size=(4, 8), dtypes=[mt.int64])
    rows = {r.name: r for r in s.rows}
    assert list(rows) == ["", "embed", "body", "body.0", "body.1", "body.2", "frozen", "head"]
    assert rows[""].type_name == "Tied" and rows[""].output_shape == [[4, 8, 50]]
    assert rows["body.1"].type_name == "BatchNorm1d" and rows["body.1"].depth == 2
    assert rows["body.0"].output_shape == [[4, 8, 16]] and rows["body.0"].num_params == 272
    assert rows["frozen"].calls == 2 and rows["body"].num_params == 0
    lines = str(s).splitlines()
    row = next(line for line in lines if "body.0 (Linear)" in line)
    assert row.startswith("    body.0 (Linear)") and "[4, 8, 16]" in row and row.endswith("272")
    assert "[4, 8, 16] (x2 calls)" in next(line for line in lines if "frozen (Linear)" in line)


def test_depth_folds_hidden_modules_into_their_shown_parent():
    s = mt.summary(Tied(), input_size=(4, 8), dtypes=[mt.int64], depth=1)
    rows = {r.name: r for r in s.rows}
    assert "body.0" not in rows and rows["body"].num_params == 272 + 16
    assert mt.summary(Tied(), depth=0).rows[0].num_params == hand_count()[0]


def test_forward_leaves_no_trace():
    model = Tied()
    model.body[1].train()
    model.frozen.eval()
    before = {k: v.numpy().copy() for k, v in model.state_dict().items()}
    rng = get_rng_state()
    mt.summary(model, input_size=(4, 8), dtypes=[mt.int64])
    assert all(np.array_equal(v.numpy(), before[k]) for k, v in model.state_dict().items())
    assert str(get_rng_state()) == str(rng)  # the random input did not move the stream
    assert model.body[1].training and not model.frozen.training and model.training
    assert all(not m._hooks or not m._hooks.forward for m in model.modules())


def test_input_data_mult_adds_and_memory():
    model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.Flatten(),
                          nn.Linear(4 * 8 * 8, 10))  # fmt: skip
    x = mt.randn(2, 1, 8, 8)
    s = mt.summary(model, input_data=x)
    conv, linear = 4 * 9 + 4, 4 * 64 * 10 + 10
    assert s.total_mult_adds == conv * 2 * 64 + linear * 2
    assert s.input_bytes == x.array.nbytes
    leaf_outputs = 4 * (2 * 4 * 64 * 3 + 2 * 10)  # conv, relu, flatten, linear outputs
    assert s.output_bytes == 2 * leaf_outputs  # values and gradients
    assert "Total mult-adds (M): 0.01" in str(s) and repr(s) == str(s)


def test_bad_arguments():
    model = nn.Linear(3, 2)
    with pytest.raises(ValueError, match="pass input_size or input_data, not both"):
        mt.summary(model, input_size=(1, 3), input_data=mt.ones(1, 3))
    with pytest.raises(TypeError, match=r"input_size must be a shape like \(32, 3, 28, 28\)"):
        mt.summary(model, input_size="1x3")
    with pytest.raises(ValueError, match="2 input size\\(s\\) but 1 dtype"):
        mt.summary(model, input_size=[(1, 3), (1, 3)], dtypes=[mt.float32])
    with pytest.raises(ValueError, match="depth must be an integer >= 0"):
        mt.summary(model, depth=-1)


def test_totals_match_pytorch_for_the_same_architecture():
    torch = pytest.importorskip("torch")
    tnn = torch.nn

    def build(lib):
        return lib.Sequential(
            lib.Conv2d(3, 8, 3), lib.BatchNorm2d(8), lib.ReLU(), lib.MaxPool2d(2),
            lib.Flatten(), lib.Linear(8 * 3 * 3, 32), lib.LayerNorm(32), lib.Linear(32, 5),
        )  # fmt: skip

    class Recurrent:
        @staticmethod
        def build(lib):
            return lib.ModuleDict({"embed": lib.Embedding(30, 12), "lstm": lib.LSTM(12, 20, 2),
                                   "gru": lib.GRU(20, 7)})  # fmt: skip

    for make in (build, Recurrent.build):
        ours, theirs = make(nn), make(tnn)
        expected = sum(p.numel() for p in theirs.parameters())
        assert mt.summary(ours).total_params == expected, make
    s = mt.summary(build(nn), input_size=(2, 3, 8, 8))
    assert s.rows[0].output_shape == [[2, 5]]
