"""Every optimizer on 0-d, empty and non-contiguous parameters follows torch's trajectory.

0-d parameters were the trap: NumPy's arithmetic on 0-d arrays returns NumPy scalars, so a 0-d
gradient made by ``backward()`` arrived as an immutable scalar, SGD built its momentum buffer
from it (``g.copy()``), and the buffer's in-place updates (``buf *= momentum``) changed nothing
after the first step.
"""

import numpy as np
import pytest

import minitorch as mt
from minitorch import optim
from tests.optim._compare import SHAPES, assert_matches_torch

ELEMENTWISE = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.1)),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.3, maximize=True)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, amsgrad=True, weight_decay=0.1, maximize=True)),
    ("AdamW", dict(lr=0.01, amsgrad=True)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, centered=True, momentum=0.5, weight_decay=0.1, maximize=True)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.1)),
    ("Adadelta", dict()),
    ("Adadelta", dict(weight_decay=0.1, maximize=True)),
    ("Adamax", dict(lr=0.01)),
    ("Adamax", dict(lr=0.01, weight_decay=0.1, maximize=True)),
    ("NAdam", dict(lr=0.01)),
    ("NAdam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True, maximize=True)),
    ("RAdam", dict(lr=0.01)),
    ("RAdam", dict(lr=0.01, weight_decay=0.1, maximize=True)),
]
CASES = [
    ("0-d", [(), ()], "contiguous"),
    ("0-d-from-backward", [(), ()], "backward"),
    ("empty", [(0,), (2, 0), (3,)], "contiguous"),
    ("non-contiguous", SHAPES, "strided"),
]


def test_the_list_covers_every_elementwise_optimizer():
    names = {name for name, _ in ELEMENTWISE}
    assert names == set(optim.__all__) - {"Optimizer", "LBFGS", "lr_scheduler"}


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("case, shapes, layout", CASES, ids=[c for c, _, _ in CASES])
@pytest.mark.parametrize("name, kwargs", ELEMENTWISE,
                         ids=[f"{n}-{i}" for i, (n, _) in enumerate(ELEMENTWISE)])  # fmt: skip
def test_edge_shapes_match_torch(torch, same_default_dtype, name, kwargs, case, shapes, layout,
                                 dtype):  # fmt: skip
    assert_matches_torch(torch, getattr(optim, name), getattr(torch.optim, name), kwargs, dtype,
                         steps=20, shapes=shapes, layout=layout)  # fmt: skip


def test_sgd_momentum_buffer_of_a_0d_parameter_keeps_growing():
    """The reported case: with a constant gradient the buffer is 1, 1.9, 2.71, ..."""
    p = mt.nn.Parameter(mt.tensor(1.0, dtype=mt.float64))
    opt = optim.SGD([p], lr=0.1, momentum=0.9)
    buffers = []
    for _ in range(4):
        opt.zero_grad()
        (p * 1.0).backward()
        opt.step()
        buffers.append(float(opt.state[p]["momentum_buffer"]))
    np.testing.assert_allclose(buffers, [1.0, 1.9, 2.71, 3.439], rtol=1e-15)


def test_a_parameter_holding_a_numpy_scalar_is_updated():
    p = mt.nn.Parameter(mt.tensor(1.0, dtype=mt.float64))
    p.array = p.array * 1.0  # a NumPy scalar, as 0-d arithmetic returns
    assert not isinstance(p.array, np.ndarray)
    opt = optim.Adam([p], lr=0.1)
    for _ in range(3):
        p.grad = mt.tensor(1.0, dtype=mt.float64)
        opt.step()
    assert isinstance(p.array, np.ndarray) and p.shape == ()
    assert float(p.array) == pytest.approx(0.7, abs=1e-6)
