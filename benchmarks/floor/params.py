"""Parameters and their gradients as named views into two flat arrays."""

import math

import numpy as np


class FlatParams:
    """Named parameter views over one flat array, gradient views over a second one.

    With every parameter in one array, an optimizer step is a handful of whole-array ufunc
    calls instead of a Python loop over tensors. Names and shapes follow the PyTorch state dict
    of the same model, so weights move between the two with ``load``.
    """

    def __init__(self, shapes: dict[str, tuple[int, ...]], dtype=np.float32):
        sizes = [math.prod(shape) for shape in shapes.values()]
        self.data = np.zeros(sum(sizes), dtype)
        self.grad = np.zeros(sum(sizes), dtype)
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        offset = 0
        for (name, shape), size in zip(shapes.items(), sizes):
            self.params[name] = self.data[offset : offset + size].reshape(shape)
            self.grads[name] = self.grad[offset : offset + size].reshape(shape)
            offset += size

    def reset_parameters(self, rng: np.random.Generator) -> None:
        """PyTorch's default for Linear and Conv: weight and bias ~ U(-1/sqrt(fan_in), +)."""
        for name, view in self.params.items():
            weight = self.params[name.rsplit(".", 1)[0] + ".weight"]
            bound = 1.0 / math.sqrt(math.prod(weight.shape[1:]))
            view[...] = rng.uniform(-bound, bound, view.shape)

    def load(self, state: dict[str, np.ndarray]) -> None:
        """Copy arrays keyed like a PyTorch state dict into the flat storage."""
        for name, view in self.params.items():
            value = np.asarray(state[name])
            if value.shape != view.shape:
                raise ValueError(
                    f"FlatParams.load: {name} expects {view.shape}, got {value.shape}"
                )
            view[...] = value
