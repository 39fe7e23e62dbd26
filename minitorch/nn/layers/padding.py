"""Padding layers: ``ZeroPad``, ``ConstantPad``, ``ReflectionPad``, ``ReplicationPad`` and
``CircularPad`` in 1, 2 and 3 dims (the last 1, 2 or 3 dims of the input). The kernels are in
``nn/functions/padding.py`` (shared with ``F.pad``).

``padding`` is an int (the same amount on every side) or PyTorch's tuple ``(left, right)``,
``(left, right, top, bottom)``, ``(left, right, top, bottom, front, back)``; negative amounts
crop.
"""

from __future__ import annotations

from typing import Any

from minitorch.backend import Array
from minitorch.nn.functions.padding import check_pad, pad_backward, pad_forward
from minitorch.nn.layer import Layer


class _PadNd(Layer):
    _dims = 1
    _mode = "constant"

    def __init__(self, padding: Any) -> None:
        super().__init__()
        name, n = type(self).__name__, 2 * self._dims
        items = (padding,) * n if isinstance(padding, int) else padding
        if not isinstance(items, (tuple, list)) or not all(
            isinstance(p, int) and not isinstance(p, bool) for p in items
        ):
            raise TypeError(
                f"{name}: padding must be an int or a tuple of {n} ints, got {padding!r}"
            )
        self.padding = tuple(items)

    def _value(self) -> float | None:
        return None

    def forward(self, x: Array) -> Array:
        name, d = type(self).__name__, self._dims
        if self._mode != "constant" and x.ndim not in (d + 1, d + 2):
            raise ValueError(
                f"{name}: expected {d + 1}D or {d + 2}D input, got {x.ndim}D input of shape "
                f"{tuple(x.shape)}"
            )
        axes = check_pad(name, tuple(x.shape), self.padding, self._mode, self._value())
        y, saved = pad_forward(x, axes, self._mode, self._value())
        self.save_for_backward(*saved)
        return y

    def backward(self, dy: Array) -> Array:
        return pad_backward(dy, self.saved)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    def __init__(self, padding: Any, value: float) -> None:
        super().__init__(padding)
        self.value = value

    def _value(self) -> float | None:
        return self.value

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pads the last dim with ``value``.

    Shape: (*, W) -> (*, W + left + right).
    """


class ConstantPad2d(_ConstantPadNd):
    """Pads the last 2 dims with ``value``.

    Shape: (*, H, W) -> (*, H + top + bottom, W + left + right).
    """

    _dims = 2


class ConstantPad3d(_ConstantPadNd):
    """Pads the last 3 dims with ``value``.

    Shape: (*, D, H, W) -> (*, D + front + back, H + top + bottom, W + left + right).
    """

    _dims = 3


class _ZeroPadNd(_ConstantPadNd):
    def __init__(self, padding: Any) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad1d(_ZeroPadNd):
    """Pads the last dim with zeros.

    Shape: (*, W) -> (*, W + left + right).
    """


class ZeroPad2d(_ZeroPadNd):
    """Pads the last 2 dims with zeros.

    Shape: (*, H, W) -> (*, H + top + bottom, W + left + right).
    """

    _dims = 2


class ZeroPad3d(_ZeroPadNd):
    """Pads the last 3 dims with zeros.

    Shape: (*, D, H, W) -> (*, D + front + back, H + top + bottom, W + left + right).
    """

    _dims = 3


class ReflectionPad1d(_PadNd):
    """Mirrors the last dim at its edges (the edge itself not repeated); each pad < W.

    Shape: (N, C, W) or (C, W) -> (N, C, W + left + right).
    """

    input_dtypes = "numeric"

    _mode = "reflect"


class ReflectionPad2d(ReflectionPad1d):
    """Mirrors the last 2 dims at their edges.

    Shape: (N, C, H, W) or (C, H, W) -> (N, C, H + top + bottom, W + left + right).
    """

    _dims = 2


class ReflectionPad3d(ReflectionPad1d):
    """Mirrors the last 3 dims at their edges.

    Shape: (N, C, D, H, W) or (C, D, H, W) -> (N, C, D + front + back, H + ..., W + ...).
    """

    _dims = 3


class ReplicationPad1d(_PadNd):
    """Repeats the edge values of the last dim.

    Shape: (N, C, W) or (C, W) -> (N, C, W + left + right).
    """

    input_dtypes = "numeric"

    _mode = "replicate"


class ReplicationPad2d(ReplicationPad1d):
    """Repeats the edge values of the last 2 dims.

    Shape: (N, C, H, W) or (C, H, W) -> (N, C, H + top + bottom, W + left + right).
    """

    _dims = 2


class ReplicationPad3d(ReplicationPad1d):
    """Repeats the edge values of the last 3 dims.

    Shape: (N, C, D, H, W) or (C, D, H, W) -> (N, C, D + front + back, H + ..., W + ...).
    """

    _dims = 3


class CircularPad1d(_PadNd):
    """Wraps the last dim around (periodic padding); each pad <= W.

    Shape: (N, C, W) or (C, W) -> (N, C, W + left + right).
    """

    _mode = "circular"


class CircularPad2d(CircularPad1d):
    """Wraps the last 2 dims around.

    Shape: (N, C, H, W) or (C, H, W) -> (N, C, H + top + bottom, W + left + right).
    """

    _dims = 2


class CircularPad3d(CircularPad1d):
    """Wraps the last 3 dims around.

    Shape: (N, C, D, H, W) or (C, D, H, W) -> (N, C, D + front + back, H + ..., W + ...).
    """

    _dims = 3
