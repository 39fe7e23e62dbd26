"""A small convolutional network on the shipped digits (>= 98 % test accuracy).

    python examples/cnn_digits.py [--epochs 10] [--device cuda]

Two 3x3 convolutions with ReLU, one 2x2 max pooling, then a linear classifier: the same recipe as
LeNet, sized for 8 x 8 images.
"""

from __future__ import annotations

import argparse
import time

from cli_args import device_name, non_negative, positive  # examples/cli_args.py

import minitorch as mt
from minitorch import nn, optim
from minitorch.data import DataLoader, Digits


def make_model() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 32, kernel_size=3, padding=1),  # (B, 32, 8, 8)
        nn.ReLU(),
        nn.Conv2d(32, 32, kernel_size=3, padding=1),  # (B, 32, 8, 8)
        nn.ReLU(),
        nn.MaxPool2d(2),  # (B, 32, 4, 4)
        nn.Flatten(),
        nn.Linear(32 * 4 * 4, 10),
    )


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    parser.add_argument("--epochs", type=positive(int), default=10, help="passes over the data")
    parser.add_argument("--batch-size", type=positive(int), default=32, help="images per step")
    parser.add_argument("--lr", type=positive(float), default=2e-3, help="Adam learning rate")
    parser.add_argument("--device", type=device_name, default="cpu", help="cpu, cuda or cuda:N")
    parser.add_argument("--seed", type=non_negative(int), default=0, help="random seed")
    args = parser.parse_args(argv)

    mt.manual_seed(args.seed)
    train_loader = DataLoader(Digits(train=True, device=args.device), batch_size=args.batch_size,
                              shuffle=True)  # fmt: skip
    test_set = Digits(train=False, device=args.device)
    model = make_model().to(args.device)
    optimizer = optim.Adam(model.parameters(), lr=args.lr)
    scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.1)
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        model.train()
        total = 0.0
        for images, labels in train_loader:
            optimizer.zero_grad()
            loss = loss_fn(model((images - 0.3) / 0.4), labels)  # roughly zero mean, unit std
            loss.backward()
            optimizer.step()
            total += loss.item() * len(labels)
        scheduler.step()
        print(f"epoch {epoch:2d}  loss {total / len(train_loader.dataset):.4f}")
    model.eval()
    images, labels = next(iter(DataLoader(test_set, batch_size=len(test_set))))
    with mt.no_grad():
        accuracy = (model((images - 0.3) / 0.4).argmax(1) == labels).float().mean().item()
    print(f"test accuracy {accuracy:.2%} on {len(test_set)} images "
          f"({time.perf_counter() - start:.1f} s)")  # fmt: skip
    return accuracy


if __name__ == "__main__":
    main()
