"""Train an MLP on the handwritten digits shipped with minitorch (the README's main job).

    python examples/train_digits.py [--epochs 30] [--device cpu|cuda]
"""

from __future__ import annotations

import argparse
import time
from importlib import resources

import numpy as np

import minitorch as mt
from minitorch import nn, optim


class MLP(nn.Module):
    def __init__(self, hidden: int = 128) -> None:
        super().__init__()
        self.fc1 = nn.Linear(64, hidden)
        self.fc2 = nn.Linear(hidden, hidden)
        self.fc3 = nn.Linear(hidden, 10)
        self.act = nn.ReLU()

    def forward(self, x: mt.Tensor) -> mt.Tensor:
        x = self.act(self.fc1(x))
        x = self.act(self.fc2(x))
        return self.fc3(x)


def load_digits() -> tuple:
    with resources.files("minitorch.data").joinpath("digits.npz").open("rb") as f:
        data = np.load(f)
        images, labels, test_index = data["images"], data["labels"], data["test_index"]
    x = (images.reshape(len(images), -1) / 16.0).astype(np.float32)
    onehot = np.eye(10, dtype=np.float32)[labels]
    test = np.zeros(len(x), dtype=bool)
    test[test_index] = True
    return (x[~test], onehot[~test], labels[~test]), (x[test], onehot[test], labels[test])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    mt.manual_seed(args.seed)
    (x_train, y_train, _), (x_test, _, label_test) = load_digits()
    model = MLP().to(args.device)
    loss_fn = nn.MSELoss()
    optimizer = optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    order = np.random.default_rng(args.seed)
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        total, batches = 0.0, 0
        for idx in np.array_split(order.permutation(len(x_train)), len(x_train) // args.batch_size):
            x = mt.tensor(x_train[idx], device=args.device)
            y = mt.tensor(y_train[idx], device=args.device)
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            total, batches = total + loss.item(), batches + 1
        if epoch == 1 or epoch % 5 == 0:
            print(f"epoch {epoch:3d}  loss {total / batches:.4f}")
    with mt.no_grad():
        logits = model(mt.tensor(x_test, device=args.device))
    accuracy = float((logits.argmax(1).numpy() == label_test).mean())
    print(f"test accuracy {accuracy:.2%} on {len(x_test)} images "
          f"({time.perf_counter() - start:.1f} s)")  # fmt: skip


if __name__ == "__main__":
    main()
