"""SGD with momentum and Adam, updating one flat parameter array in place.

State is allocated once; a step is a few whole-array ufunc calls with ``out=``, no temporaries.
The arithmetic is PyTorch's (``torch.optim.SGD`` with dampening 0, ``torch.optim.Adam`` without
weight decay or amsgrad), rearranged only where the result is algebraically the same.
"""

import math

import numpy as np

from benchmarks.floor.params import FlatParams


class SGD:
    """``buf = momentum * buf + grad; p -= lr * buf``; without momentum ``p -= lr * grad``."""

    def __init__(self, params: FlatParams, lr: float, momentum: float = 0.0):
        self.p, self.g, self.lr, self.momentum = params.data, params.grad, lr, momentum
        self.buf = np.zeros_like(self.p) if momentum else None
        self.tmp = np.empty_like(self.p)

    def step(self) -> None:
        if self.buf is None:
            np.multiply(self.g, self.lr, out=self.tmp)
        else:
            self.buf *= self.momentum
            self.buf += self.g
            np.multiply(self.buf, self.lr, out=self.tmp)
        self.p -= self.tmp


class Adam:
    """``m, v`` moving averages of ``g, g*g``; ``p -= lr / bc1 * m / (sqrt(v) / sqrt(bc2) + eps)``.

    The two bias corrections are folded into scalars: the update is
    ``lr * sqrt(bc2) / bc1 * m / (sqrt(v) + eps * sqrt(bc2))``.
    """

    def __init__(
        self, params: FlatParams, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8
    ):
        self.p, self.g = params.data, params.grad
        self.lr, (self.beta1, self.beta2), self.eps = lr, betas, eps
        self.m, self.v = np.zeros_like(self.p), np.zeros_like(self.p)
        self.tmp = np.empty_like(self.p)
        self.t = 0

    def step(self) -> None:
        self.t += 1
        bc1 = 1 - self.beta1**self.t
        bc2_sqrt = math.sqrt(1 - self.beta2**self.t)
        m, v, tmp = self.m, self.v, self.tmp
        m *= self.beta1
        np.multiply(self.g, 1 - self.beta1, out=tmp)
        m += tmp
        v *= self.beta2
        np.multiply(self.g, self.g, out=tmp)
        tmp *= 1 - self.beta2
        v += tmp
        np.sqrt(v, out=tmp)
        tmp += self.eps * bc2_sqrt
        np.divide(m, tmp, out=tmp)
        tmp *= self.lr * bc2_sqrt / bc1
        self.p -= tmp
