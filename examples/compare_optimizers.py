"""Train the same small MLP on the shipped digits with each optimizer; compare the loss curves.

    python examples/compare_optimizers.py                    # a loss table, a few seconds
    python examples/compare_optimizers.py --epochs 30 --plot curves.png

Every run starts from the same weights and sees the same batches, so the only difference is the
optimizer. The last three runs show regularisation with SGD + momentum:

* L2 through ``weight_decay`` (on the weights only, with a parameter group per kind), and
* the same L2 as an explicit penalty ``(wd / 2) * sum(w**2)`` added to the loss: its gradient is
  ``wd * w``, so the two runs follow the same path (the script prints how far apart they end), and
* L1 as an explicit penalty ``l1 * sum(|w|)``, which pushes weights to exactly-small values.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np
from cli_args import device_name, non_negative, positive  # examples/cli_args.py

import minitorch as mt
from minitorch import nn, optim

DIGITS = Path(mt.__file__).parent / "data" / "digits.npz"


class MLP(nn.Module):
    def __init__(self, hidden: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(64, hidden)
        self.fc2 = nn.Linear(hidden, 10)
        self.act = nn.Tanh()

    def forward(self, x: mt.Tensor) -> mt.Tensor:
        return self.fc2(self.act(self.fc1(x)))


def load_digits() -> tuple[np.ndarray, ...]:
    """Train/test split of the 8x8 digits as float32 vectors in [0, 1] and int64 labels."""
    data = np.load(DIGITS)
    x = data["images"].reshape(len(data["images"]), -1).astype(np.float32) / 16.0
    y = data["labels"].astype(np.int64)
    test = np.zeros(len(y), dtype=bool)
    test[data["test_index"]] = True
    return x[~test], y[~test], x[test], y[test]


def weights_and_biases(model: nn.Module) -> tuple[list, list]:
    named = list(model.named_parameters())
    return [p for n, p in named if n.endswith("weight")], [
        p for n, p in named if n.endswith("bias")
    ]


def runs(args: argparse.Namespace) -> dict[str, tuple[Callable, Callable | None]]:
    """name -> (make_optimizer(model), penalty(model) or None)."""
    wd, l1 = args.l2, args.l1

    def grouped(model: nn.Module, decay: float) -> list[dict]:
        weights, biases = weights_and_biases(model)
        return [
            {"params": weights, "weight_decay": decay},
            {"params": biases, "weight_decay": 0.0},
        ]

    def sgd_momentum(model: nn.Module, decay: float = 0.0) -> optim.Optimizer:
        return optim.SGD(grouped(model, decay), lr=0.05, momentum=0.9)

    def l2_penalty(model: nn.Module) -> mt.Tensor:
        return (wd / 2) * sum((w * w).sum() for w in weights_and_biases(model)[0])

    def l1_penalty(model: nn.Module) -> mt.Tensor:
        return l1 * sum(abs(w).sum() for w in weights_and_biases(model)[0])

    return {
        "SGD": (lambda m: optim.SGD(m.parameters(), lr=0.2), None),
        "SGD+mom": (sgd_momentum, None),
        "Adam": (lambda m: optim.Adam(m.parameters(), lr=3e-3), None),
        "AdamW": (lambda m: optim.AdamW(m.parameters(), lr=3e-3, weight_decay=1e-2), None),
        "RMSprop": (lambda m: optim.RMSprop(m.parameters(), lr=1e-3), None),
        "Adagrad": (lambda m: optim.Adagrad(m.parameters(), lr=0.05), None),
        "L2 (wd)": (lambda m: sgd_momentum(m, wd), None),
        "L2 (pen)": (sgd_momentum, l2_penalty),
        "L1 (pen)": (sgd_momentum, l1_penalty),
    }  # fmt: skip


def train(make_opt: Callable, penalty: Callable | None, data: tuple, args: argparse.Namespace,
          loss_fn: Any) -> tuple[list[float], float, nn.Module]:  # fmt: skip
    """Per-epoch mean training loss (data term only), test accuracy, and the trained model."""
    x_train, y_train, x_test, y_test = data
    mt.manual_seed(args.seed)  # same initial weights for every run
    model = MLP(args.hidden).to(args.device)
    opt = make_opt(model)
    order_rng = np.random.default_rng(args.seed)  # same batches for every run
    xs, ys = mt.tensor(x_train, device=args.device), mt.tensor(y_train, device=args.device)
    losses = []
    for _ in range(args.epochs):
        order = order_rng.permutation(len(y_train))
        total = 0.0
        for start in range(0, len(order), args.batch_size):
            idx = order[start : start + args.batch_size]
            loss = loss_fn(model(xs[idx]), ys[idx])
            objective = loss if penalty is None else loss + penalty(model)
            opt.zero_grad()
            objective.backward()
            opt.step()
            total += loss.item() * len(idx)
        losses.append(total / len(order))
    with mt.no_grad():
        logits = model(mt.tensor(x_test, device=args.device))
        accuracy = float((logits.argmax(1).numpy() == y_test).mean())
    return losses, accuracy, model


def main(argv: list[str] | None = None) -> dict[str, list[float]]:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    parser.add_argument("--epochs", type=positive(int), default=8, help="passes over the data")
    parser.add_argument("--batch-size", type=positive(int), default=64, help="images per step")
    parser.add_argument("--hidden", type=positive(int), default=32, help="hidden units")
    parser.add_argument("--l2", type=non_negative(float), default=1e-3,
                        help="L2 coefficient (weight_decay)")  # fmt: skip
    parser.add_argument("--l1", type=non_negative(float), default=1e-3,
                        help="L1 penalty coefficient")  # fmt: skip
    parser.add_argument("--only", nargs="*", metavar="NAME",
                        help="run only these (names from the table; default: all)")  # fmt: skip
    parser.add_argument("--device", type=device_name, default="cpu", help="cpu, cuda or cuda:N")
    parser.add_argument("--seed", type=non_negative(int), default=0, help="random seed")
    parser.add_argument("--plot", metavar="PNG", help="draw the curves (needs matplotlib)")
    args = parser.parse_args(argv)
    known = list(runs(args))
    unknown = [name for name in args.only or () if name not in known]
    if unknown:
        parser.error(f"--only: unknown run(s) {unknown}; choose from {known}")
    if args.plot:
        try:  # before training, not after it
            import matplotlib  # noqa: F401
        except ImportError:
            parser.error("--plot needs matplotlib: pip install matplotlib")

    data = load_digits()
    loss_fn = nn.CrossEntropyLoss()
    table = {k: v for k, v in runs(args).items() if not args.only or k in args.only}
    curves, accuracy, models = {}, {}, {}
    started = time.perf_counter()
    for name, (make_opt, penalty) in table.items():
        curves[name], accuracy[name], models[name] = train(make_opt, penalty, data, args, loss_fn)

    width = max(9, *(len(n) + 1 for n in curves))
    print("epoch" + "".join(f"{n:>{width}}" for n in curves))
    for epoch in range(args.epochs):
        print(f"{epoch + 1:>5}" + "".join(f"{c[epoch]:>{width}.4f}" for c in curves.values()))
    print("test%" + "".join(f"{100 * a:>{width}.1f}" for a in accuracy.values()))
    if "L2 (wd)" in models and "L2 (pen)" in models:
        pairs = zip(models["L2 (wd)"].parameters(), models["L2 (pen)"].parameters())
        gap = max(float(abs(a - b).max()) for a, b in pairs)
        print(f"L2 via weight_decay vs via penalty: largest parameter difference {gap:.2e}")
    for name in ("SGD+mom", "L1 (pen)"):
        if name in models:
            w = np.concatenate(
                [w.detach().numpy().ravel() for w in weights_and_biases(models[name])[0]]
            )
            print(f"{name}: {np.mean(np.abs(w) < 1e-2):.1%} of weights below 1e-2, "
                  f"sum |w| = {np.abs(w).sum():.1f}")  # fmt: skip
    print(f"({time.perf_counter() - started:.1f} s)")
    if args.plot:
        plot(curves, args.plot)
    return curves


def plot(curves: dict[str, list[float]], path: str) -> None:
    import matplotlib  # checked by main before training

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for name, losses in curves.items():
        ax.plot(range(1, len(losses) + 1), losses, marker="o", markersize=3, label=name)
    ax.set(xlabel="epoch", ylabel="training loss", yscale="log", title="Optimizers on digits")
    ax.legend(ncol=2, fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
