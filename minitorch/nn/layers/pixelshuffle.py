"""``PixelShuffle`` and ``PixelUnshuffle``: channel blocks to space and back (sub-pixel
convolution); the kernels are in ``nn/functions/pixel_shuffle.py``."""

from __future__ import annotations

from minitorch.backend import Array
from minitorch.nn.functions.pixel_shuffle import shuffle, unshuffle
from minitorch.nn.layer import Layer


class PixelShuffle(Layer):
    """Rearranges (*, C r^2, H, W) into (*, C, H r, W r), ``r = upscale_factor``.

    Shape: (*, C r^2, H, W) -> (*, C, H r, W r).
    """

    def __init__(self, upscale_factor: int) -> None:
        super().__init__()
        self.upscale_factor = upscale_factor

    def forward(self, x: Array) -> Array:
        return shuffle("PixelShuffle", x, self.upscale_factor)

    def backward(self, dy: Array) -> Array:
        return unshuffle("PixelShuffle", dy, self.upscale_factor)

    def extra_repr(self) -> str:
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Layer):
    """Rearranges (*, C, H r, W r) into (*, C r^2, H, W), ``r = downscale_factor``.

    Shape: (*, C, H r, W r) -> (*, C r^2, H, W).
    """

    def __init__(self, downscale_factor: int) -> None:
        super().__init__()
        self.downscale_factor = downscale_factor

    def forward(self, x: Array) -> Array:
        return unshuffle("PixelUnshuffle", x, self.downscale_factor)

    def backward(self, dy: Array) -> Array:
        return shuffle("PixelUnshuffle", dy, self.downscale_factor)

    def extra_repr(self) -> str:
        return f"downscale_factor={self.downscale_factor}"
