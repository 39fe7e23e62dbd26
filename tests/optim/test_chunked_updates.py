"""On the NumPy backend optimizer updates run in cache-sized pieces; the result must be
bit-identical to the whole-array update, state included."""

import numpy as np
import pytest

import minitorch as mt
from minitorch import optim
from minitorch.backend.numpy_backend import NumpyBackend

CONFIGS = [
    (optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-2)),
    (optim.SGD, dict(lr=0.1, momentum=0.9, dampening=0.1, maximize=True)),
    (optim.Adam, dict(lr=1e-2, amsgrad=True, weight_decay=1e-2)),
    (optim.AdamW, dict(lr=1e-2)),
    (optim.RMSprop, dict(lr=1e-2, momentum=0.5, centered=True)),
    (optim.Adagrad, dict(lr=1e-2, lr_decay=1e-3, weight_decay=1e-3)),
    (optim.Adadelta, dict(lr=0.5, weight_decay=1e-2, maximize=True)),
    (optim.Adamax, dict(lr=1e-2, weight_decay=1e-2)),
    (optim.NAdam, dict(lr=1e-2, weight_decay=1e-2)),
    (optim.RAdam, dict(lr=1e-2, weight_decay=1e-2, decoupled_weight_decay=True)),
]


def run(cls, options, chunk_bytes, monkeypatch):
    monkeypatch.setattr(NumpyBackend, "chunk_bytes", chunk_bytes)
    rng = np.random.default_rng(0)
    params = [mt.nn.Parameter(mt.tensor(rng.standard_normal(s), dtype=mt.float32)) for s in
              [(37, 29), (101,), (3,)]]  # fmt: skip
    opt = cls(params, **options)
    for _ in range(5):
        for p in params:
            p.grad = mt.tensor(rng.standard_normal(p.shape), dtype=mt.float32)
        opt.step()
    return params, opt.state_dict()["state"]


@pytest.mark.parametrize("cls, options", CONFIGS, ids=lambda c: getattr(c, "__name__", ""))
def test_pieces_equal_whole(cls, options, monkeypatch):
    whole, whole_state = run(cls, options, 1 << 40, monkeypatch)
    pieces, piece_state = run(cls, options, 64, monkeypatch)  # 16 float32 per piece
    for a, b in zip(whole, pieces):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    for index, state in whole_state.items():
        for key, value in state.items():
            other = piece_state[index][key]
            if hasattr(value, "shape"):
                np.testing.assert_array_equal(value.numpy(), other.numpy(), err_msg=key)
            else:
                assert value == other, key


def test_state_created_in_pieces_is_kept_whole(monkeypatch):
    """A state array made by a later step (momentum switched on mid-run: SGD creates its buffer
    on the first step with momentum) is gathered from the pieces, as the whole update makes it."""
    results = []
    for chunk_bytes in (1 << 40, 64):
        monkeypatch.setattr(NumpyBackend, "chunk_bytes", chunk_bytes)
        rng = np.random.default_rng(1)
        p = mt.nn.Parameter(mt.tensor(rng.standard_normal((9, 11)), dtype=mt.float32))
        opt = optim.SGD([p], lr=0.1)
        for step in range(4):
            if step == 2:
                opt.param_groups[0]["momentum"] = 0.9
            p.grad = mt.tensor(rng.standard_normal(p.shape), dtype=mt.float32)
            opt.step()
        buf = opt.state[p]["momentum_buffer"]
        assert buf.shape == p.shape and buf.flags.c_contiguous
        results.append((p.detach().numpy(), buf))
    (whole, whole_buf), (pieces, piece_buf) = results
    np.testing.assert_array_equal(whole, pieces)
    np.testing.assert_array_equal(whole_buf, piece_buf)


def test_arrays_that_do_not_line_up_are_updated_whole(monkeypatch):
    """A transposed (non-contiguous) parameter cannot be cut into matching flat pieces."""
    results = []
    for chunk_bytes in (1 << 40, 64):
        monkeypatch.setattr(NumpyBackend, "chunk_bytes", chunk_bytes)
        rng = np.random.default_rng(2)
        p = mt.nn.Parameter(mt.tensor(rng.standard_normal((13, 7)), dtype=mt.float32))
        p.array = p.array.T
        opt = optim.Adam([p], lr=0.01)
        for _ in range(3):
            p.grad = mt.tensor(rng.standard_normal(p.shape), dtype=mt.float32)
            opt.step()
        assert not p.array.flags.c_contiguous
        results.append(p.detach().numpy())
    np.testing.assert_array_equal(*results)
