"""``Dropout`` and ``Dropout2d``: inverted dropout (kept values scaled by 1/(1-p)), identity in
eval.

Masks come from the backend's generator (``dropout_mask`` in ``nn/functions/dropout.py``), so
``mt.manual_seed`` makes them reproducible.
"""

from __future__ import annotations

from minitorch.backend import Array
from minitorch.nn.functions.dropout import dropout_mask
from minitorch.nn.layer import Layer


class _DropoutNd(Layer):
    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if not isinstance(p, (int, float)) or not 0 <= p <= 1:
            raise ValueError(
                f"{type(self).__name__}: p must be a probability in [0, 1], got {p!r}"
            )
        self.p, self.inplace = float(p), inplace

    def _mask_shape(self, x: Array) -> tuple:
        return x.shape

    def forward(self, x: Array) -> Array:
        mask_shape = self._mask_shape(x)  # checks the input shape in eval too
        if not self.training or self.p == 0:
            self.save_for_backward(None)
            return x
        if x.dtype.kind in "biu":  # PyTorch: "result type Float can't be cast to ... Long"
            raise TypeError(
                f"{type(self).__name__}(p={self.p}): expected a floating-point input in "
                f"training mode, got dtype {x.dtype.name}; convert it with x.float()"
            )
        mask = dropout_mask(x, self.p, mask_shape)
        self.save_for_backward(mask)
        if self.inplace and not self.caching:  # why not always: functions/activation.write_back
            x *= mask
            return x
        return x * mask

    def _writes_input(self) -> bool:
        """Whether a call writes into its input: only ``inplace=True`` while training."""
        return self.inplace and self.training and self.p > 0

    def backward(self, dy: Array) -> Array:
        (mask,) = self.saved
        return dy if mask is None else dy * mask

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    """Zeroes each element with probability ``p`` in training and scales the rest by 1/(1-p).

    Shape: any -> same.
    """


class Dropout2d(_DropoutNd):
    """Zeroes whole channels (each (n, c) feature map) with probability ``p`` in training.

    Shape: (N, C, H, W) -> same; a 3D input is taken as (N, C, L), as PyTorch currently does.
    """

    def _mask_shape(self, x: Array) -> tuple:
        if x.ndim not in (3, 4):
            raise ValueError(
                f"Dropout2d: expected a 3D (N, C, L) or 4D (N, C, H, W) input, got shape "
                f"{tuple(x.shape)}; use Dropout for element-wise dropout"
            )
        return x.shape[:2] + (1,) * (x.ndim - 2)
