"""Edge cases that once went wrong: empty dimensions, zero spread, in-place on a graph."""

import numpy as np
import pytest

import minitorch as mt

torch = pytest.importorskip("torch")


@pytest.mark.parametrize(
    "shape, program",
    [
        ((0, 3, 4), lambda lib, x: x.flatten(1)),
        ((0, 3), lambda lib, x: x.amax(dim=1)),
        ((0, 2, 3), lambda lib, x: x @ lib.ones(3, 4, dtype=lib.float64)),
        ((2, 0, 3), lambda lib, x: x @ lib.ones(3, 4, dtype=lib.float64)),
        ((3,), lambda lib, x: (x * 0 + 1).std()),  # std 0: torch's gradient is 0, not nan
        ((2, 2), lambda lib, x: lib.stack([x[0] * 0 + 2, x[1]]).std(dim=1)),
        ((4,), lambda lib, x: lib.maximum(x.relu(), x.relu() * 0 + 0.5)),
        ((3,), lambda lib, x: (x * 1).add_(1.0).mul_(2.0)),  # in place on a non-leaf
    ],
)
def test_matches_torch(shape, program):
    x0 = np.random.default_rng(0).standard_normal(shape)
    outs = []
    for lib in (mt, torch):
        x = lib.tensor(x0, requires_grad=True)
        y = program(lib, x)
        (
            y * lib.tensor(np.arange(y.numel(), dtype=float).reshape(tuple(y.shape)))
        ).sum().backward()
        outs.append((y.detach().numpy(), x.grad.numpy()))
    (my, mg), (ty, tg) = outs
    assert my.shape == ty.shape
    np.testing.assert_allclose(my, ty, rtol=1e-12)
    np.testing.assert_allclose(mg, tg, rtol=1e-12)


def test_max_over_an_empty_dimension_is_a_clear_error():
    with pytest.raises(RuntimeError, match=r"empty dimension .* \(0, 3\)"):
        mt.zeros(0, 3).amax(dim=0)


def test_a_0d_gradient_is_an_array_that_updates_in_place():
    p = mt.nn.Parameter(mt.tensor(2.0))
    (p * p).backward()  # NumPy computes 0-d products as scalars
    assert p.grad.array.shape == () and hasattr(p.grad.array, "__setitem__")
    mt.nn.utils.clip_grad_norm_([p], 1.0)
    assert abs(p.grad.item() - 1.0) < 1e-6
