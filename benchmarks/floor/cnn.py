"""The benchmark LeNet (two conv-ReLU-pool stages, two Linear layers) in plain NumPy."""

import numpy as np

from benchmarks.floor.layers import Conv2d, CrossEntropy, Linear, MaxPool2d
from benchmarks.floor.params import FlatParams


class LeNet:
    """Conv(k, pad k//2)-ReLU-MaxPool(2) twice, Flatten, Linear-ReLU, Linear, cross-entropy.

    Activations are NHWC inside; the input is NCHW and the flatten uses PyTorch's (C, H, W)
    order, so parameter names and layouts match ``torch.nn.Sequential(Conv2d, ReLU, MaxPool2d,
    Conv2d, ReLU, MaxPool2d, Flatten, Linear, ReLU, Linear)``: ``0.*``, ``3.*``, ``7.*``, ``9.*``.

    Shape: x (batch, channels[0], image, image), target (batch,) -> scalar loss.
    """

    def __init__(
        self,
        batch: int,
        image: int = 28,
        channels=(1, 16, 32),
        hidden: int = 128,
        classes: int = 10,
        kernel_size: int = 5,
        dtype=np.float32,
        seed: int = 0,
    ):
        if image % 4:
            raise ValueError(f"LeNet needs an image size divisible by 4, got {image}")
        c0, c1, c2 = channels
        k, pad, s1, s2 = kernel_size, kernel_size // 2, image // 2, image // 4
        flat = c2 * s2 * s2
        self.params = FlatParams(
            {
                "0.weight": (c1, c0, k, k),
                "0.bias": (c1,),
                "3.weight": (c2, c1, k, k),
                "3.bias": (c2,),
                "7.weight": (hidden, flat),
                "7.bias": (hidden,),
                "9.weight": (classes, hidden),
                "9.bias": (classes,),
            },
            dtype,
        )
        self.params.reset_parameters(np.random.default_rng(seed))
        P = self.params
        self.conv1 = Conv2d(P, "0", batch, image, image, c0, c1, k, pad, relu=True, need_dx=False)
        self.pool1 = MaxPool2d(batch, image, image, c1, dtype)
        self.conv2 = Conv2d(P, "3", batch, s1, s1, c1, c2, k, pad, relu=True)
        self.pool2 = MaxPool2d(batch, s1, s1, c2, dtype)
        self.flat = np.empty((batch, flat), dtype)
        self.nchw = (batch, c2, s2, s2)
        self.fc1 = Linear(P, "7", batch, flat, hidden, relu=True)
        self.fc2 = Linear(P, "9", batch, hidden, classes, relu=False)
        self.criterion = CrossEntropy(batch, classes, dtype)

    def forward(self, x: np.ndarray, target: np.ndarray) -> float:
        h = self.conv1.forward(x.transpose(0, 2, 3, 1))
        h = self.conv2.forward(self.pool1.forward(h))
        h = self.pool2.forward(h)
        np.copyto(self.flat.reshape(self.nchw), h.transpose(0, 3, 1, 2))  # PyTorch's flatten
        self.logits = self.fc2.forward(self.fc1.forward(self.flat))
        return self.criterion.forward(self.logits, target)

    def backward(self) -> None:
        dy = self.fc1.backward(self.fc2.backward(self.criterion.backward()))
        dy = self.pool2.backward(dy.reshape(self.nchw).transpose(0, 2, 3, 1))
        dy = self.pool1.backward(self.conv2.backward(dy))
        self.conv1.backward(dy)
