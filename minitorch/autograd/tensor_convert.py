"""Tensor methods that convert (``item``, ``numpy``, ``to``, ``float()`` ...) or make new tensors
from an existing one (``new_zeros`` ..., with its dtype and device by default)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import minitorch.autograd as autograd
from minitorch.backend import as_device, device, dtypes, get_backend

if TYPE_CHECKING:
    from minitorch.autograd.tensor import Tensor


class ConvertMethods:
    """Mixin of ``Tensor``: conversions and ``new_*`` constructors."""

    __slots__ = ()

    # --- to Python and NumPy ------------------------------------------------------------------
    def item(self) -> Any:
        """The value of a one-element tensor as a Python number."""
        if self.array.size != 1:
            raise RuntimeError(
                f"a Tensor with {self.array.size} elements cannot be converted to Scalar"
            )
        return self.array.item()

    def tolist(self) -> Any:
        """The values as (nested) Python lists of numbers; a number for a 0-d tensor."""
        return get_backend(self.array).to_host(self.array).tolist()

    def numpy(self, *, force: bool = False) -> Any:
        """A NumPy array sharing memory on the CPU. ``force=True`` detaches first (and copies);
        a GPU tensor gives a host copy (PyTorch asks for ``.cpu()`` first)."""
        if self.requires_grad and not force:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                "instead."
            )
        host = get_backend(self.array).to_host(self.array)
        return host.copy() if force and host is self.array else host

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        host = get_backend(self.array).to_host(self.array)
        return host if dtype is None else host.astype(dtype, copy=False)

    def _scalar(self) -> Any:
        if self.array.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self.array.item()

    def __float__(self) -> float:
        return float(self._scalar())

    def __int__(self) -> int:
        return int(self._scalar())

    def __complex__(self) -> complex:
        return complex(self._scalar())

    def __bool__(self) -> bool:
        n = self.array.size
        if n != 1:
            which = "no values" if n == 0 else "more than one value"
            raise RuntimeError(f"Boolean value of Tensor with {which} is ambiguous")
        return bool(self.array.item())

    def __index__(self) -> int:
        if self.array.size != 1 or self.array.dtype.kind not in "iub":
            raise TypeError(
                "only integer tensors of a single element can be converted to an index"
            )
        return int(self.array.item())

    # --- device and dtype ---------------------------------------------------------------------
    def to(self, *args: Any, dtype: Any = None, device: Any = None, non_blocking: bool = False,
           copy: bool = False) -> Tensor:  # fmt: skip
        """``t.to("cuda")``, ``t.to(mt.float64)``, ``t.to("cuda", mt.float16)``,
        ``t.to(other_tensor)``; differentiable. Returns ``self`` when nothing changes (unless
        ``copy=True``). ``non_blocking`` is accepted and has no effect (copies are synchronous).
        """
        flags = []
        for arg in args:
            if isinstance(arg, autograd.Tensor):
                device, dtype = arg.device, arg.dtype
            elif isinstance(arg, bool):
                flags.append(arg)  # to(dtype, non_blocking, copy), as PyTorch's positional form
            elif _is_device(arg):
                device = arg
            else:
                dtype = arg
        if len(flags) > 1:
            copy = flags[1]
        if device is not None:
            device = as_device(f"cuda:{device}" if type(device) is int else device)
            same_device = device == get_backend(self.array).device
        else:
            same_device = True
        dtype = dtypes.as_dtype(dtype)
        if same_device and (dtype is None or dtype == self.array.dtype) and not copy:
            return self
        return autograd.ops.to_device_dtype(self, None if same_device else device, dtype, copy)

    def cpu(self) -> Tensor:
        """This tensor on the CPU (``self`` when already there)."""
        return self.to("cpu")

    def cuda(self, device: Any = None, non_blocking: bool = False) -> Tensor:
        """This tensor on a GPU (``cuda:0`` unless ``device`` says; ``non_blocking`` has no
        effect)."""
        if device is None:
            device = "cuda"
        return self.to(f"cuda:{device}" if type(device) is int else device)

    def float(self) -> Tensor:  # noqa: A003
        """In float32."""
        return self.to(dtypes.float32)

    def double(self) -> Tensor:
        """In float64."""
        return self.to(dtypes.float64)

    def half(self) -> Tensor:
        """In float16."""
        return self.to(dtypes.float16)

    def bfloat16(self) -> Tensor:
        """In bfloat16 (needs the ``ml_dtypes`` package, on NumPy only)."""
        return self.to(dtypes.bfloat16)

    def long(self) -> Tensor:
        """In int64."""
        return self.to(dtypes.int64)

    def int(self) -> Tensor:  # noqa: A003
        """In int32."""
        return self.to(dtypes.int32)

    def short(self) -> Tensor:
        """In int16."""
        return self.to(dtypes.int16)

    def char(self) -> Tensor:
        """In int8."""
        return self.to(dtypes.int8)

    def byte(self) -> Tensor:
        """In uint8."""
        return self.to(dtypes.uint8)

    def bool(self) -> Tensor:  # noqa: A003
        """In bool."""
        return self.to(dtypes.bool)

    def type(self, dtype: Any = None, non_blocking: bool = False) -> Any:  # noqa: A003
        """``type()``: PyTorch's type string (``'torch.FloatTensor'``, ``'torch.cuda.LongTensor'``
        , the same strings so that code comparing them keeps working); ``type(dtype)`` or
        ``type('torch.DoubleTensor')``: this tensor converted to that dtype."""
        if dtype is None:
            cuda = ".cuda" if get_backend(self.array).device.type == "cuda" else ""
            return f"torch{cuda}.{dtypes.tensor_type_name(self.array.dtype)}"
        if isinstance(dtype, str):
            dtype = dtypes.from_tensor_type_name(dtype)
        return self.to(dtype)

    def type_as(self, other: Tensor) -> Tensor:
        """In ``other``'s dtype."""
        return self.to(other.dtype)

    def clone(self) -> Tensor:
        """A copy with its own memory; differentiable."""
        return autograd.ops.to_device_dtype(self, None, None, True)

    def contiguous(self) -> Tensor:
        """``self`` when already row-major and gapless, else a row-major copy."""
        return self if self.array.flags.c_contiguous else self.clone()

    # --- new tensors like this one --------------------------------------------------------------
    def new_tensor(self, data: Any, dtype: Any = None, device: Any = None,
                   requires_grad: bool = False) -> Tensor:  # fmt: skip
        """A copy of ``data`` in this tensor's dtype and device (unless given)."""
        return _factory().tensor(data, **self._like(dtype, device, requires_grad))

    def new_zeros(self, *size: Any, dtype: Any = None, device: Any = None,
                  requires_grad: bool = False) -> Tensor:  # fmt: skip
        """A zero tensor of ``size`` in this tensor's dtype and device (unless given)."""
        return _factory().zeros(*size, **self._like(dtype, device, requires_grad))

    def new_ones(self, *size: Any, dtype: Any = None, device: Any = None,
                 requires_grad: bool = False) -> Tensor:  # fmt: skip
        """A tensor of ones of ``size`` in this tensor's dtype and device (unless given)."""
        return _factory().ones(*size, **self._like(dtype, device, requires_grad))

    def new_empty(self, *size: Any, dtype: Any = None, device: Any = None,
                  requires_grad: bool = False) -> Tensor:  # fmt: skip
        """An uninitialised tensor of ``size`` in this tensor's dtype and device (unless given)."""
        return _factory().empty(*size, **self._like(dtype, device, requires_grad))

    def new_full(self, size: Any, fill_value: Any, dtype: Any = None, device: Any = None,
                 requires_grad: bool = False) -> Tensor:  # fmt: skip
        """A tensor of ``size`` filled with ``fill_value``, in this tensor's dtype and device."""
        return _factory().full(size, fill_value, **self._like(dtype, device, requires_grad))

    def _like(self, dtype: Any, device: Any, requires_grad: bool) -> dict:
        return {
            "dtype": self.array.dtype if dtype is None else dtype,
            "device": get_backend(self.array).device if device is None else device,
            "requires_grad": requires_grad,
        }


def _factory() -> Any:
    from minitorch.autograd import factory  # factory imports Tensor, which is built from this

    return factory


def _is_device(arg: Any) -> bool:
    return isinstance(arg, (str, device)) or type(arg) is int
