"""Pooling layers: ``MaxPool1d/2d``, ``AvgPool1d/2d`` and ``AdaptiveAvgPool2d``.

They own no parameters: each checks its arguments, keeps PyTorch's public attributes and calls
the kernels in ``nn/functions/pool.py`` (``F.max_pool2d`` and the other functional forms build
these layers).
"""

from __future__ import annotations

from typing import Any

from minitorch.backend import Array
from minitorch.nn.functions.pool import (
    PoolWindow,
    adaptive_avg_pool_backward,
    adaptive_avg_pool_forward,
    avg_pool_backward,
    avg_pool_forward,
    max_pool_backward,
    max_pool_forward,
)
from minitorch.nn.layer import Layer


class _PoolNd(Layer):
    """The window arguments max and average pooling share (PyTorch's output-size rule)."""

    _dims = 2

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        dilation: Any = 1,
        ceil_mode: bool = False,
    ) -> None:
        super().__init__()
        self._window = PoolWindow(
            type(self).__name__, self._dims, kernel_size, stride, padding, dilation, ceil_mode
        )
        # public attributes keep what was passed, as PyTorch; the window's tuples drive the math
        empty = stride is None or (isinstance(stride, (tuple, list)) and len(stride) == 0)
        self.kernel_size, self.stride = kernel_size, kernel_size if empty else stride
        self.padding, self.dilation, self.ceil_mode = padding, dilation, ceil_mode

    def extra_repr(self) -> str:
        s = f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"
        return s + f", ceil_mode={self.ceil_mode}"


class _MaxPoolNd(_PoolNd):
    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        dilation: Any = 1,
        return_indices: bool = False,
        ceil_mode: bool = False,
    ) -> None:
        super().__init__(kernel_size, stride, padding, dilation, ceil_mode)
        self.return_indices = return_indices

    def forward(self, x: Array) -> Array | tuple:
        y, indices, saved = max_pool_forward(self._window, x, self.caching, self.return_indices)
        self.save_for_backward(*saved)
        return (y, indices) if self.return_indices else y

    def backward(self, dy: Array, *unused: Array) -> Array:
        return max_pool_backward(self._window, dy, self.saved)

    def extra_repr(self) -> str:
        return (
            super().extra_repr().replace(", ceil_mode", f", dilation={self.dilation}, ceil_mode")
        )


class MaxPool1d(_MaxPoolNd):
    """``y[n, c, l] = max_k x[n, c, s*l + d*k - p]`` (padding counts as -inf).

    Shape: (N, C, L) or (C, L) -> (N, C, L_out), ``L_out = (L + 2p - d (k - 1) - 1) // s + 1``.
    """

    _dims = 1


class MaxPool2d(_MaxPoolNd):
    """``y[n, c, h, w] = max_{i, j} x[n, c, s*h + d*i - p, s*w + d*j - p]`` (padding is -inf).

    Shape: (N, C, H, W) or (C, H, W) -> (N, C, H_out, W_out),
    ``H_out = (H + 2p - d (k - 1) - 1) // s + 1`` (rounded up with ``ceil_mode``).
    """


class _AvgPoolNd(_PoolNd):
    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
        divisor_override: int | None = None,
    ) -> None:
        super().__init__(kernel_size, stride, padding, 1, ceil_mode)
        if divisor_override is not None and divisor_override <= 0:
            raise ValueError(
                f"{type(self).__name__}: divisor_override must be positive, got {divisor_override}"
            )
        self.count_include_pad, self.divisor_override = count_include_pad, divisor_override

    def forward(self, x: Array) -> Array:
        y, saved = avg_pool_forward(self._window, x, self.count_include_pad, self.divisor_override)
        self.save_for_backward(*saved)
        return y

    def backward(self, dy: Array) -> Array:
        return avg_pool_backward(self._window, dy, self.saved)

    def extra_repr(self) -> str:  # PyTorch shows only these three
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool1d(_AvgPoolNd):
    """``y[n, c, l] = mean_k x[n, c, s*l + k - p]`` (zero padding counted unless
    ``count_include_pad=False``).

    Shape: (N, C, L) or (C, L) -> (N, C, L_out), ``L_out = (L + 2p - k) // s + 1``.
    """

    _dims = 1

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
    ) -> None:
        super().__init__(kernel_size, stride, padding, ceil_mode, count_include_pad)
        # PyTorch keeps AvgPool1d's window arguments as 1-tuples
        self.kernel_size, self.stride = _single(self.kernel_size), _single(self.stride)
        self.padding = _single(self.padding)


class AvgPool2d(_AvgPoolNd):
    """``y[n, c, h, w] = mean_{i, j} x[n, c, s*h + i - p, s*w + j - p]``.

    Shape: (N, C, H, W) or (C, H, W) -> (N, C, H_out, W_out), ``H_out = (H + 2p - k) // s + 1``.
    """


def _single(value: Any) -> tuple:
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


class AdaptiveAvgPool2d(Layer):
    """Average over PyTorch's adaptive windows ``[floor(i H / out), ceil((i + 1) H / out))``.

    When ``out`` divides the input the windows tile it (a reshape and a mean); otherwise the
    average is ``A_h @ x @ A_w.T`` with averaging matrices ``A`` (out, in).

    Shape: (N, C, H, W) or (C, H, W) -> (N, C, out_h, out_w); ``None`` keeps that input size.
    """

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        items = (
            (output_size, output_size)
            if not isinstance(output_size, (tuple, list))
            else tuple(output_size)
        )
        if len(items) != 2 or not all(v is None or (isinstance(v, int) and v > 0) for v in items):
            raise ValueError(
                "AdaptiveAvgPool2d: output_size must be a positive int or a pair of positive ints "
                f"(or None), got {output_size!r}"
            )
        self.output_size = items if isinstance(output_size, (tuple, list)) else output_size
        self._size = items

    def forward(self, x: Array) -> Array:
        if x.ndim not in (3, 4):
            raise ValueError(
                "AdaptiveAvgPool2d expects input (N, C, H, W) or (C, H, W), got shape "
                f"{tuple(x.shape)}"
            )
        y, saved = adaptive_avg_pool_forward(x, self._size)
        self.save_for_backward(*saved)
        return y

    def backward(self, dy: Array) -> Array:
        return adaptive_avg_pool_backward(dy, self.saved)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size!r}"
