"""Tensor methods that update a tensor in place: ``add_``, ``mul_``, ``zero_``, ``copy_``,
``t[i] = v``, ``+=`` and their kin (the random fills are in ``tensor_random.py``).

Two paths, as PyTorch behaves:

* outside the graph (under ``no_grad``, on ``.data``, on tensors that need no gradient) the
  array is written in place, and the write is counted in its version (``versions.bump``) so
  that a graph that saved the array raises at backward instead of using the new values;
* on a tensor that is part of a graph (or with an operand that requires grad) the update is
  recorded: computed out of place, and this Python object is rebound to the result
  (``_become``). The old array is untouched, so calls that saved it still see their values.

A leaf that requires grad refuses in-place updates while grad mode is on, as in PyTorch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import minitorch.autograd as autograd
from minitorch.autograd import grad_mode, versions
from minitorch.backend import dtypes, get_backend

if TYPE_CHECKING:
    from minitorch.autograd.tensor import Tensor


def _ops() -> Any:
    return autograd.ops


class InplaceMethods:
    """Mixin of ``Tensor``: the in-place updates (see the module docstring)."""

    __slots__ = ()

    # --- the two paths ------------------------------------------------------------------------
    def _check_inplace(self, op: str) -> None:
        if grad_mode._enabled and self.requires_grad and self._node is None:
            raise RuntimeError(
                "a leaf Variable that requires grad is being used in an in-place operation "
                f"({op}); wrap it in `with mt.no_grad():` or work on `.data`"
            )

    def _recorded(self, other: Any = None) -> bool:
        """True when an in-place update of this tensor must itself be recorded."""
        return grad_mode._enabled and (
            self._node is not None or getattr(other, "requires_grad", False)
        )

    def _become(self, result: Tensor) -> Tensor:
        """Make this Python object the (out-of-place) result of a recorded in-place update.

        The old array is left untouched, so a call that saved it for backward still sees the
        values it saw in forward; calls recorded earlier reach the old value through the edge
        they took at record time (``Node.inputs``), so gradients stay right.
        """
        self.array, self._node, self._index = result.array, result._node, result._index
        self.requires_grad = result.requires_grad
        return self

    def _overwrite(self, value: Any) -> Tensor:
        """A recorded overwrite of every element: the old values get no gradient, ``value``
        (broadcast to this shape, in this dtype) does."""
        if isinstance(value, autograd.Tensor):
            value = value.to(self.array.dtype)
        keep_none = autograd.Tensor(get_backend(self.array).xp.zeros(self.shape, dtype=bool))
        return self._become(_ops().where(keep_none, self, value))

    def _store(self, values: Any, op: str, cast: bool = False) -> Tensor:
        """The unrecorded path: write ``values`` (an array or number) into the array, counted
        in its version. Without ``cast``, a result of a higher category (a float result in an
        int tensor) is refused, as PyTorch does."""
        a = self.array
        if not cast and hasattr(values, "dtype") and not dtypes.can_cast(values.dtype, a.dtype):
            raise RuntimeError(_cast_message(values.dtype, a.dtype))
        try:
            a[...] = values
        except ValueError as err:
            raise RuntimeError(_shape_message(op, a, values, err)) from None
        versions.bump(a)
        return self

    def _binary(self, op: str, other: Any, fallback: Any) -> Tensor:
        """``self (op)= other`` with NumPy's in-place operator ``op`` (``"__iadd__"``)."""
        self._check_inplace(op)
        if self._recorded(other):
            return self._become(fallback(self, other))
        a = self.array
        value = other.array if isinstance(other, autograd.Tensor) else other
        if not dtypes.is_floating(a.dtype):
            result = dtypes.result_type(a, value)
            if not dtypes.can_cast(result, a.dtype):
                raise RuntimeError(_cast_message(result, a.dtype))
        try:
            getattr(a, op)(value)
        except ValueError as err:
            raise RuntimeError(_shape_message(op, a, value, err)) from None
        versions.bump(a)
        return self

    def _unary(self, op: str, fn: Any) -> Tensor:
        """``self = fn(self)`` in place (``fn`` the out-of-place op, so the numbers agree)."""
        self._check_inplace(op)
        if self._recorded():
            return self._become(fn(self))
        return self._store(fn(self).array, op)

    # --- fills and copies ---------------------------------------------------------------------
    def zero_(self) -> Tensor:
        """Set every element to 0."""
        self._check_inplace("zero_")
        if self._recorded():
            return self._overwrite(0.0)
        return self._store(0, "zero_")

    def fill_(self, value: Any) -> Tensor:
        """Set every element to ``value`` (a number or a 0-d tensor), cast to this dtype."""
        self._check_inplace("fill_")
        if self._recorded(value):
            return self._overwrite(value)
        return self._store(value.array if isinstance(value, autograd.Tensor) else value, "fill_",
                           cast=True)  # fmt: skip

    def copy_(self, src: Any, non_blocking: bool = False) -> Tensor:
        """Copy ``src`` (broadcast to this shape, cast to this dtype, from any device) into this
        tensor; differentiable with respect to ``src``. ``non_blocking`` has no effect."""
        self._check_inplace("copy_")
        if self._recorded(src):
            if isinstance(src, autograd.Tensor):
                src = src.to(get_backend(self.array).device)
            return self._overwrite(src)
        src = src.array if isinstance(src, autograd.Tensor) else src
        return self._store(get_backend(self.array).asarray(src), "copy_", cast=True)

    def masked_fill_(self, mask: Tensor, value: Any) -> Tensor:
        """``self[mask] = value`` where the bool ``mask`` broadcasts to this shape; ``value`` a
        number or a 0-d tensor (which receives the gradient of the filled positions)."""
        m = mask.array if isinstance(mask, autograd.Tensor) else mask
        if m.dtype != dtypes.bool:
            raise RuntimeError(
                f"masked_fill_ only supports boolean masks, but got mask with dtype {m.dtype}"
            )
        if isinstance(value, autograd.Tensor) and value.ndim != 0:
            raise RuntimeError(
                "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                f"{value.ndim} dimension(s)."
            )
        self._check_inplace("masked_fill_")
        if self._recorded(value):
            if isinstance(value, autograd.Tensor):
                value = value.to(self.array.dtype)
            return self._become(_ops().where(autograd.Tensor(m), value, self))
        a = self.array
        value = value.array if isinstance(value, autograd.Tensor) else value
        try:
            get_backend(a).xp.copyto(a, value, where=m, casting="unsafe")
        except ValueError as err:
            raise RuntimeError(_shape_message("masked_fill_", a, m, err)) from None
        versions.bump(a)
        return self

    def index_fill_(self, dim: int, index: Tensor, value: Any) -> Tensor:
        """Fill the entries ``index`` (int64, 1-D) along ``dim`` with ``value``."""
        dim = dim % max(self.ndim, 1)
        self[(slice(None),) * dim + (index,)] = value
        return self

    def __setitem__(self, index: Any, value: Any) -> None:
        self._check_inplace("__setitem__")
        if self._recorded(value):
            from minitorch.autograd.index_put import IndexPut

            if isinstance(value, autograd.Tensor):
                value = value.to(get_backend(self.array).device, self.array.dtype)
            self._become(IndexPut(index)(self, value))
            return
        ops = _ops()
        value = value.array if isinstance(value, autograd.Tensor) else value
        index = ops.unwrap_index(index)
        split = ops.split_index(index)
        if split is None:
            self.array[index] = value
        else:  # PyTorch's placement of mixed int/array indices (see ops.split_index)
            self.array[split[0]][split[1]] = value
        versions.bump(self.array)

    # --- arithmetic -----------------------------------------------------------------------------
    def __iadd__(self, other: Any) -> Tensor:
        return self._binary("__iadd__", other, autograd.Tensor.__add__)

    def __isub__(self, other: Any) -> Tensor:
        return self._binary("__isub__", other, autograd.Tensor.__sub__)

    def __imul__(self, other: Any) -> Tensor:
        return self._binary("__imul__", other, autograd.Tensor.__mul__)

    def __itruediv__(self, other: Any) -> Tensor:
        return self.div_(other)

    def add_(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """``self += alpha * other``."""
        return self.__iadd__(_scaled(other, alpha))

    def sub_(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """``self -= alpha * other``."""
        return self.__isub__(_scaled(other, alpha))

    def mul_(self, other: Any) -> Tensor:
        return self.__imul__(other)

    def div_(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        """``self /= other``; ``rounding_mode`` ``"trunc"`` or ``"floor"`` rounds the quotient
        (which then carries no gradient, as in PyTorch)."""
        if rounding_mode is None:
            if not dtypes.is_floating(self.array.dtype):
                raise RuntimeError(_cast_message(dtypes.get_default_dtype(), self.array.dtype))
            return self._binary("__itruediv__", other, autograd.Tensor.__truediv__)
        if rounding_mode not in ("trunc", "floor"):
            raise RuntimeError(
                "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
                f"{rounding_mode!r}"
            )
        self._check_inplace("div_")
        b = other.array if isinstance(other, autograd.Tensor) else other
        quotient = _rounded_quotient(self.array, b, rounding_mode)
        if self._recorded(other):
            return self._overwrite(autograd.Tensor(quotient))
        return self._store(quotient, "div_")

    def pow_(self, exponent: Any) -> Tensor:
        return self._binary("__ipow__", exponent, autograd.Tensor.__pow__)

    def __ipow__(self, exponent: Any) -> Tensor:
        return self.pow_(exponent)

    def clamp_(self, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
        """Clip every element into ``[min, max]`` (either may be None)."""
        if min is None and max is None:
            raise RuntimeError("clamp_: At least one of 'min' or 'max' must not be None")
        self._check_inplace("clamp_")
        if self._recorded():
            return self._become(_ops().clip(self, min, max))
        lo = min.array if isinstance(min, autograd.Tensor) else min
        hi = max.array if isinstance(max, autograd.Tensor) else max
        a = self.array
        if not dtypes.is_floating(a.dtype):
            result = dtypes.result_type(a, *(v for v in (lo, hi) if v is not None))
            if not dtypes.can_cast(result, a.dtype):
                raise RuntimeError(_cast_message(result, a.dtype))
        get_backend(a).xp.clip(a, lo, hi, out=a)
        versions.bump(a)
        return self

    clip_ = clamp_

    def lerp_(self, end: Any, weight: Any) -> Tensor:
        """``self += weight * (end - self)`` (an exponential moving average's step)."""
        return self._binary("__iadd__", _scaled(end - self, weight), autograd.Tensor.__add__)

    def addcmul_(self, tensor1: Any, tensor2: Any, *, value: Any = 1) -> Tensor:
        """``self += value * tensor1 * tensor2``."""
        return self.__iadd__(_scaled(tensor1 * tensor2, value))

    def addcdiv_(self, tensor1: Any, tensor2: Any, *, value: Any = 1) -> Tensor:
        """``self += value * tensor1 / tensor2``."""
        return self.__iadd__(_scaled(tensor1 / tensor2, value))

    # --- elementwise functions -----------------------------------------------------------------
    def neg_(self) -> Tensor:
        return self._unary("neg_", _ops().neg)

    def abs_(self) -> Tensor:
        return self._unary("abs_", _ops().abs)

    def exp_(self) -> Tensor:
        return self._unary("exp_", _ops().exp)

    def log_(self) -> Tensor:
        return self._unary("log_", _ops().log)

    def sqrt_(self) -> Tensor:
        return self._unary("sqrt_", _ops().sqrt)

    def sigmoid_(self) -> Tensor:
        return self._unary("sigmoid_", _ops().sigmoid)

    def tanh_(self) -> Tensor:
        return self._unary("tanh_", _ops().tanh)

    def relu_(self) -> Tensor:
        return self._unary("relu_", _ops().relu)


def _scaled(other: Any, alpha: Any) -> Any:
    """``alpha * other``: recorded when ``other`` requires grad, else computed on the array."""
    if isinstance(alpha, autograd.Tensor) or alpha != 1:
        if not isinstance(other, autograd.Tensor):
            return other * alpha
        if grad_mode._enabled and (other.requires_grad or getattr(alpha, "requires_grad", 0)):
            return other * alpha
        return autograd.Tensor(other.array * getattr(alpha, "array", alpha))
    return other


def _rounded_quotient(a: Any, b: Any, mode: str) -> Any:
    """``a / b`` rounded toward zero (``"trunc"``) or down (``"floor"``), in ``a``'s dtype
    family (integer division stays exact)."""
    xp = get_backend(a).xp
    q = xp.floor_divide(a, b)
    if mode == "trunc":
        if dtypes.is_floating(a.dtype):
            return xp.trunc(a / b).astype(q.dtype, copy=False)
        q = q + ((q < 0) & (a != q * b))  # floor went one below zero's side: step back up
    return q


def _torch_name(dtype: Any) -> str:
    try:
        return dtypes.tensor_type_name(dtype)[: -len("Tensor")]
    except TypeError:
        return str(dtype)


def _cast_message(result: Any, target: Any) -> str:
    return (
        f"result type {_torch_name(result)} can't be cast to the desired output type "
        f"{_torch_name(target)}"
    )


def _shape_message(op: str, a: Any, value: Any, err: Exception) -> str:
    shape = getattr(value, "shape", ())
    try:
        full = get_backend(a).xp.broadcast_shapes(a.shape, shape)
    except ValueError:
        return f"{op}: a value of shape {list(shape)} cannot be written into shape {list(a.shape)}"
    return f"output with shape {list(a.shape)} doesn't match the broadcast shape {list(full)}"
