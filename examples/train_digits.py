"""Train an MLP on the handwritten digits shipped with minitorch (the README's main job).

    python examples/train_digits.py                  # ~97-98 % test accuracy in a few seconds
    python examples/train_digits.py --device cuda    # the same on a GPU
    python examples/train_digits.py --save digits.ckpt --plot curves.png

A plain PyTorch-style loop: DataLoader, forward, loss, backward, step. ``--save`` writes the
model and optimizer state with ``mt.save``; ``--resume`` continues from such a file.
"""

from __future__ import annotations

import argparse
import time

from cli_args import device_name, non_negative, positive  # examples/cli_args.py

import minitorch as mt
from minitorch import nn, optim
from minitorch.data import DataLoader, Digits
from minitorch.train import History
from minitorch.utils.progress import format_metrics, progress_bar


class MLP(nn.Module):
    """Standardise the pixels, then two hidden ReLU layers.

    The pixel statistics are buffers: saved in the state dict with the weights, moved by ``.to``.
    """

    def __init__(self, mean: mt.Tensor, std: mt.Tensor, hidden: int = 128) -> None:
        super().__init__()
        self.register_buffer("mean", mean.reshape(1, 64))
        self.register_buffer("std", std.reshape(1, 64))
        self.fc1 = nn.Linear(64, hidden)
        self.fc2 = nn.Linear(hidden, hidden)
        self.fc3 = nn.Linear(hidden, 10)
        self.act = nn.ReLU()

    def forward(self, x: mt.Tensor) -> mt.Tensor:
        x = (x.reshape(len(x), -1) - self.mean) / self.std  # (B, 1, 8, 8) images -> (B, 64)
        x = self.act(self.fc1(x))
        x = self.act(self.fc2(x))
        return self.fc3(x)


def evaluate(model: nn.Module, loader: DataLoader, loss_fn: nn.Module) -> tuple[float, float]:
    """Mean loss and accuracy over a loader."""
    model.eval()
    total_loss, correct, count = 0.0, 0, 0
    with mt.no_grad():
        for x, y in loader:
            logits = model(x)
            total_loss += loss_fn(logits, y).item() * len(y)
            correct += int((logits.argmax(1) == y).sum().item())
            count += len(y)
    model.train()
    return total_loss / count, correct / count


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    parser.add_argument("--epochs", type=positive(int), default=20, help="passes over the data")
    parser.add_argument("--batch-size", type=positive(int), default=32, help="images per step")
    parser.add_argument("--lr", type=positive(float), default=0.05, help="SGD learning rate")
    parser.add_argument("--device", type=device_name, default="cpu", help="cpu, cuda or cuda:N")
    parser.add_argument("--seed", type=non_negative(int), default=0, help="random seed")
    parser.add_argument("--save", metavar="PATH", help="write a checkpoint at the end")
    parser.add_argument("--resume", metavar="PATH", help="start from a checkpoint")
    parser.add_argument(
        "--plot", metavar="PNG", help="draw loss/accuracy curves (needs matplotlib)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    if args.plot:
        try:  # before training, not after it
            import matplotlib  # noqa: F401
        except ImportError:
            parser.error("--plot needs matplotlib: pip install matplotlib")

    mt.manual_seed(args.seed)
    # The whole dataset is tiny: put it on the device once, and batches are gathered there.
    train_set, test_set = (
        Digits(train=True, device=args.device),
        Digits(train=False, device=args.device),
    )
    train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True)
    test_loader = DataLoader(test_set, batch_size=512)

    pixels = Digits(train=True).data.reshape(-1, 64) / 16.0  # statistics of the training set
    mean = mt.tensor(pixels.mean(0), dtype=mt.float32)
    std = mt.tensor(pixels.std(0) + 0.1, dtype=mt.float32)  # + 0.1: some pixels are always 0
    model = MLP(mean, std).to(args.device)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.1)
    optimizer = optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=5e-4)
    scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    first_epoch = 1
    if args.resume:
        checkpoint = mt.load(args.resume, map_location=args.device)
        model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        scheduler.load_state_dict(checkpoint["scheduler"])
        first_epoch = checkpoint["epoch"] + 1

    history = History()
    enabled = False if args.quiet else None
    start = time.perf_counter()
    epochs = progress_bar(range(first_epoch, args.epochs + 1), desc="training", unit="epoch",
                          enabled=enabled)  # fmt: skip
    for epoch in epochs:
        total, count = 0.0, 0
        for x, y in train_loader:
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            total, count = total + loss.item() * len(y), count + len(y)
        scheduler.step()
        test_loss, test_acc = evaluate(model, test_loader, loss_fn)
        logs = {"loss": total / count, "val_loss": test_loss, "val_accuracy": test_acc}
        history.append(epoch, logs)
        epochs.set_postfix(format_metrics(logs))
        if epoch == first_epoch or epoch % 5 == 0:
            epochs.write(
                f"epoch {epoch:3d}  loss {total / count:.4f}  test accuracy {test_acc:.2%}"
            )
    epochs.close()

    _, accuracy = evaluate(model, test_loader, loss_fn)
    elapsed = time.perf_counter() - start
    print(f"test accuracy {accuracy:.2%} on {len(test_set)} images ({elapsed:.1f} s)")
    if args.save:
        state = {"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                 "scheduler": scheduler.state_dict(), "epoch": args.epochs,
                 "test_accuracy": accuracy}  # fmt: skip
        mt.save(state, args.save)
        print(f"saved checkpoint to {args.save}")
    if args.plot:
        history.plot(args.plot)
        print(f"saved curves to {args.plot}")
    return accuracy


if __name__ == "__main__":
    main()
