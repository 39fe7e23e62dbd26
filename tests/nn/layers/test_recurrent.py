"""RNN, LSTM and GRU: PyTorch's parameters and outputs, backpropagation through time."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from tests.helpers import assert_keeps_float32, compare_with_torch, to_numpy

MODES = ["RNN", "LSTM", "GRU"]


class Flat(nn.Module):
    """``rnn(x, h0[, c0])`` with every output in one flat tuple (for the shared helpers)."""

    def __init__(self, rnn: nn.Module) -> None:
        super().__init__()
        self.rnn = rnn

    def forward(self, x, h0=None, c0=None):
        if isinstance(self.rnn, nn.LSTM):
            y, (h, c) = self.rnn(x, None if h0 is None else (h0, c0))
            return y, h, c
        return self.rnn(x, h0)


def _call(mode: str):
    """How to call the torch or minitorch module with flat (x, h0[, c0]) inputs."""
    if mode == "LSTM":
        def call(m, x, h=None, c=None):
            y, (hn, cn) = m(x, None if h is None else (h, c))
            return y, hn, cn
        return call
    return lambda m, x, h=None: m(x, h)


def _inputs(rng, mode, L, D, N, T, H_in, H, batch_first, states=True):
    x = rng.standard_normal((N, T, H_in) if batch_first else (T, N, H_in))
    if not states:
        return [x]
    shapes = [(L * D, N, H)] * (2 if mode == "LSTM" else 1)
    return [x] + [rng.standard_normal(s) for s in shapes]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("layers,bidirectional", [(1, False), (2, True), (3, False)])
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("T", [1, 3])
@pytest.mark.parametrize("bias", [True, False])
def test_matches_torch(torch, device, rng, mode, layers, bidirectional, batch_first, T, bias):
    kw = dict(num_layers=layers, bidirectional=bidirectional, batch_first=batch_first, bias=bias)
    m, t = getattr(nn, mode)(4, 5, **kw), getattr(torch.nn, mode)(4, 5, **kw)
    D = 2 if bidirectional else 1
    inputs = _inputs(rng, mode, layers, D, 2, T, 4, 5, batch_first)
    compare_with_torch(m, t, inputs, device=device, call=_call(mode), atol=1e-10)


@pytest.mark.parametrize("mode", MODES)
def test_default_state_and_unbatched_match_torch(torch, device, rng, mode):
    m, t = getattr(nn, mode)(3, 4, num_layers=2), getattr(torch.nn, mode)(3, 4, num_layers=2)
    compare_with_torch(m, t, [rng.standard_normal((5, 2, 3))], device=device, call=_call(mode))
    unbatched = _inputs(rng, mode, 2, 1, 1, 4, 3, 4, False)
    unbatched = [unbatched[0][:, 0]] + [s[:, 0] for s in unbatched[1:]]
    compare_with_torch(m, t, unbatched, device=device, call=_call(mode))


def test_relu_rnn_matches_torch(torch, device, rng):
    kw = dict(nonlinearity="relu", num_layers=2, bidirectional=True)
    m, t = nn.RNN(3, 4, **kw), torch.nn.RNN(3, 4, **kw)
    compare_with_torch(m, t, _inputs(rng, "RNN", 2, 2, 3, 4, 3, 4, False), device=device,
                       call=_call("RNN"))  # fmt: skip


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("T", [1, 3])
def test_gradcheck_inputs_states_and_parameters(rng, mode, T):
    rnn = getattr(nn, mode)(3, 2, num_layers=2, bidirectional=True, batch_first=T == 3)
    inputs = _inputs(rng, mode, 2, 2, 2, T, 3, 2, T == 3)
    assert mt.gradcheck(Flat(rnn), *inputs)


@pytest.mark.parametrize("mode", MODES)
def test_gradcheck_with_dropout_between_layers(rng, mode):
    rnn = getattr(nn, mode)(3, 2, num_layers=2, dropout=0.5)
    inputs = _inputs(rng, mode, 2, 1, 2, 3, 3, 2, False)
    assert mt.gradcheck(Flat(rnn), *inputs)


def test_dropout_only_in_training(rng):
    lstm = nn.LSTM(3, 4, num_layers=2, dropout=0.5)
    x = mt.tensor(rng.standard_normal((5, 2, 3)).astype(np.float32))
    lstm.eval()
    y_eval = to_numpy(lstm(x)[0])
    lstm.dropout = 0.0
    np.testing.assert_array_equal(to_numpy(lstm(x)[0]), y_eval)
    lstm.dropout = 0.5
    lstm.train()
    assert not np.allclose(to_numpy(lstm(x)[0]), y_eval)


@pytest.mark.parametrize("mode", MODES)
def test_keeps_float32(device, rng, mode):
    rnn = getattr(nn, mode)(3, 4, num_layers=2, bidirectional=True)
    assert_keeps_float32(Flat(rnn), *_inputs(rng, mode, 2, 2, 2, 3, 3, 4, False), device=device)


@pytest.mark.parametrize("mode", MODES)
def test_explicit_forward_backward_on_arrays(rng, mode):
    """``forward``/``backward`` on arrays: flat outputs in, flat gradients out."""
    rnn = getattr(nn, mode)(3, 4).double()
    x, *states = _inputs(rng, mode, 1, 1, 2, 3, 3, 4, False)
    outs = rnn.forward(x, *states)
    assert [o.shape for o in outs] == [(3, 2, 4)] + [(1, 2, 4)] * len(states)
    grads = rnn.backward(*[np.ones_like(o) for o in outs])
    assert [g.shape for g in grads] == [x.shape] + [s.shape for s in states]
    assert rnn.weight_hh_l0.grad is not None


def test_no_grad_gives_same_output_without_caching(rng):
    gru = nn.GRU(3, 4, num_layers=2, bidirectional=True)
    x = mt.tensor(rng.standard_normal((5, 2, 3)).astype(np.float32))
    y = gru(x)[0]
    with mt.no_grad():
        y2 = gru(x)[0]
    assert y.requires_grad and not y2.requires_grad
    np.testing.assert_array_equal(to_numpy(y), to_numpy(y2))


def test_parameters_names_shapes_and_init():
    lstm = nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    shapes = {k: tuple(v.shape) for k, v in lstm.state_dict().items()}
    assert list(shapes)[:5] == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                                "weight_ih_l0_reverse"]  # fmt: skip
    assert shapes["weight_ih_l1_reverse"] == (16, 8) and shapes["bias_hh_l1"] == (16,)
    assert len(shapes) == 16
    assert all(np.abs(to_numpy(p)).max() <= 0.5 for p in lstm.parameters())  # U(-1/sqrt(4), ..)
    assert "bias_ih_l0" not in nn.GRU(3, 4, bias=False).state_dict()
    gru = nn.GRU(3, 4, num_layers=2, batch_first=True)
    assert repr(gru) == "GRU(3, 4, num_layers=2, batch_first=True)"


def test_gradient_flows_into_initial_state_from_h_n_only(rng):
    lstm = nn.LSTM(2, 3)
    h0 = mt.tensor(rng.standard_normal((1, 1, 3)), dtype=mt.float32, requires_grad=True)
    c0 = mt.zeros(1, 1, 3, requires_grad=True)
    _, (h_n, c_n) = lstm(mt.randn(4, 1, 2), (h0, c0))
    (h_n.sum() + c_n.sum()).backward()
    assert h0.grad is not None and c0.grad is not None
    assert np.abs(c0.grad.numpy()).sum() > 0


@pytest.mark.parametrize("mode", MODES)
def test_bad_inputs(mode):
    rnn = getattr(nn, mode)(3, 4, num_layers=2)
    with pytest.raises(ValueError, match="input_size=3"):
        rnn(mt.randn(5, 2, 7))
    with pytest.raises(ValueError, match="input_size=3"):
        rnn(mt.randn(5))
    bad_h0 = mt.randn(1, 2, 4)
    with pytest.raises(ValueError, match=r"h_0 of shape \(2, 2, 4\)"):
        rnn(mt.randn(5, 2, 3), (bad_h0, bad_h0) if mode == "LSTM" else bad_h0)
    with pytest.raises(TypeError, match="dtype"):
        rnn(mt.randn(5, 2, 3).double())
    with pytest.raises(ValueError, match="hidden_size"):
        getattr(nn, mode)(3, 0)
    with pytest.raises(ValueError, match="dropout"):
        getattr(nn, mode)(3, 4, dropout=1.5)


def test_bad_constructor_and_state_arguments():
    with pytest.raises(ValueError, match="nonlinearity"):
        nn.RNN(3, 4, nonlinearity="sigmoid")
    with pytest.raises(TypeError, match=r"\(h_0, c_0\)"):
        nn.LSTM(3, 4)(mt.randn(5, 2, 3), mt.zeros(1, 2, 4))
    with pytest.warns(UserWarning, match="num_layers=1"):
        nn.GRU(3, 4, dropout=0.2)


def test_two_layer_lstm_model_trains():
    """A Module with a 2-layer LSTM learns to output the running mean of its input."""

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(1, 16, num_layers=2, batch_first=True)
            self.head = nn.Linear(16, 1)

        def forward(self, x):
            y, _ = self.lstm(x)
            return self.head(y)

    rng = np.random.default_rng(0)
    x = rng.standard_normal((32, 10, 1)).astype(np.float32)
    target = mt.tensor(np.cumsum(x, axis=1) / np.arange(1, 11)[:, None])
    x = mt.tensor(x)
    model = Model()
    opt = mt.optim.Adam(model.parameters(), lr=0.01)
    loss_fn = nn.MSELoss()
    losses = []
    for _ in range(60):
        opt.zero_grad()
        loss = loss_fn(model(x), target)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.2 * losses[0], losses[::10]


def test_an_empty_batch_and_an_empty_sequence():
    x = mt.randn(4, 0, 3, requires_grad=True)  # N = 0: empty outputs, as PyTorch
    out, (h, c) = nn.LSTM(3, 2, num_layers=2, bidirectional=True)(x)
    (out.sum() + h.sum() + c.sum()).backward()
    assert tuple(out.shape) == (4, 0, 4) and tuple(h.shape) == (4, 0, 2)
    assert tuple(x.grad.shape) == (4, 0, 3)
    expected = r"LSTM: expected a sequence of length >= 1, got length 0 \(input of shape \(2, 0, "
    with pytest.raises(ValueError, match=expected):
        nn.LSTM(3, 2, batch_first=True)(mt.randn(2, 0, 3))
