"""Building blocks of the floor, each with its buffers preallocated for one batch size.

Every layer writes into buffers it owns (``out=`` everywhere), so a training step allocates
almost nothing: glibc hands large freed blocks straight back to the OS, and fresh temporaries
would page-fault on every step. Gradients are *written*, not accumulated: one backward per step
needs no ``zero_grad``. ``backward`` may overwrite the ``dy`` it is given.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from benchmarks.floor.params import FlatParams


class Linear:
    """``y = x @ W.T + b``, optionally followed by a ReLU applied in place.

    Shape: input (batch, in_features) -> output (batch, out_features).
    """

    def __init__(
        self,
        params: FlatParams,
        prefix: str,
        batch: int,
        in_features: int,
        out_features: int,
        relu: bool,
        need_dx: bool = True,
    ):
        self.W, self.b = params.params[f"{prefix}.weight"], params.params[f"{prefix}.bias"]
        self.gW, self.gb = params.grads[f"{prefix}.weight"], params.grads[f"{prefix}.bias"]
        dtype = self.W.dtype
        self.y = np.empty((batch, out_features), dtype)
        self.mask = np.empty((batch, out_features), bool) if relu else None
        self.dx = np.empty((batch, in_features), dtype) if need_dx else None

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        np.matmul(x, self.W.T, out=self.y)
        self.y += self.b
        if self.mask is not None:
            np.maximum(self.y, 0, out=self.y)
        return self.y

    def backward(self, dy: np.ndarray) -> np.ndarray | None:
        if self.mask is not None:  # ReLU keeps its output: the gradient passes where y > 0
            np.greater(self.y, 0, out=self.mask)
            np.multiply(dy, self.mask, out=dy)
        np.matmul(dy.T, self.x, out=self.gW)
        np.sum(dy, axis=0, out=self.gb)
        return None if self.dx is None else np.matmul(dy, self.W, out=self.dx)


class Conv2d:
    """Stride-1 convolution on NHWC activations, optionally followed by an in-place ReLU.

    im2col copies a strided window view of the padded input into a (N*Ho*Wo, kh*kw*C) matrix,
    then one GEMM gives the NHWC output. Keeping activations NHWC makes each window row
    kw*C contiguous values and needs no transposes between layers. The weight stays in
    PyTorch's (out, in, kh, kw) layout and is reordered each step (it is tiny).
    col2im accumulates over kernel offsets: for each (i, j) one GEMM ``dy @ W[:, :, i, j]``
    into a contiguous (N, Ho, Wo, C) buffer, added to the shifted window of the padded input
    gradient. That is 1.7x faster than one big GEMM followed by kh*kw adds that read a strided
    (N*Ho*Wo, kh*kw*C) matrix C values at a time.

    Shape: input (N, H, W, C) -> output (N, H + 2*padding - k + 1, W + 2*padding - k + 1, out).
    """

    def __init__(
        self,
        params: FlatParams,
        prefix: str,
        batch: int,
        height: int,
        width: int,
        in_channels: int,
        out_channels: int,
        kernel_size: int,
        padding: int,
        relu: bool,
        need_dx: bool = True,
    ):
        self.W, self.b = params.params[f"{prefix}.weight"], params.params[f"{prefix}.bias"]
        self.gW, self.gb = params.grads[f"{prefix}.weight"], params.grads[f"{prefix}.bias"]
        dtype, k, p = self.W.dtype, kernel_size, padding
        n, c, o = batch, in_channels, out_channels
        self.k, self.p, self.h, self.w = k, p, height, width
        ho, wo = height + 2 * p - k + 1, width + 2 * p - k + 1
        self.xp = np.zeros((n, height + 2 * p, width + 2 * p, c), dtype)  # border stays zero
        windows = sliding_window_view(self.xp, (k, k), axis=(1, 2))  # (n, ho, wo, c, k, k)
        self.windows = windows.transpose(0, 1, 2, 4, 5, 3)  # (n, ho, wo, k, k, c)
        self.col = np.empty((n, ho, wo, k, k, c), dtype)
        self.col2 = self.col.reshape(n * ho * wo, k * k * c)
        self.Wt = np.empty((o, k, k, c), dtype)
        self.gWt = np.empty((o, k * k * c), dtype)
        self.y = np.empty((n, ho, wo, o), dtype)
        self.mask = np.empty(self.y.shape, bool) if relu else None
        self.Wk = np.empty((k, k, o, c), dtype) if need_dx else None
        self.dcol = np.empty((n, ho, wo, c), dtype) if need_dx else None  # one kernel offset
        self.dxp = np.empty(self.xp.shape, dtype) if need_dx else None

    def forward(self, x: np.ndarray) -> np.ndarray:
        p = self.p
        self.xp[:, p : p + self.h, p : p + self.w, :] = x
        np.copyto(self.col, self.windows)
        np.copyto(self.Wt, self.W.transpose(0, 2, 3, 1))
        y2 = self.y.reshape(-1, self.y.shape[-1])
        np.matmul(self.col2, self.Wt.reshape(len(self.Wt), -1).T, out=y2)
        y2 += self.b
        if self.mask is not None:
            np.maximum(self.y, 0, out=self.y)
        return self.y

    def backward(self, dy: np.ndarray) -> np.ndarray | None:
        if self.mask is not None:
            np.greater(self.y, 0, out=self.mask)
            np.multiply(dy, self.mask, out=dy)
        dy2 = dy.reshape(-1, dy.shape[-1])
        np.matmul(dy2.T, self.col2, out=self.gWt)
        self.gW.transpose(0, 2, 3, 1)[...] = self.gWt.reshape(self.Wt.shape)
        np.sum(dy2, axis=0, out=self.gb)
        if self.dxp is None:
            return None
        np.copyto(self.Wk, self.W.transpose(2, 3, 0, 1))
        dcol2 = self.dcol.reshape(-1, self.dcol.shape[-1])
        self.dxp.fill(0)
        ho, wo = self.y.shape[1:3]
        for i in range(self.k):
            for j in range(self.k):
                np.matmul(dy2, self.Wk[i, j], out=dcol2)
                self.dxp[:, i : i + ho, j : j + wo, :] += self.dcol
        p = self.p
        return self.dxp[:, p : p + self.h, p : p + self.w, :]


class MaxPool2d:
    """2x2 max pooling with stride 2 on NHWC, through a (N, H/2, 2, W/2, 2, C) reshape.

    The window maximum is two pairwise ``np.maximum`` calls (row pairs, then column pairs):
    4x faster than ``np.max(axis=(2, 4))``, which reduces over two strided axes.

    The gradient goes to every element equal to its window's maximum. PyTorch sends it to the
    first one only; they differ only on ties, and after a ReLU the ties are exact zeros whose
    gradient the ReLU mask removes next.

    Shape: input (N, H, W, C) -> output (N, H // 2, W // 2, C).
    """

    def __init__(self, batch: int, height: int, width: int, channels: int, dtype=np.float32):
        self.shape6 = (batch, height // 2, 2, width // 2, 2, channels)
        self.y = np.empty((batch, height // 2, width // 2, channels), dtype)
        self.rows = np.empty((batch, height // 2, width // 2, 2, channels), dtype)
        self.mask = np.empty(self.shape6, bool)
        self.dx = np.empty((batch, height, width, channels), dtype)

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x6 = x.reshape(self.shape6)
        np.maximum(self.x6[:, :, 0], self.x6[:, :, 1], out=self.rows)
        np.maximum(self.rows[:, :, :, 0], self.rows[:, :, :, 1], out=self.y)
        return self.y

    def backward(self, dy: np.ndarray) -> np.ndarray:
        np.equal(self.x6, self.y[:, :, None, :, None, :], out=self.mask)
        np.multiply(self.mask, dy[:, :, None, :, None, :], out=self.dx.reshape(self.shape6))
        return self.dx


class CrossEntropy:
    """Mean softmax cross-entropy over integer targets; the gradient is (softmax - onehot) / N.

    Shape: logits (N, C), targets (N,) -> scalar.
    """

    def __init__(self, batch: int, classes: int, dtype=np.float32):
        self.p = np.empty((batch, classes), dtype)
        self.dz = np.empty((batch, classes), dtype)
        self.rows = np.arange(batch)

    def forward(self, z: np.ndarray, target: np.ndarray) -> float:
        self.target = target
        np.subtract(z, z.max(axis=1, keepdims=True), out=self.p)
        picked = self.p[self.rows, target]
        np.exp(self.p, out=self.p)
        total = self.p.sum(axis=1, keepdims=True)
        self.p /= total
        return float(np.mean(np.log(total[:, 0]) - picked))

    def backward(self) -> np.ndarray:
        scale = 1.0 / len(self.p)
        np.multiply(self.p, scale, out=self.dz)
        self.dz[self.rows, self.target] -= scale
        return self.dz
