"""Finite differences against backpropagation, for every weight of a small network.

    python examples/gradient_check_by_hand.py

The derivative of the cost C with respect to one weight w can be estimated without calculus:
nudge w both ways and look at the cost,

    dC/dw  ~  (C(w + eps) - C(w - eps)) / (2 eps)

which is exact up to O(eps^2). It costs two forward passes per weight, so a network with n
weights needs 2n forward passes for its gradient. Backpropagation gets all n derivatives from
one forward and one backward pass (each about the price of a forward pass). This script does
both on a 4-5-3 sigmoid network, compares them weight by weight, counts the passes and times
them; then times both on a digits-sized 64-30-10 network, where the gap is much wider.
``mt.gradcheck`` runs the same check on any layer or model.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import minitorch as mt
from minitorch import nn

EPS = 1e-6


class Counter:
    """The cost of the network on one batch, counting the forward passes."""

    def __init__(self, model: nn.Module, x: mt.Tensor, y: mt.Tensor) -> None:
        self.model, self.x, self.y, self.passes = model, x, y, 0
        self.loss = nn.MSELoss()

    def __call__(self) -> mt.Tensor:
        self.passes += 1
        return self.loss(self.model(self.x), self.y)


def finite_differences(cost: Counter) -> dict[str, np.ndarray]:
    """dC/dw for every weight: two forward passes each, the weight nudged in place."""
    grads = {}
    with mt.no_grad():
        for name, p in cost.model.named_parameters():
            w = p.array  # the raw array: nudging it changes the model
            g = np.zeros_like(w)
            for i in np.ndindex(w.shape):  # one weight at a time: that is the point
                saved = w[i]
                w[i] = saved + EPS
                up = cost().item()
                w[i] = saved - EPS
                down = cost().item()
                w[i] = saved
                g[i] = (up - down) / (2 * EPS)
            grads[name] = g
    return grads


def backprop(cost: Counter) -> dict[str, np.ndarray]:
    """dC/dw for every weight: one forward pass, one backward pass."""
    cost.model.zero_grad()
    cost().backward()
    return {name: p.grad.numpy().copy() for name, p in cost.model.named_parameters()}


def network(sizes: tuple[int, ...], seed: int = 0) -> tuple[Counter, int]:
    mt.manual_seed(seed)
    layers: list[nn.Module] = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(n_in, n_out), nn.Sigmoid()]
    model = nn.Sequential(*layers[:-1]).double()  # float64: eps = 1e-6 needs the precision
    rng = np.random.default_rng(seed)
    x = mt.tensor(rng.standard_normal((8, sizes[0])))
    y = mt.tensor(rng.standard_normal((8, sizes[-1])))
    n = sum(p.numel() for p in model.parameters())
    return Counter(model, x, y), n


def timed(fn, cost: Counter) -> tuple[dict, float, int]:
    cost.passes = 0
    start = time.perf_counter()
    grads = fn(cost)
    return grads, time.perf_counter() - start, cost.passes


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    parser.parse_args(argv)  # no options: --help, and a clear error for any argument
    cost, n = network((4, 5, 3))
    numeric, t_fd, fd_passes = timed(finite_differences, cost)
    analytic, t_bp, bp_passes = timed(backprop, cost)
    print(f"4-5-3 sigmoid network, {n} weights and biases, MSE cost on 8 samples")
    print(f"{'parameter':<10} {'shape':>8} {'max |finite diff - backprop|':>29}")
    worst = 0.0
    for name in numeric:
        diff = float(np.abs(numeric[name] - analytic[name]).max())
        worst = max(worst, diff)
        print(f"{name:<10} {str(analytic[name].shape):>8} {diff:>29.2e}")
    w = analytic["0.weight"]
    print(f"e.g. dC/dW[0, 0]: backprop {w[0, 0]:.10f}, finite differences "
          f"{numeric['0.weight'][0, 0]:.10f}")  # fmt: skip
    print(f"finite differences: {fd_passes} forward passes (2 per weight), {t_fd * 1e3:.1f} ms")
    print(f"backprop:           {bp_passes} forward pass + 1 backward pass, {t_bp * 1e3:.2f} ms")
    assert fd_passes == 2 * n and bp_passes == 1 and worst < 1e-8, worst

    big, n_big = network((64, 30, 10))
    _, t_big_fd, big_passes = timed(finite_differences, big)
    _, t_big_bp, _ = timed(backprop, big)
    print(f"64-30-10 network, {n_big} weights and biases: finite differences {big_passes} "
          f"forward passes, {t_big_fd:.2f} s; backprop {t_big_bp * 1e3:.2f} ms "
          f"({t_big_fd / t_big_bp:.0f} times faster)")  # fmt: skip

    ok = mt.gradcheck(cost.model, cost.x)  # the library's check: every parameter, in float64
    print(f"mt.gradcheck(model, x): {ok}")
    return {"weights": n, "forward_passes": fd_passes, "max_error": worst, "speedup_big":
            t_big_fd / t_big_bp, "gradcheck": ok}  # fmt: skip


if __name__ == "__main__":
    main()
