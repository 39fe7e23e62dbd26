"""``Upsample`` (and PyTorch's older ``UpsamplingNearest2d``/``UpsamplingBilinear2d``): resizing
as a layer; the kernels are in ``nn/functions/interpolate.py`` (shared with
``F.interpolate``). Arguments are checked when the input arrives, as PyTorch does.
"""

from __future__ import annotations

from typing import Any

from minitorch.nn.functions.interpolate import InterpolateFunction
from minitorch.nn.layer import Layer


class Upsample(Layer, InterpolateFunction):
    """Resizes the spatial dims to ``size`` or by ``scale_factor`` with ``mode`` ('nearest',
    'nearest-exact', 'linear', 'bilinear', 'trilinear' or 'area').

    Shape: (N, C, *S) -> (N, C, *size) or (N, C, *floor(S * scale_factor)).
    """

    input_dtypes = "floating"

    def __init__(self, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
                 align_corners: bool | None = None,
                 recompute_scale_factor: bool | None = None) -> None:  # fmt: skip
        if isinstance(scale_factor, (tuple, list)):
            scale_factor = tuple(float(f) for f in scale_factor)
        else:
            scale_factor = float(scale_factor) if scale_factor else None
        super().__init__(size, scale_factor, mode, align_corners, recompute_scale_factor)
        self.name = type(self).__name__

    def _name(self) -> str:
        return type(self).__name__

    def extra_repr(self) -> str:
        if self.scale_factor is not None:
            info = f"scale_factor={self.scale_factor!r}"
        else:
            info = f"size={self.size!r}"
        return f"{info}, mode={self.mode!r}"


class UpsamplingNearest2d(Upsample):
    """``Upsample(size, scale_factor, mode='nearest')`` (PyTorch's older spelling).

    Shape: (N, C, H, W) -> (N, C, H_out, W_out).
    """

    def __init__(self, size: Any = None, scale_factor: Any = None) -> None:
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """``Upsample(size, scale_factor, mode='bilinear', align_corners=True)``.

    Shape: (N, C, H, W) -> (N, C, H_out, W_out).
    """

    def __init__(self, size: Any = None, scale_factor: Any = None) -> None:
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)
