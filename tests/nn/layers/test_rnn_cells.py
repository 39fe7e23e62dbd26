"""RNNCell, LSTMCell and GRUCell: torch parity, a user-written time loop equal to the sequence
layers, and the small API promises (flatten_parameters, proj_size, hooks, errors)."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from tests.helpers import compare_with_torch, to_numpy

CELLS = {"RNNCell": "RNN", "LSTMCell": "LSTM", "GRUCell": "GRU"}


def _lstm_call(m, x, h=None, c=None):
    return m(x) if h is None else m(x, (h, c))


@pytest.mark.parametrize("name", list(CELLS))
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("batched", [True, False])
@pytest.mark.parametrize("with_state", [True, False])
def test_cell_matches_torch(torch, device, rng, name, bias, batched, with_state):
    m, t = getattr(nn, name)(3, 5, bias=bias), getattr(torch.nn, name)(3, 5, bias=bias)
    lead = (4,) if batched else ()
    inputs = [rng.standard_normal(lead + (3,))]
    if with_state:
        inputs += [rng.standard_normal(lead + (5,)) for _ in range(2 if name == "LSTMCell" else 1)]
    call = _lstm_call if name == "LSTMCell" else None
    compare_with_torch(m, t, inputs, device=device, call=call)


def test_relu_rnn_cell_matches_torch(torch, device, rng):
    m, t = nn.RNNCell(3, 4, nonlinearity="relu"), torch.nn.RNNCell(3, 4, nonlinearity="relu")
    compare_with_torch(m, t, [rng.standard_normal((5, 3)), rng.standard_normal((5, 4))],
                       device=device)  # fmt: skip
    assert repr(m) == repr(t) == "RNNCell(3, 4, nonlinearity=relu)"


def _copy_sequence_weights(cell: nn.Module, rnn: nn.Module) -> None:
    """The one-layer sequence module's weights into the cell (same shapes, PyTorch's names)."""
    cell.load_state_dict({k.removesuffix("_l0"): v for k, v in rnn.state_dict().items()})


def _unrolled(cell, x, state):
    """The user's loop: one cell call per time step, the outputs stacked."""
    outputs = []
    for t in range(x.shape[0]):
        state = cell(x[t], state)
        outputs.append(state[0] if isinstance(state, tuple) else state)
    return mt.stack(outputs), state


@pytest.mark.parametrize("name", list(CELLS))
def test_time_loop_over_a_cell_equals_the_sequence_layer(device, rng, name):
    """``for t: h, c = cell(x[t], (h, c))`` gives nn.LSTM's outputs and, through the engine's
    sum over the T recorded calls, its gradients (inputs, initial states, every weight)."""
    rnn = getattr(nn, CELLS[name])(3, 4).double().to(device)
    cell = getattr(nn, name)(3, 4).double().to(device)
    _copy_sequence_weights(cell, rnn)
    T, N = 6, 2
    x_np, h_np, c_np = (rng.standard_normal(s) for s in ((T, N, 3), (N, 4), (N, 4)))
    leaves = {}
    for who in ("rnn", "cell"):
        x, h, c = (mt.tensor(a, device=device, requires_grad=True) for a in (x_np, h_np, c_np))
        leaves[who] = (x, h, c)
        if name == "LSTMCell":
            if who == "rnn":
                y, (h_n, c_n) = rnn(x, (h[None], c[None]))
                h_n, c_n = h_n[0], c_n[0]
            else:
                y, (h_n, c_n) = _unrolled(cell, x, (h, c))
            loss = (y * y).sum() + (h_n * 3).sum() + (c_n * c_n).sum()
        else:
            if who == "rnn":
                y, h_n = rnn(x, h[None])
                h_n = h_n[0]
            else:
                y, h_n = _unrolled(cell, x, h)
            loss = (y * y).sum() + (h_n * 3).sum()
        leaves[who] += (y,)
        loss.backward()
    wanted = 3 if name == "LSTMCell" else 2
    for a, b in zip(leaves["cell"][:wanted], leaves["rnn"][:wanted]):
        np.testing.assert_allclose(to_numpy(a.grad), to_numpy(b.grad), rtol=0, atol=1e-12)
    np.testing.assert_allclose(to_numpy(leaves["cell"][3]), to_numpy(leaves["rnn"][3]),
                               rtol=0, atol=1e-12)  # fmt: skip
    for key, p in rnn.named_parameters():
        q = dict(cell.named_parameters())[key.removesuffix("_l0")]
        np.testing.assert_allclose(to_numpy(q.grad), to_numpy(p.grad), rtol=0, atol=1e-12,
                                   err_msg=key)  # fmt: skip


class Unrolled(nn.Module):
    """The time loop as a Module, so gradcheck also checks the cell's parameters."""

    def __init__(self, cell: nn.Module) -> None:
        super().__init__()
        self.cell = cell

    def forward(self, x, h, c):
        y, (h, c) = _unrolled(self.cell, x, (h, c))
        return y, c


def test_time_loop_gradcheck_and_float32(rng):
    cell = nn.LSTMCell(2, 3)
    inputs = [rng.standard_normal(s) for s in ((4, 2, 2), (2, 3), (2, 3))]
    assert mt.gradcheck(Unrolled(cell), *inputs)
    x = mt.tensor(inputs[0].astype(np.float32), requires_grad=True)
    y, (h, c) = _unrolled(cell.float(), x, None)
    (y.sum() + c.sum()).backward()
    assert y.dtype == c.dtype == x.grad.dtype == cell.weight_hh.grad.dtype == mt.float32


def test_missing_state_is_zeros_and_gets_no_gradient(rng):
    cell = nn.GRUCell(3, 4).double()
    x = mt.tensor(rng.standard_normal((2, 3)))
    zeros = mt.zeros(2, 4, dtype=mt.float64)
    np.testing.assert_array_equal(to_numpy(cell(x)), to_numpy(cell(x, zeros)))
    h, c = nn.LSTMCell(3, 4)(mt.randn(3))
    assert h.shape == c.shape == (4,)
    lstm = nn.LSTMCell(3, 4).double()
    h1, c1 = lstm.forward(x.array)  # explicit, on arrays
    dx, dh, dc = lstm.backward(np.ones_like(h1), np.ones_like(c1))
    assert dx.shape == (2, 3) and dh is None and dc is None


def test_no_grad_caches_nothing(rng):
    cell = nn.LSTMCell(3, 4)
    with mt.no_grad():
        h, c = cell(mt.randn(2, 3, requires_grad=True))
    assert not h.requires_grad and not c.requires_grad


def test_init_is_uniform_within_one_over_sqrt_hidden():
    mt.manual_seed(3)
    cell = nn.GRUCell(5, 16)
    bound = 1 / np.sqrt(16)
    for name, p in cell.named_parameters():
        values = to_numpy(p)
        assert np.abs(values).max() <= bound and values.std() > bound / 3, name
    assert [n for n, _ in cell.named_parameters()] == [
        "weight_ih", "weight_hh", "bias_ih", "bias_hh"
    ]  # fmt: skip
    assert cell.weight_ih.shape == (48, 5) and cell.weight_hh.shape == (48, 16)


def test_forward_hook_sees_the_state_tuple():
    cell, seen = nn.LSTMCell(3, 4), []
    cell.register_forward_hook(lambda m, args, out: seen.append((len(args), type(out))))
    h, c = cell(mt.randn(2, 3), (mt.zeros(2, 4), mt.zeros(2, 4)))
    assert seen == [(2, tuple)] and h.shape == (2, 4)


def test_bad_arguments_and_inputs_raise_clear_errors():
    with pytest.raises(ValueError, match="RNNCell: nonlinearity must be 'tanh' or 'relu'"):
        nn.RNNCell(3, 4, nonlinearity="sigmoid")
    with pytest.raises(ValueError, match="GRUCell: hidden_size must be an integer >= 1"):
        nn.GRUCell(3, 0)
    cell = nn.LSTMCell(3, 4)
    with pytest.raises(TypeError, match=r"LSTMCell: hx must be a tuple \(h, c\)"):
        cell(mt.randn(2, 3), mt.zeros(2, 4))
    with pytest.raises(ValueError, match=r"LSTMCell: expected c of shape \(4,\)"):
        cell(mt.randn(3), (mt.zeros(4), mt.zeros(2, 4)))
    with pytest.raises(TypeError, match="RNNCell: input dtype float64 differs from weight"):
        nn.RNNCell(3, 4)(mt.randn(2, 3, dtype=mt.float64))
    with pytest.raises(TypeError, match="GRUCell: hx dtype float64 differs from input"):
        nn.GRUCell(3, 4)(mt.randn(2, 3), mt.zeros(2, 4, dtype=mt.float64))


def test_flatten_parameters_is_a_no_op_and_lstm_accepts_proj_size_zero(rng):
    lstm = nn.LSTM(3, 4, proj_size=0)
    x = mt.tensor(rng.standard_normal((5, 2, 3)).astype(np.float32))
    before = to_numpy(lstm(x)[0])
    for module in (lstm, nn.GRU(3, 4), nn.RNN(3, 4)):
        assert module.flatten_parameters() is None
    np.testing.assert_array_equal(to_numpy(lstm(x)[0]), before)
    with pytest.raises(NotImplementedError, match="LSTM: projected hidden states"):
        nn.LSTM(3, 4, proj_size=2)
    with pytest.raises(ValueError, match="LSTM: proj_size must be an integer >= 0"):
        nn.LSTM(3, 4, proj_size=-1)
    with pytest.raises(ValueError, match=r"proj_size \(4\) has to be smaller than hidden_size"):
        nn.LSTM(3, 4, proj_size=4)
