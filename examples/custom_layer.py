"""Write a new layer, check its gradients, and train a model that uses it.

    python examples/custom_layer.py

The layer is a learnable Swish, ``y = x * sigmoid(beta * x)`` with one ``beta`` per feature:
``forward`` computes the output and caches what ``backward`` needs; ``backward`` adds the
parameter gradient with ``self.add_grad`` and returns the input gradient. That is the whole
contract.
"""

from __future__ import annotations

import argparse

import numpy as np
from cli_args import positive  # examples/cli_args.py

import minitorch as mt
from minitorch import nn, optim
from minitorch.backend import get_backend
from minitorch.data import DataLoader, Digits


class Swish(nn.Layer):
    """``y = x * sigmoid(beta * x)``, ``beta`` learned per feature.

    Shape: input (*, num_features) -> output (*, num_features).
    """

    def __init__(self, num_features: int, beta: float = 1.0) -> None:
        super().__init__()
        self.num_features, self.beta_init = num_features, beta
        self.beta = nn.Parameter(mt.full((num_features,), beta))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        with mt.no_grad():
            self.beta.fill_(self.beta_init)

    def forward(self, x):
        if x.shape[-1] != self.num_features:
            raise ValueError(
                f"Swish({self.num_features}) expects (*, {self.num_features}), got {x.shape}"
            )
        xp = get_backend(x).xp
        s = 1 / (1 + xp.exp(-self.beta.array * x))  # sigmoid(beta x)
        self.save_for_backward(x, s)  # per-call cache: the input and the sigmoid
        return x * s

    def backward(self, dy):
        x, s = self.saved
        ds = dy * x * s * (1 - s)  # dL/d(beta x), since y = x * s and s' = s (1 - s)
        self.add_grad(self.beta, (ds * x).reshape(-1, self.num_features).sum(axis=0))
        return dy * s + ds * self.beta.array if self.needs_input_grad[0] else None

    def extra_repr(self) -> str:
        return f"num_features={self.num_features}"


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    parser.add_argument("--epochs", type=positive(int), default=10, help="passes over the data")
    args = parser.parse_args(argv)
    mt.manual_seed(0)

    # 1. Check backward against central differences, in float64, for input and beta.
    layer = Swish(5).double()
    with mt.no_grad():
        layer.beta.copy_(np.linspace(0.5, 2.0, 5))
    x = mt.randn(4, 5, dtype=mt.float64, requires_grad=True)
    print("gradcheck:", mt.gradcheck(layer, x))

    # 2. The textbook way, on raw arrays: forward, then backward by hand.
    y = layer.forward(x.detach().numpy())
    dx = layer.backward(np.ones_like(y))
    print("explicit forward/backward shapes:", y.shape, dx.shape)
    layer.zero_grad()

    # 3. Use it in a model like any built-in layer.
    model = nn.Sequential(nn.Flatten(), nn.Linear(64, 64), Swish(64), nn.Linear(64, 10))
    print(model)
    loader = DataLoader(Digits(train=True), batch_size=32, shuffle=True)
    optimizer = optim.Adam(model.parameters(), lr=3e-3)
    loss_fn = nn.CrossEntropyLoss()
    for _ in range(args.epochs):
        for images, labels in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(images), labels)
            loss.backward()
            optimizer.step()
    test = Digits(train=False)
    images, labels = next(iter(DataLoader(test, batch_size=len(test))))
    with mt.no_grad():
        accuracy = (model(images).argmax(1) == labels).float().mean().item()
    beta = model[2].beta.detach().numpy()
    print(f"test accuracy {accuracy:.2%}; learned beta in [{beta.min():.2f}, {beta.max():.2f}]")
    return accuracy


if __name__ == "__main__":
    main()
