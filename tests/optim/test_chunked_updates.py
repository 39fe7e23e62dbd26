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
