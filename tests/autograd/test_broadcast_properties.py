"""Property: for any broadcast-compatible shapes, gradients come back in each input's shape and
equal what summing over the broadcast axes gives."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import mutually_broadcastable_shapes

import minitorch as mt


@settings(max_examples=60, deadline=None)
@given(mutually_broadcastable_shapes(num_shapes=2, max_dims=4, max_side=3), st.integers(0, 2**16))
def test_binary_op_gradients_reduce_to_input_shapes(shapes, seed):
    (shape_a, shape_b), result_shape = shapes.input_shapes, shapes.result_shape
    rng = np.random.default_rng(seed)
    a = mt.tensor(rng.standard_normal(shape_a), requires_grad=True)
    b = mt.tensor(rng.standard_normal(shape_b) + 3.0, requires_grad=True)
    w = rng.standard_normal(result_shape)
    ((a * b + a / b - b) * mt.tensor(w)).sum().backward()
    assert a.grad.shape == shape_a and b.grad.shape == shape_b
    A, B = np.broadcast_to(a.array, result_shape), np.broadcast_to(b.array, result_shape)
    expected_a = w * (B + 1 / B)
    expected_b = w * (A - A / B**2 - 1)
    lead_a = len(result_shape) - len(shape_a)
    lead_b = len(result_shape) - len(shape_b)
    np.testing.assert_allclose(a.grad.numpy(), _reduce(expected_a, shape_a, lead_a), atol=1e-10)
    np.testing.assert_allclose(b.grad.numpy(), _reduce(expected_b, shape_b, lead_b), atol=1e-10)


def _reduce(g, shape, lead):
    g = g.sum(axis=tuple(range(lead))) if lead else g
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    return g.sum(axis=axes, keepdims=True) if axes else g
