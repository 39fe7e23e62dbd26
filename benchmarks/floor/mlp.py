"""The benchmark MLP (Linear-ReLU-Linear-ReLU-Linear + cross-entropy) in plain NumPy."""

import numpy as np

from benchmarks.floor.layers import CrossEntropy, Linear
from benchmarks.floor.params import FlatParams


class MLP:
    """``sizes[0] -> ... -> sizes[-1]`` with ReLU between layers, softmax cross-entropy on top.

    Parameter names match ``torch.nn.Sequential(Linear, ReLU, Linear, ReLU, Linear)``:
    ``0.weight``, ``0.bias``, ``2.weight``, ... Buffers are sized for ``batch``.

    Shape: x (batch, sizes[0]), target (batch,) integer classes -> scalar loss.
    """

    def __init__(self, batch: int, sizes=(784, 512, 512, 10), dtype=np.float32, seed: int = 0):
        pairs = list(zip(sizes[:-1], sizes[1:]))
        shapes = {}
        for i, (fan_in, fan_out) in enumerate(pairs):
            shapes[f"{2 * i}.weight"] = (fan_out, fan_in)
            shapes[f"{2 * i}.bias"] = (fan_out,)
        self.params = FlatParams(shapes, dtype)
        self.params.reset_parameters(np.random.default_rng(seed))
        last = len(pairs) - 1
        self.layers = [
            Linear(self.params, str(2 * i), batch, fan_in, fan_out, relu=i < last, need_dx=i > 0)
            for i, (fan_in, fan_out) in enumerate(pairs)
        ]
        self.criterion = CrossEntropy(batch, sizes[-1], dtype)

    def forward(self, x: np.ndarray, target: np.ndarray) -> float:
        for layer in self.layers:
            x = layer.forward(x)
        self.logits = x
        return self.criterion.forward(x, target)

    def backward(self) -> None:
        dy = self.criterion.backward()
        for layer in reversed(self.layers):
            dy = layer.backward(dy)
