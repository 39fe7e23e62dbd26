"""``Tensor``: one backend array, plus grad, requires_grad and its graph node."""

from __future__ import annotations

from typing import Any, Iterator

from minitorch.autograd import grad_mode
from minitorch.backend import as_device, backend_for, dtypes, get_backend


class Tensor:
    """An n-dimensional array on a device that can record the calls made on it.

    ``data`` is the raw backend array (numpy or cupy ndarray); ``grad``: a Tensor or None.
    """

    __slots__ = ("data", "requires_grad", "_grad", "_node", "_index", "__weakref__")
    __array_priority__ = 1000  # ndarray (op) Tensor defers to Tensor's reflected operator
    __array_ufunc__ = None

    def __init__(self, data: Any, requires_grad: bool = False) -> None:
        if isinstance(data, Tensor):
            data = data.data
        elif not hasattr(data, "__array_interface__") and not hasattr(
            data, "__cuda_array_interface__"
        ):
            data = backend_for(None).asarray(data)
        self.data = data
        self._grad = None
        self._node = None
        self._index = 0
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    # --- metadata -----------------------------------------------------------------------------
    @property
    def shape(self) -> tuple:
        return self.data.shape

    def size(self, dim: int | None = None) -> Any:
        return self.data.shape if dim is None else self.data.shape[dim]

    @property
    def dtype(self) -> Any:
        return self.data.dtype

    @property
    def device(self) -> Any:
        return get_backend(self.data).device

    @property
    def ndim(self) -> int:
        return self.data.ndim

    def dim(self) -> int:
        return self.data.ndim

    def numel(self) -> int:
        return int(self.data.size)

    @property
    def is_leaf(self) -> bool:
        return self._node is None

    @property
    def grad_fn(self) -> Any:
        return self._node

    @property
    def is_cuda(self) -> bool:
        return self.device.type == "cuda"

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.data.shape[0]

    def __iter__(self) -> Iterator[Tensor]:
        return (self[i] for i in range(len(self)))

    def __hash__(self) -> int:  # identity, as PyTorch: tensors are dict keys (optimizer state)
        return id(self)

    def __repr__(self) -> str:
        body = repr(get_backend(self.data).to_host(self.data))
        body = body[body.index("(") + 1 : body.rindex(")")] if body.startswith("array(") else body
        body = body.replace(", dtype=float32", "").replace("\n      ", "\n       ")
        extras = []
        if self.device.type != "cpu":
            extras.append(f"device='{self.device}'")
        if self._node is not None:
            extras.append(f"grad_fn={self._node!r}")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + ", ".join([body, *extras]) + ")"

    # --- grad -------------------------------------------------------------------------------
    @property
    def grad(self) -> Tensor | None:
        return self._grad

    @grad.setter
    def grad(self, value: Any) -> None:
        if value is not None:
            value = value if isinstance(value, Tensor) else Tensor(value)
            if value.shape != self.shape:
                raise ValueError(
                    f"grad of shape {value.shape} assigned to a tensor of shape {self.shape}"
                )
        self._grad = value

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if requires_grad and not dtypes.is_floating(self.data.dtype):
            raise RuntimeError(
                f"only floating point tensors can require gradients, got dtype {self.data.dtype}"
            )
        if not requires_grad and self._node is not None:
            raise RuntimeError(
                "requires_grad can only be turned off on leaf tensors; use detach()"
            )
        self.requires_grad = requires_grad
        return self

    def backward(self, gradient: Any = None, retain_graph: bool = False) -> None:
        """Accumulate d(self)/d(leaf) into each leaf's ``.grad``."""
        from minitorch.autograd.engine import run_backward

        run_backward((self,), (gradient,), retain_graph)

    def detach(self) -> Tensor:
        """The same data, cut from the graph."""
        return Tensor(self.data)

    def detach_(self) -> Tensor:
        self._node, self.requires_grad = None, False
        return self

    def retain_grad(self) -> None:
        """Also keep this non-leaf tensor's gradient in ``.grad`` during backward."""
        if self._node is None:
            return  # leaves keep their gradient anyway
        if self._node.retained is None:
            self._node.retained = {}
        self._node.retained[self._index] = self

    # --- conversion ---------------------------------------------------------------------------
    def item(self) -> Any:
        if self.data.size != 1:
            raise ValueError(f"item() needs a tensor with one element, got shape {self.shape}")
        return self.data.item()

    def numpy(self) -> Any:
        """A NumPy array sharing memory on the CPU (a host copy for a GPU tensor)."""
        if self.requires_grad:
            raise RuntimeError(
                "can't call numpy() on a tensor that requires grad; use detach().numpy()"
            )
        return get_backend(self.data).to_host(self.data)

    def tolist(self) -> Any:
        return get_backend(self.data).to_host(self.data).tolist()

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        host = get_backend(self.data).to_host(self.data)
        return host if dtype is None else host.astype(dtype, copy=False)

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __bool__(self) -> bool:
        return bool(self.item())

    def __index__(self) -> int:
        return int(self.item())

    def to(self, *args: Any, dtype: Any = None, device: Any = None, copy: bool = False) -> Tensor:
        """``t.to("cuda")``, ``t.to(mt.float64)``, ``t.to(other_tensor)``; differentiable."""
        for arg in args:
            if isinstance(arg, Tensor):
                device, dtype = arg.device, arg.dtype
            elif _looks_like_device(arg):
                device = arg
            else:
                dtype = arg
        return _ops.to_device_dtype(self, device, dtype, copy)

    def cpu(self) -> Tensor:
        return self.to("cpu")

    def cuda(self, device: Any = None) -> Tensor:
        return self.to(as_device("cuda" if device is None else device))

    def float(self) -> Tensor:
        return self.to(dtypes.float32)

    def double(self) -> Tensor:
        return self.to(dtypes.float64)

    def half(self) -> Tensor:
        return self.to(dtypes.float16)

    def long(self) -> Tensor:
        return self.to(dtypes.int64)

    def int(self) -> Tensor:
        return self.to(dtypes.int32)

    def bool(self) -> Tensor:
        return self.to(dtypes.bool)

    def type(self, dtype: Any) -> Tensor:
        return self.to(dtype)

    def clone(self) -> Tensor:
        return _ops.to_device_dtype(self, None, None, True)

    def contiguous(self) -> Tensor:
        return self

    # --- in-place, outside autograd (optimizers, init, code under no_grad) --------------
    def _check_inplace(self, op: str) -> None:
        if grad_mode._enabled and self.requires_grad and self._node is None:
            raise RuntimeError(
                f"a leaf tensor that requires grad is used in an in-place operation ({op}); "
                "wrap it in `with mt.no_grad():` or work on `.data`"
            )

    def zero_(self) -> Tensor:
        self._check_inplace("zero_")
        self.data[...] = 0
        return self

    def fill_(self, value: Any) -> Tensor:
        self._check_inplace("fill_")
        self.data[...] = value
        return self

    def copy_(self, src: Any) -> Tensor:
        self._check_inplace("copy_")
        src = src.data if isinstance(src, Tensor) else src
        self.data[...] = get_backend(self.data).asarray(src)
        return self

    def _inplace(self, op: str, other: Any, fallback: Any) -> Tensor:
        other_data = other.data if isinstance(other, Tensor) else other
        if grad_mode._enabled and (
            self._node is not None or getattr(other, "requires_grad", False)
        ):
            return fallback(self, other)  # recorded: rebinding to a new node keeps grads right
        self._check_inplace(op)
        getattr(self.data, op)(other_data)
        return self

    def __iadd__(self, other: Any) -> Tensor:
        return self._inplace("__iadd__", other, Tensor.__add__)

    def __isub__(self, other: Any) -> Tensor:
        return self._inplace("__isub__", other, Tensor.__sub__)

    def __imul__(self, other: Any) -> Tensor:
        return self._inplace("__imul__", other, Tensor.__mul__)

    def __itruediv__(self, other: Any) -> Tensor:
        return self._inplace("__itruediv__", other, Tensor.__truediv__)

    def add_(self, other: Any, alpha: float = 1) -> Tensor:
        return self.__iadd__(other if alpha == 1 else other * alpha)

    def sub_(self, other: Any, alpha: float = 1) -> Tensor:
        return self.__isub__(other if alpha == 1 else other * alpha)

    def mul_(self, other: Any) -> Tensor:
        return self.__imul__(other)

    def div_(self, other: Any) -> Tensor:
        return self.__itruediv__(other)

    def clamp_(self, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
        self._check_inplace("clamp_")
        get_backend(self.data).xp.clip(self.data, min, max, out=self.data)
        return self

    def __setitem__(self, index: Any, value: Any) -> None:
        self._check_inplace("__setitem__")
        if self._node is not None and grad_mode._enabled:
            raise RuntimeError(
                "item assignment into a tensor that is part of a graph is not supported"
            )
        value = value.data if isinstance(value, Tensor) else value
        self.data[_ops.unwrap_index(index)] = value

    # --- differentiable operators (each a Function in minitorch.autograd.ops) -----------------
    def __add__(self, other: Any) -> Tensor:
        return _ops.add(self, other)

    def __radd__(self, other: Any) -> Tensor:
        return _ops.add(other, self)

    def __sub__(self, other: Any) -> Tensor:
        return _ops.sub(self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return _ops.sub(other, self)

    def __mul__(self, other: Any) -> Tensor:
        return _ops.mul(self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return _ops.mul(other, self)

    def __truediv__(self, other: Any) -> Tensor:
        return _ops.div(self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return _ops.div(other, self)

    def __pow__(self, other: Any) -> Tensor:
        return _ops.pow(self, other)

    def __rpow__(self, other: Any) -> Tensor:
        return _ops.pow(other, self)

    def __neg__(self) -> Tensor:
        return _ops.neg(self)

    def __pos__(self) -> Tensor:
        return self

    def __matmul__(self, other: Any) -> Tensor:
        return _ops.matmul(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return _ops.matmul(other, self)

    def __abs__(self) -> Tensor:
        return _ops.abs(self)

    def __getitem__(self, index: Any) -> Tensor:
        return _ops.getitem(self, index)

    # comparisons give bool tensors and carry no gradient
    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return _ops.compare(self, other, "__eq__")

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return _ops.compare(self, other, "__ne__")

    def __lt__(self, other: Any) -> Tensor:
        return _ops.compare(self, other, "__lt__")

    def __le__(self, other: Any) -> Tensor:
        return _ops.compare(self, other, "__le__")

    def __gt__(self, other: Any) -> Tensor:
        return _ops.compare(self, other, "__gt__")

    def __ge__(self, other: Any) -> Tensor:
        return _ops.compare(self, other, "__ge__")

    def __invert__(self) -> Tensor:
        return Tensor(~self.data)

    def __and__(self, other: Any) -> Tensor:
        return Tensor(self.data & (other.data if isinstance(other, Tensor) else other))

    def __or__(self, other: Any) -> Tensor:
        return Tensor(self.data | (other.data if isinstance(other, Tensor) else other))

    def eq(self, other: Any) -> Tensor:
        return self == other

    def ne(self, other: Any) -> Tensor:
        return self != other

    def lt(self, other: Any) -> Tensor:
        return self < other

    def le(self, other: Any) -> Tensor:
        return self <= other

    def gt(self, other: Any) -> Tensor:
        return self > other

    def ge(self, other: Any) -> Tensor:
        return self >= other

    def add(self, other: Any) -> Tensor:
        return _ops.add(self, other)

    def sub(self, other: Any) -> Tensor:
        return _ops.sub(self, other)

    def mul(self, other: Any) -> Tensor:
        return _ops.mul(self, other)

    def div(self, other: Any) -> Tensor:
        return _ops.div(self, other)

    def pow(self, other: Any) -> Tensor:
        return _ops.pow(self, other)

    def neg(self) -> Tensor:
        return _ops.neg(self)

    def matmul(self, other: Any) -> Tensor:
        return _ops.matmul(self, other)

    def sum(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return _ops.sum(self, dim, keepdim)

    def mean(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return _ops.mean(self, dim, keepdim)

    def var(self, dim: Any = None, keepdim: bool = False, unbiased: bool = True) -> Tensor:
        return _ops.var(self, dim, keepdim, unbiased)

    def std(self, dim: Any = None, keepdim: bool = False, unbiased: bool = True) -> Tensor:
        return _ops.sqrt(_ops.var(self, dim, keepdim, unbiased))

    def max(self, dim: Any = None, keepdim: bool = False) -> Any:
        return _ops.max(self, dim, keepdim)

    def min(self, dim: Any = None, keepdim: bool = False) -> Any:
        return _ops.min(self, dim, keepdim)

    def amax(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return _ops.amax(self, dim, keepdim)

    def amin(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return _ops.amin(self, dim, keepdim)

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        return _ops.argmax(self, dim, keepdim)

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        return _ops.argmin(self, dim, keepdim)

    def reshape(self, *shape: Any) -> Tensor:
        return _ops.reshape(self, *shape)

    def view(self, *shape: Any) -> Tensor:
        return _ops.reshape(self, *shape)

    def view_as(self, other: Tensor) -> Tensor:
        return _ops.reshape(self, other.shape)

    def reshape_as(self, other: Tensor) -> Tensor:
        return _ops.reshape(self, other.shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        return _ops.flatten(self, start_dim, end_dim)

    def squeeze(self, dim: int | None = None) -> Tensor:
        return _ops.squeeze(self, dim)

    def unsqueeze(self, dim: int) -> Tensor:
        return _ops.unsqueeze(self, dim)

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        return _ops.transpose(self, dim0, dim1)

    def permute(self, *dims: Any) -> Tensor:
        return _ops.permute(self, *dims)

    def expand(self, *shape: Any) -> Tensor:
        return _ops.expand(self, *shape)

    @property
    def T(self) -> Tensor:  # noqa: N802
        return _ops.permute(self, *reversed(range(self.ndim)))

    @property
    def mT(self) -> Tensor:  # noqa: N802
        return _ops.transpose(self, -2, -1)

    def exp(self) -> Tensor:
        return _ops.exp(self)

    def log(self) -> Tensor:
        return _ops.log(self)

    def sqrt(self) -> Tensor:
        return _ops.sqrt(self)

    def abs(self) -> Tensor:
        return _ops.abs(self)

    def clip(self, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
        return _ops.clip(self, min, max)

    clamp = clip

    def relu(self) -> Tensor:
        from minitorch.nn import functional

        return functional.relu(self)

    def sigmoid(self) -> Tensor:
        from minitorch.nn import functional

        return functional.sigmoid(self)

    def tanh(self) -> Tensor:
        from minitorch.nn import functional

        return functional.tanh(self)

    def softmax(self, dim: int) -> Tensor:
        from minitorch.nn import functional

        return functional.softmax(self, dim)

    def log_softmax(self, dim: int) -> Tensor:
        from minitorch.nn import functional

        return functional.log_softmax(self, dim)


def _looks_like_device(arg: Any) -> bool:
    from minitorch.backend import device

    return isinstance(arg, (str, device))


from minitorch.autograd import ops as _ops  # noqa: E402  (ops needs Tensor defined first)
