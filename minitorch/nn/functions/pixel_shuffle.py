"""Pixel shuffle: moving ``r x r`` blocks between the channel dim and the spatial dims, the
kernels and the Function behind ``F.pixel_shuffle``/``F.pixel_unshuffle`` (``nn.PixelShuffle``
and ``nn.PixelUnshuffle`` call the same kernels).

Each direction is a reshape, one transpose and a reshape (one copy), and each is the other's
gradient.
"""

from __future__ import annotations

from minitorch.autograd import Function, Tensor
from minitorch.backend import Array


def _check(name: str, x: Array, r: int) -> None:
    if not isinstance(r, int) or isinstance(r, bool) or r <= 0:
        raise ValueError(f"{name}: the factor must be a positive int, got {r!r}")
    if x.ndim < 3:
        raise ValueError(
            f"{name} expects input of at least 3 dims (*, C, H, W), got shape {tuple(x.shape)}"
        )


def shuffle(name: str, x: Array, r: int) -> Array:
    """(*, C r^2, H, W) -> (*, C, H r, W r): ``y[..., c, h r + i, w r + j] = x[..., c r^2 +
    i r + j, h, w]``."""
    _check(name, x, r)
    *lead, c, h, w = x.shape
    if c % (r * r):
        raise ValueError(
            f"{name}: the channel dim {c} of the input of shape {tuple(x.shape)} must be "
            f"divisible by upscale_factor^2 = {r * r}"
        )
    k = len(lead)
    y = x.reshape(*lead, c // (r * r), r, r, h, w)
    y = y.transpose(*range(k), k, k + 3, k + 1, k + 4, k + 2)
    return y.reshape(*lead, c // (r * r), h * r, w * r)


def unshuffle(name: str, x: Array, r: int) -> Array:
    """(*, C, H r, W r) -> (*, C r^2, H, W), the inverse of ``shuffle``."""
    _check(name, x, r)
    *lead, c, h, w = x.shape
    if h % r or w % r:
        raise ValueError(
            f"{name}: the spatial dims ({h}, {w}) of the input of shape {tuple(x.shape)} must "
            f"be divisible by downscale_factor {r}"
        )
    k = len(lead)
    y = x.reshape(*lead, c, h // r, r, w // r, r)
    y = y.transpose(*range(k), k, k + 2, k + 4, k + 1, k + 3)
    return y.reshape(*lead, c * r * r, h // r, w // r)


class PixelShuffleFunction(Function):
    """``F.pixel_shuffle`` (``inverse=False``) or ``F.pixel_unshuffle`` as a Function."""

    def __init__(self, factor: int, inverse: bool = False) -> None:
        self.factor, self.inverse = factor, inverse

    def forward(self, x: Array) -> Array:
        if self.inverse:
            return unshuffle("pixel_unshuffle", x, self.factor)
        return shuffle("pixel_shuffle", x, self.factor)

    def backward(self, dy: Array) -> Array:
        if self.inverse:
            return shuffle("pixel_unshuffle", dy, self.factor)
        return unshuffle("pixel_shuffle", dy, self.factor)


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:  # noqa: A002
    """(*, C r^2, H, W) -> (*, C, H r, W r), ``r = upscale_factor``."""
    return PixelShuffleFunction(upscale_factor)(input)


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:  # noqa: A002
    """(*, C, H r, W r) -> (*, C r^2, H, W), ``r = downscale_factor``."""
    return PixelShuffleFunction(downscale_factor, inverse=True)(input)
