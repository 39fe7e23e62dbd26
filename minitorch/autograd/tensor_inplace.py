"""Tensor methods that update a tensor in place: the two paths every in-place op takes, and
the fills, copies and indexed writes (``zero_``, ``fill_``, ``copy_``, ``masked_fill_``,
``t[i] = v``). Arithmetic and elementwise updates (``add_``, ``exp_`` ...) are in
``tensor_inplace_math.py``, random fills in ``tensor_random.py``.

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
            # a float result of an int input is PyTorch's default float (NumPy's is float64)
            result = (
                dtypes.get_default_dtype() if dtypes.is_floating(values.dtype) else values.dtype
            )
            raise RuntimeError(cast_message(result, a.dtype))
        try:
            a[...] = values
        except ValueError as err:
            raise RuntimeError(shape_message(op, a, values, err)) from None
        versions.bump(a)
        return self

    def _binary(self, op: str, other: Any, fallback: Any) -> Tensor:
        """``self (op)= other`` with NumPy's in-place operator ``op`` (``"__iadd__"``)."""
        self._check_inplace(op)
        if self._recorded(other):
            return self._become(fallback(self, other))
        a = self.array
        value = other.array if isinstance(other, autograd.Tensor) else other
        if a.dtype.kind != "f" and not dtypes.is_floating(a.dtype):
            result = dtypes.result_type(a, value)
            if not dtypes.can_cast(result, a.dtype):
                raise RuntimeError(cast_message(result, a.dtype))
        try:
            getattr(a, op)(value)
        except ValueError as err:
            raise RuntimeError(shape_message(op, a, value, err)) from None
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
            raise RuntimeError(shape_message("masked_fill_", a, m, err)) from None
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


def torch_name(dtype: Any) -> str:
    try:
        return dtypes.tensor_type_name(dtype)[: -len("Tensor")]
    except TypeError:
        return str(dtype)


def cast_message(result: Any, target: Any) -> str:
    return (
        f"result type {torch_name(result)} can't be cast to the desired output type "
        f"{torch_name(target)}"
    )


def shape_message(op: str, a: Any, value: Any, err: Exception) -> str:
    shape = getattr(value, "shape", ())
    try:
        full = get_backend(a).xp.broadcast_shapes(a.shape, shape)
    except ValueError:
        return f"{op}: a value of shape {list(shape)} cannot be written into shape {list(a.shape)}"
    return f"output with shape {list(a.shape)} doesn't match the broadcast shape {list(full)}"
