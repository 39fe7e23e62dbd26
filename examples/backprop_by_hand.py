"""Backpropagation the textbook way: explicit forward and backward calls, layer by layer.

    python examples/backprop_by_hand.py

A two-layer network  z1 = W1 a0 + b1,  a1 = sigma(z1),  z2 = W2 a1 + b2,  C = MSE(z2, y)  is run
forward with ``layer.forward(array)`` and backward with ``layer.backward(delta)``, and the four
equations of backpropagation (Nielsen, *Neural Networks and Deep Learning*, ch. 2) are written
out next to the calls that apply them (rows are samples here, so W a becomes a @ W.T):

    BP1  delta^L = dC/da^L * sigma'(z^L)                  error at the output layer
    BP2  delta^l = (W^{l+1}.T delta^{l+1}) * sigma'(z^l)  error moved back one layer
    BP3  dC/db^l = delta^l                                bias gradient (summed over samples)
    BP4  dC/dW^l = delta^l a^{l-1}.T                      weight gradient (summed over samples)

Then the same network runs through autograd (``loss.backward()``) and the gradients are compared.
"""

from __future__ import annotations

import argparse

import numpy as np

import minitorch as mt
from minitorch import nn


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed of the weights")
    args = parser.parse_args(argv)
    mt.manual_seed(args.seed)
    fc1, act, fc2 = nn.Linear(4, 5).double(), nn.Sigmoid(), nn.Linear(5, 3).double()
    rng = np.random.default_rng(0)
    a0 = rng.standard_normal((8, 4))  # 8 samples, 4 features
    y = rng.standard_normal((8, 3))

    # Forward, layer by layer; each call caches what its backward needs.
    z1 = fc1.forward(a0)
    a1 = act.forward(z1)
    z2 = fc2.forward(a1)  # the output layer is linear: a^L = z^L, sigma' = 1
    cost = ((z2 - y) ** 2).mean()

    # BP1: delta^L = dC/da^L * sigma'(z^L); for MSE, dC/da^L = 2 (a^L - y) / (number of entries).
    delta2 = 2 * (z2 - y) / z2.size
    # fc2.backward applies BP3 (fc2.bias.grad += delta2 summed over samples) and BP4
    # (fc2.weight.grad += delta2.T @ a1), and returns W2.T delta2: the first half of BP2.
    w2_delta2 = fc2.backward(delta2)
    # BP2, second half: multiply by sigma'(z1) = a1 (1 - a1); the Sigmoid layer does exactly that.
    delta1 = act.backward(w2_delta2)
    assert np.allclose(delta1, w2_delta2 * a1 * (1 - a1))
    # BP3 and BP4 for the first layer (the input gradient it returns is not needed).
    fc1.backward(delta1)
    by_hand = {name: p.grad.numpy().copy() for name, p in _named(fc1, fc2)}
    assert np.allclose(by_hand["fc2.bias"], delta2.sum(axis=0))  # BP3 spelled out
    assert np.allclose(by_hand["fc1.weight"], delta1.T @ a0)  # BP4 spelled out

    # The same network through the graph: autograd calls the same backward methods for us.
    for _, p in _named(fc1, fc2):
        p.grad = None
    loss = nn.MSELoss()(fc2(act(fc1(mt.tensor(a0)))), mt.tensor(y))
    loss.backward()
    worst = 0.0
    for name, p in _named(fc1, fc2):
        diff = float(np.abs(p.grad.numpy() - by_hand[name]).max())
        worst = max(worst, diff)
        print(f"{name:11s} max |by hand - autograd| = {diff:.2e}")
    print(f"cost {cost:.6f} by hand, {loss.item():.6f} by autograd")
    assert worst < 1e-12, worst
    return worst


def _named(fc1: nn.Linear, fc2: nn.Linear) -> list:
    return [("fc1.weight", fc1.weight), ("fc1.bias", fc1.bias),
            ("fc2.weight", fc2.weight), ("fc2.bias", fc2.bias)]  # fmt: skip


if __name__ == "__main__":
    main()
