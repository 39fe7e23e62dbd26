"""The vanishing gradient problem, measured: how fast each hidden layer of a deep net learns.

    python examples/vanishing_gradients.py            # the table, in a few seconds
    python examples/vanishing_gradients.py --plot speeds.png

A fully connected 64-30-30-30-30-10 network is trained with SGD on the shipped digits. The speed
at which hidden layer l learns is the size of the gradient of its biases, ||dC/db^l|| (Nielsen,
*Neural Networks and Deep Learning*, ch. 5). By backprop's equation BP2 the error of a layer is
the error of the next one times W^T and times sigma'(z); sigma' is at most 1/4 for a sigmoid, so
with weights of the usual size each layer back learns several times slower than the next.

Three networks, each trained from the same seed:

- sigmoid, PyTorch's default initialisation: the first hidden layer learns more than ten times
  slower than the last one;
- ReLU with He initialisation (weights N(0, 2/fan_in)): slope 1 where active, and a variance that
  is kept from layer to layer, so all layers learn at comparable speeds;
- sigmoid with BatchNorm after each hidden Linear: each layer's pre-activations are rescaled to
  unit spread, which keeps sigma' away from 0 and rescales the gradients on the way back. The
  speed of a layer is then that of the BatchNorm shift beta (the Linear has no bias).

The measurements come from ``minitorch.utils.inspect.GradientMonitor``, which records every
parameter's gradient norm at every step.
"""

from __future__ import annotations

import argparse
import time

from cli_args import non_negative, positive  # examples/cli_args.py

import minitorch as mt
from minitorch import nn, optim
from minitorch.data import DataLoader, TensorDataset
from minitorch.data.datasets import load_digits_arrays
from minitorch.utils.inspect import GradientMonitor

SIZES = (64, 30, 30, 30, 30, 10)
NETWORKS = ("sigmoid", "relu + He", "sigmoid + BatchNorm")


def build(kind: str) -> tuple[nn.Sequential, list[str]]:
    """The network, and the names of the modules whose bias measures each hidden layer."""
    layers, speed_of = [], []
    for i, (n_in, n_out) in enumerate(zip(SIZES[:-1], SIZES[1:])):
        hidden = i < len(SIZES) - 2
        linear = nn.Linear(n_in, n_out, bias=not (hidden and kind == "sigmoid + BatchNorm"))
        layers.append(linear)
        if not hidden:
            break
        if kind == "relu + He":
            nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
            nn.init.zeros_(linear.bias)
            layers.append(nn.ReLU())
        elif kind == "sigmoid + BatchNorm":
            layers.append(nn.BatchNorm1d(n_out))
            layers.append(nn.Sigmoid())
        else:
            layers.append(nn.Sigmoid())
        speed_of.append(str(len(layers) - 2))  # the Linear, or the BatchNorm before the sigmoid
    return nn.Sequential(*layers), speed_of


def digits() -> tuple[TensorDataset, TensorDataset]:
    sets = []
    for train in (True, False):
        images, labels = load_digits_arrays(train)
        x = mt.tensor(images.reshape(len(images), 64), dtype=mt.float32) / 16.0
        sets.append(TensorDataset(x, mt.tensor(labels.astype("int64"))))
    return sets[0], sets[1]


def train(kind: str, epochs: int, lr: float, seed: int) -> dict:
    """Train one network; the speed of each hidden layer per step, and the test accuracy."""
    mt.manual_seed(seed)
    model, speed_of = build(kind)
    train_set, test_set = digits()
    loader = DataLoader(train_set, batch_size=32, shuffle=True)
    opt = optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    with GradientMonitor(model) as monitor:
        for _ in range(epochs):
            for x, y in loader:
                loss = loss_fn(model(x), y)
                opt.zero_grad()
                loss.backward()
                opt.step()
    speeds = [[step[name]["param_grad_norms"]["bias"] for step in monitor.history]
              for name in speed_of]  # fmt: skip
    model.eval()
    with mt.no_grad():
        x, y = test_set.tensors
        accuracy = (model(x).argmax(1) == y).float().mean().item()
    steps_per_epoch = len(loader)
    return {"speeds": speeds, "steps_per_epoch": steps_per_epoch, "accuracy": accuracy,
            "verdict": monitor.verdict()}  # fmt: skip


def mean(values: list[float]) -> float:
    return sum(values) / len(values)


def table(results: dict) -> str:
    """Speed of each hidden layer: mean over the first epoch and over the last one."""
    width = 24
    lines = ["speed of learning ||dC/db|| of each hidden layer, first epoch -> last epoch",
             f"{'':<18}" + "".join(f"{kind:>{width}}" for kind in results)]  # fmt: skip
    n_hidden = len(SIZES) - 2
    for layer in range(n_hidden):
        row = f"{'hidden layer ' + str(layer + 1):<18}"
        for r in results.values():
            k, s = r["steps_per_epoch"], r["speeds"][layer]
            row += f"{f'{mean(s[:k]):.2e} -> {mean(s[-k:]):.2e}':>{width}}"
        lines.append(row)
    lines.append(f"{'layer 1 / layer 4':<18}" + "".join(
        f"{r['ratio']:>{width}.3g}" for r in results.values()))  # fmt: skip
    lines.append(f"{'test accuracy':<18}" + "".join(
        f"{r['accuracy']:>{width}.1%}" for r in results.values()))  # fmt: skip
    return "\n".join(lines)


def matplotlib_figure(size: tuple[float, float]):
    """A matplotlib Figure (imported here: only ``--plot`` needs matplotlib)."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as error:
        raise ImportError(
            "vanishing_gradients --plot needs matplotlib: pip install matplotlib"
        ) from error
    fig = Figure(figsize=size)
    FigureCanvasAgg(fig)
    return fig


def plot(results: dict, path: str) -> None:
    fig = matplotlib_figure((13, 3.8))
    for ax, (kind, r) in zip(fig.subplots(1, len(results), sharey=True), results.items()):
        for layer, speeds in enumerate(r["speeds"], 1):
            ax.plot(speeds, lw=0.8, label=f"hidden layer {layer}")
        ax.set(yscale="log", xlabel="step", title=kind)
    fig.axes[0].set_ylabel("||dC/db||")
    fig.axes[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    parser.add_argument("--epochs", type=positive(int), default=4, help="passes over the data")
    parser.add_argument("--lr", type=positive(float), default=0.1, help="SGD learning rate")
    parser.add_argument("--seed", type=non_negative(int), default=0, help="random seed")
    parser.add_argument("--plot", metavar="PNG", help="draw the speeds over training")
    args = parser.parse_args(argv)
    if args.plot:
        try:  # fail now, not after training, when matplotlib is missing
            matplotlib_figure((1, 1))
        except ImportError as err:
            parser.error(str(err))
    start = time.perf_counter()
    results = {}
    for kind in NETWORKS:
        r = results[kind] = train(kind, args.epochs, args.lr, args.seed)
        r["ratio"] = mean(r["speeds"][0]) / mean(r["speeds"][-1])  # over the whole training
    print(table(results))
    for kind, r in results.items():
        print(f"{kind}: {r['verdict']}")
    print(f"({time.perf_counter() - start:.1f} s)")
    if args.plot:
        plot(results, args.plot)
        print(f"saved {args.plot}")
    return results


if __name__ == "__main__":
    main()
