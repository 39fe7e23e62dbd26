"""A check shared by the tests of ``nn/functions/``: a layer and its functional form, run on the
layer's own parameters, give bit-identical outputs and gradients (one kernel serves both)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

import minitorch as mt
from tests.helpers import to_numpy


def assert_layer_equals_functional(layer: mt.nn.Module, functional: Callable[..., Any],
                                   x: np.ndarray, device: str = "cpu") -> None:  # fmt: skip
    """``functional(x_tensor, layer)`` must equal ``layer(x_tensor)`` exactly, in float64, for
    the output and the gradients of the input and of every parameter."""
    layer.double().to(device)
    weights = None
    results = []
    for run in (lambda t: layer(t), lambda t: functional(t, layer)):
        layer.zero_grad()
        t = mt.tensor(x, device=device, requires_grad=True)
        y = run(t)
        if weights is None:
            weights = np.random.default_rng(5).standard_normal(y.shape)
        (y * mt.tensor(weights, device=device)).sum().backward()
        grads = {n: to_numpy(p.grad) for n, p in layer.named_parameters() if p.grad is not None}
        results.append((to_numpy(y), to_numpy(t.grad), grads))
    (y1, dx1, g1), (y2, dx2, g2) = results
    np.testing.assert_array_equal(y1, y2, err_msg="output")
    np.testing.assert_array_equal(dx1, dx2, err_msg="input gradient")
    assert g1.keys() == g2.keys() == {n for n, p in layer.named_parameters() if p.requires_grad}
    for name in g1:
        np.testing.assert_array_equal(g1[name], g2[name], err_msg=f"gradient of {name}")
