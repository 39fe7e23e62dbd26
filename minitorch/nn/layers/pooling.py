"""Pooling layers: ``MaxPool1d/2d``, ``AvgPool1d/2d``, ``AdaptiveAvgPool1d/2d`` and
``AdaptiveMaxPool1d/2d``.

They own no parameters: each checks its arguments, keeps PyTorch's public attributes and calls
the kernels in ``nn/functions/pool.py`` (``F.max_pool2d`` and the other functional forms build
these layers).
"""

from __future__ import annotations

from typing import Any

from minitorch.autograd import Tensor, is_grad_enabled
from minitorch.backend import Array
from minitorch.nn.functions.adaptive_pool import (
    adaptive_avg_pool_backward,
    adaptive_avg_pool_forward,
    adaptive_max_pool_backward,
    adaptive_max_pool_forward,
)
from minitorch.nn.functions.pool import (
    PoolWindow,
    avg_pool_backward,
    avg_pool_forward,
    max_pool_backward,
    max_pool_forward,
)
from minitorch.nn.layer import Layer
from minitorch.nn.layers.activation import ReLU


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

    def runs_first(self, before: Any, x: Any) -> bool:
        """Whether ``Sequential`` may call this pool before ``before``, the ReLU ahead of it,
        on input ``x``: ``relu(max_pool(x))`` is ``max_pool(relu(x))`` in values and in every
        gradient (max commutes with a non-decreasing function; where a window's maximum is
        positive both orders send its gradient to that element, elsewhere both send 0), and
        the ReLU then runs on a quarter of the data (LeNet's training step 22.1 -> 19.0 ms).

        Only where nothing can tell the orders apart: an exact ``nn.ReLU`` and this pool
        without hooks or ``return_indices``, a floating-point input, and an in-place ReLU only
        while gradients are recorded (it then works out of place anyway) on a non-leaf.
        """
        if type(before) is not ReLU or self.return_indices:
            return False
        if self._hooks is not None or before._hooks is not None:
            return False
        if not isinstance(x, Tensor) or not x.is_floating_point():
            return False  # the layers refuse other dtypes differently: each names itself
        if before.inplace:
            return x.requires_grad and is_grad_enabled() and not x.is_leaf
        return True

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

    input_dtypes = "floating"

    _dims = 1


class MaxPool2d(_MaxPoolNd):
    """``y[n, c, h, w] = max_{i, j} x[n, c, s*h + d*i - p, s*w + d*j - p]`` (padding is -inf).

    Shape: (N, C, H, W) or (C, H, W) -> (N, C, H_out, W_out),
    ``H_out = (H + 2p - d (k - 1) - 1) // s + 1`` (rounded up with ``ceil_mode``).
    """

    input_dtypes = "numeric"


class _AvgPoolNd(_PoolNd):
    input_dtypes = "floating"

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


class _AdaptivePoolNd(Layer):
    """Checks ``output_size`` (an int, or a ``dims``-tuple of ints or None) and runs the
    (N, C, H, W) kernels on the input lifted to 4-d."""

    input_dtypes = "floating"

    _dims = 2

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        name, d = type(self).__name__, self._dims
        many = isinstance(output_size, (tuple, list))
        items = tuple(output_size) if many else (output_size,) * d
        keep = d > 1  # None keeps an input size (2-d only, as PyTorch)
        if len(items) != d or not all(
            (v is None and keep) or (isinstance(v, int) and not isinstance(v, bool) and v > 0)
            for v in items
        ):
            raise ValueError(
                f"{name}: output_size must be a positive int or a tuple of {d} positive ints"
                f"{' (or None)' if keep else ''}, got {output_size!r}"
            )
        self.output_size = items if many else output_size
        self._size = (1, *items) if d == 1 else items

    def _lift(self, x: Array) -> tuple[Array, bool]:
        d = self._dims
        if x.ndim not in (d + 1, d + 2):
            axes = "(N, C, L) or (C, L)" if d == 1 else "(N, C, H, W) or (C, H, W)"
            raise ValueError(
                f"{type(self).__name__} expects input {axes}, got shape {tuple(x.shape)}"
            )
        batched = x.ndim == d + 2
        x4 = x if batched else x[None]
        return (x4[:, :, None] if d == 1 else x4), batched

    def _lower(self, y4: Array, batched: bool) -> Array:
        y = y4[:, :, 0] if self._dims == 1 else y4
        return y if batched else y[0]

    def _lift_grad(self, dy: Array, batched: bool) -> Array:
        dy4 = dy if batched else dy[None]
        return dy4[:, :, None] if self._dims == 1 else dy4

    def extra_repr(self) -> str:
        return f"output_size={self.output_size!r}"


class _AdaptiveAvgPoolNd(_AdaptivePoolNd):
    def forward(self, x: Array) -> Array:
        x4, batched = self._lift(x)
        y, saved = adaptive_avg_pool_forward(x4, self._size)
        self.save_for_backward(batched, *saved)
        return self._lower(y, batched)

    def backward(self, dy: Array) -> Array:
        batched, *saved = self.saved
        dx = adaptive_avg_pool_backward(self._lift_grad(dy, batched), tuple(saved))
        return self._lower(dx, batched)


class AdaptiveAvgPool1d(_AdaptiveAvgPoolNd):
    """Average over PyTorch's adaptive windows ``[floor(i L / out), ceil((i + 1) L / out))``.

    Shape: (N, C, L) or (C, L) -> (N, C, out); ``None`` keeps the input size.
    """

    _dims = 1


class AdaptiveAvgPool2d(_AdaptiveAvgPoolNd):
    """Average over PyTorch's adaptive windows ``[floor(i H / out), ceil((i + 1) H / out))``.

    When ``out`` divides the input the windows tile it (a reshape and a mean); otherwise the
    average is ``A_h @ x @ A_w.T`` with averaging matrices ``A`` (out, in).

    Shape: (N, C, H, W) or (C, H, W) -> (N, C, out_h, out_w); ``None`` keeps that input size.
    """


class _AdaptiveMaxPoolNd(_AdaptivePoolNd):
    def __init__(self, output_size: Any, return_indices: bool = False) -> None:
        super().__init__(output_size)
        self.return_indices = return_indices

    def forward(self, x: Array) -> Array | tuple:
        x4, batched = self._lift(x)
        y, indices, saved = adaptive_max_pool_forward(x4, self._size)
        self.save_for_backward(batched, *saved)
        y = self._lower(y, batched)
        return (y, self._lower(indices, batched)) if self.return_indices else y

    def backward(self, dy: Array, *unused: Array) -> Array:
        batched, *saved = self.saved
        dx = adaptive_max_pool_backward(self._lift_grad(dy, batched), tuple(saved))
        return self._lower(dx, batched)


class AdaptiveMaxPool1d(_AdaptiveMaxPoolNd):
    """Maximum over PyTorch's adaptive windows; ``return_indices`` also gives each maximum's
    position along L.

    Shape: (N, C, L) or (C, L) -> (N, C, out).
    """

    _dims = 1


class AdaptiveMaxPool2d(_AdaptiveMaxPoolNd):
    """Maximum over PyTorch's adaptive windows ``[floor(i H / out), ceil((i + 1) H / out))``;
    ``return_indices`` also gives each maximum's flat position ``h * W + w`` in its plane.

    Shape: (N, C, H, W) or (C, H, W) -> (N, C, out_h, out_w); ``None`` keeps that input size.
    """
