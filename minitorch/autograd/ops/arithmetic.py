"""``+ - * / ** neg @``: forward and backward side by side; broadcasting reduced in backward."""

from __future__ import annotations

import math
from typing import Any

from minitorch.autograd.function import Function
from minitorch.autograd.ops.broadcast import shape_of, unbroadcast
from minitorch.backend import dtypes, get_backend


def promote(a: Any, b: Any, true_divide: bool = False) -> tuple:
    """``a`` and ``b`` in PyTorch's result dtype of ``a op b`` (Python numbers stay numbers).

    NumPy promotes differently (a float64 0-d array or an int64 array widens a float32 array);
    ``true_divide`` gives integer operands the default float dtype, as ``/`` does in PyTorch.
    """
    same = hasattr(a, "dtype") and hasattr(b, "dtype") and a.dtype == b.dtype
    dtype = a.dtype if same else dtypes.result_type(a, b)
    if true_divide and dtype.kind not in "fc":
        dtype = dtypes.get_default_dtype()
    return cast(a, dtype), cast(b, dtype)


def cast(x: Any, dtype: Any) -> Any:
    """An array in ``dtype`` (no copy when it already is); Python numbers pass unchanged."""
    return x.astype(dtype) if hasattr(x, "dtype") and x.dtype != dtype else x


class Add(Function):
    """``a + b``"""

    def forward(self, a: Any, b: Any) -> Any:
        self.save_for_backward(shape_of(a), shape_of(b))
        a, b = promote(a, b)
        return a + b

    def backward(self, dy: Any) -> tuple:
        sa, sb = self.saved
        need = self.needs_input_grad
        return (unbroadcast(dy, sa) if need[0] else None, unbroadcast(dy, sb) if need[1] else None)


class Sub(Function):
    """``a - b``"""

    def forward(self, a: Any, b: Any) -> Any:
        self.save_for_backward(shape_of(a), shape_of(b))
        a, b = promote(a, b)
        return a - b

    def backward(self, dy: Any) -> tuple:
        sa, sb = self.saved
        need = self.needs_input_grad
        return (
            unbroadcast(dy, sa) if need[0] else None,
            unbroadcast(-dy, sb) if need[1] else None,
        )


class Mul(Function):
    """``a * b``: each input's gradient is ``dy`` times the other input."""

    def forward(self, a: Any, b: Any) -> Any:
        a, b = promote(a, b)
        self.save_for_backward(a, b)
        return a * b

    def backward(self, dy: Any) -> tuple:
        a, b = self.saved
        need = self.needs_input_grad
        da = unbroadcast(dy * b, shape_of(a)) if need[0] else None
        db = unbroadcast(dy * a, shape_of(b)) if need[1] else None
        return da, db


class Div(Function):
    """``a / b``: da = dy / b, db = -dy * a / b**2."""

    def forward(self, a: Any, b: Any) -> Any:
        a, b = promote(a, b, true_divide=True)
        self.save_for_backward(a, b)
        return a / b

    def backward(self, dy: Any) -> tuple:
        a, b = self.saved
        need = self.needs_input_grad
        da = unbroadcast(dy / b, shape_of(a)) if need[0] else None
        db = unbroadcast(-dy * a / (b * b), shape_of(b)) if need[1] else None
        return da, db


class Pow(Function):
    """``a ** b``: da = b * a**(b-1) * dy, db = a**b * log(a) * dy."""

    def forward(self, a: Any, b: Any) -> Any:
        a, b = promote(a, b)
        y = a**b
        self.save_for_backward(a, b, y)
        return y

    def backward(self, dy: Any) -> tuple:
        a, b, y = self.saved
        need = self.needs_input_grad
        xp = get_backend(dy).xp
        da = db = None
        if need[0]:
            if not hasattr(b, "shape"):  # a Python exponent (x ** 2): the hot case
                da = dy * b * a ** (b - 1) if b != 0 else xp.zeros_like(dy)
            else:  # 0 where the exponent is 0, even at a = 0 (PyTorch's choice)
                da = xp.where(b == 0, dy.dtype.type(0), dy * b * a ** (b - 1))
            da = unbroadcast(da, shape_of(a))
        if need[1]:
            # y log(a): nan for a < 0, and 0 where a == 0 and b >= 0 (PyTorch's choice)
            if not hasattr(a, "shape"):  # a number base (2 ** x)
                log_a = (
                    math.log(a) if a > 0 else math.nan if a < 0 else xp.where(b >= 0, 0, -xp.inf)
                )
            else:
                log_a = xp.log(xp.where(a > 0, a, xp.where(a == 0, 1, xp.nan)))
                log_a = xp.where(a == 0, xp.where(b >= 0, 0, -xp.inf), log_a).astype(dy.dtype)
            db = unbroadcast(dy * (y * log_a), shape_of(b))
        return da, db


class Neg(Function):
    """``-a``"""

    def forward(self, a: Any) -> Any:
        return -a

    def backward(self, dy: Any) -> Any:
        return -dy


class MatMul(Function):
    """``a @ b`` with NumPy's rules for 1-D operands and broadcast batch dimensions.

    Shape: (*, n, k) @ (*, k, m) -> (*, n, m); da = dy @ b^T, db = a^T @ dy.
    """

    def forward(self, a: Any, b: Any) -> Any:
        if a.ndim == 0 or b.ndim == 0:
            raise ValueError(
                "matmul: both operands need at least one dimension; use * for scalars"
            )
        ka, kb = a.shape[-1], b.shape[-2] if b.ndim > 1 else b.shape[0]
        if ka != kb:
            raise ValueError(
                f"matmul: shapes {tuple(a.shape)} and {tuple(b.shape)} do not align "
                f"(last dim of the first, {ka}, must equal the "
                f"{'second-to-last' if b.ndim > 1 else 'only'} dim of the second, {kb})"
            )
        self.save_for_backward(a, b)
        if a.ndim > 2 and b.ndim == 2:
            return get_backend(a).rows_matmul(a, b)
        return a @ b

    def backward(self, dy: Any) -> tuple:
        a, b = self.saved
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        if b.ndim == 1:  # restore the dims that NumPy's 1-D rules dropped
            dy = dy[..., None]
        if a.ndim == 1:
            dy = dy[..., None, :]
        need = self.needs_input_grad
        da = db = None
        if need[0] and a.ndim > 2 and b.ndim == 2:
            da = get_backend(dy).rows_matmul(dy, b.T)
        elif need[0]:
            da = unbroadcast(dy @ b2.swapaxes(-1, -2), a2.shape).reshape(a.shape)
        if need[1] and a.ndim > 2 and b.ndim == 2:  # (*, n, k) @ (k, m): one GEMM over all rows
            db = a.reshape(-1, a.shape[-1]).T @ dy.reshape(-1, dy.shape[-1])
        elif need[1]:
            db = unbroadcast(a2.swapaxes(-1, -2) @ dy, b2.shape).reshape(b.shape)
        return da, db
