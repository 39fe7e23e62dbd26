"""``Tensor``: one backend array, plus grad, requires_grad and its graph node.

This file holds the data structure (metadata, grad, conversion, in-place updates); the
differentiable operators and methods (``+``, ``.sum()``, ``.reshape()`` ...) are inherited from
``TensorMethods`` in ``tensor_methods.py``, each a thin call into ``minitorch.autograd.ops``.
"""

from __future__ import annotations

from typing import Any, Iterator

from minitorch.autograd import grad_mode
from minitorch.autograd.hooks import RemovableHandle
from minitorch.autograd.tensor_methods import TensorMethods
from minitorch.backend import as_array, as_device, backend_for, dtypes, get_backend


class Tensor(TensorMethods):
    """An n-dimensional array on a device that can record the calls made on it.

    ``array`` is the raw backend array (a numpy or cupy ndarray); ``data`` is, as in PyTorch, a
    Tensor sharing that memory but detached from the graph; ``grad``: a Tensor or None.
    """

    __slots__ = (
        "array", "requires_grad", "_grad", "_hooks", "_post_hooks", "_node", "_index", "__weakref__",
    )  # fmt: skip
    __array_priority__ = 1000  # ndarray (op) Tensor defers to Tensor's reflected operator
    __array_ufunc__ = None

    def __init__(self, data: Any, requires_grad: bool = False) -> None:
        if isinstance(data, Tensor):
            data = data.array
        elif not hasattr(data, "__array_interface__") and not hasattr(
            data, "__cuda_array_interface__"
        ):
            data = backend_for(None).asarray(data)
        else:
            data = as_array(data)  # a NumPy scalar becomes a 0-d array (writable in place)
        self.array = data
        self._grad = None
        self._hooks = None  # a leaf's register_hook() hooks (a non-leaf's live on its node)
        self._post_hooks = None  # register_post_accumulate_grad_hook() hooks
        self._node = None
        self._index = 0
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    @property
    def data(self) -> Tensor:
        """This tensor's values as a new Tensor that shares memory and is cut from the graph.

        Writing through it (``p.data.add_(g, alpha=-lr)``) changes this tensor and is never
        recorded; assigning ``t.data = other`` makes ``t`` hold ``other``'s array.
        """
        return Tensor(self.array)

    @data.setter
    def data(self, value: Any) -> None:
        array = (
            value.array if isinstance(value, Tensor) else get_backend(self.array).asarray(value)
        )
        if array.shape != self.array.shape or array.dtype != self.array.dtype:
            # PyTorch allows a new shape/dtype here; so do we, but a gradient of the old
            # shape no longer fits
            self._grad = None
        self.array = array

    # --- metadata -----------------------------------------------------------------------------
    @property
    def shape(self) -> tuple:
        return self.array.shape

    def size(self, dim: int | None = None) -> Any:
        return self.array.shape if dim is None else self.array.shape[dim]

    @property
    def dtype(self) -> Any:
        return self.array.dtype

    @property
    def device(self) -> Any:
        return get_backend(self.array).device

    @property
    def ndim(self) -> int:
        return self.array.ndim

    def dim(self) -> int:
        return self.array.ndim

    def numel(self) -> int:
        return int(self.array.size)

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
        if self.array.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.array.shape[0]

    def __iter__(self) -> Iterator[Tensor]:
        return (self[i] for i in range(len(self)))

    def __hash__(self) -> int:  # identity, as PyTorch: tensors are dict keys (optimizer state)
        return id(self)

    def __repr__(self) -> str:
        body = repr(get_backend(self.array).to_host(self.array))
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
        if requires_grad and not dtypes.is_floating(self.array.dtype):
            raise RuntimeError(
                f"only floating point tensors can require gradients, got dtype {self.array.dtype}"
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
        return Tensor(self.array)

    def detach_(self) -> Tensor:
        self._node, self.requires_grad = None, False
        return self

    def register_hook(self, hook: Any) -> RemovableHandle:
        """Call ``hook(grad)`` when this tensor's gradient is computed; a Tensor it returns
        replaces the gradient. Returns a handle whose ``remove()`` takes the hook off."""
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self._node is None:
            if self._hooks is None:
                self._hooks = {}
            return RemovableHandle(self._hooks, hook)
        if self._node.hooks is None:
            self._node.hooks = {}
        return RemovableHandle(self._node.hooks.setdefault(self._index, {}), hook)

    def register_post_accumulate_grad_hook(self, hook: Any) -> RemovableHandle:
        """Call ``hook(tensor)`` once this leaf's ``.grad`` holds all of a backward pass's
        gradient: right after the last call that contributes to it, while backward goes on
        (what data-parallel training uses to start reducing gradients early)."""
        if self._node is not None:
            raise RuntimeError(
                "post accumulate grad hooks cannot be registered on non-leaf tensors"
            )
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        from minitorch.autograd import engine

        engine.early_flush[0] = True
        if self._post_hooks is None:
            self._post_hooks = {}
        return RemovableHandle(self._post_hooks, hook)

    def retain_grad(self) -> None:
        """Also keep this non-leaf tensor's gradient in ``.grad`` during backward."""
        if self._node is None:
            return  # leaves keep their gradient anyway
        if self._node.retained is None:
            self._node.retained = {}
        self._node.retained[self._index] = self

    # --- conversion ---------------------------------------------------------------------------
    def item(self) -> Any:
        if self.array.size != 1:
            raise ValueError(f"item() needs a tensor with one element, got shape {self.shape}")
        return self.array.item()

    def numpy(self) -> Any:
        """A NumPy array sharing memory on the CPU (a host copy for a GPU tensor)."""
        if self.requires_grad:
            raise RuntimeError(
                "can't call numpy() on a tensor that requires grad; use detach().numpy()"
            )
        return get_backend(self.array).to_host(self.array)

    def tolist(self) -> Any:
        return get_backend(self.array).to_host(self.array).tolist()

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        host = get_backend(self.array).to_host(self.array)
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
        """A recorded ``self[...] = value``: the old values get no gradient, ``value`` does."""
        keep_none = Tensor(get_backend(self.array).xp.zeros(self.shape, dtype=bool))
        return self._become(_ops.where(keep_none, self, value))

    def zero_(self) -> Tensor:
        self._check_inplace("zero_")
        if self._recorded():
            return self._overwrite(0.0)
        self.array[...] = 0
        return self

    def fill_(self, value: Any) -> Tensor:
        self._check_inplace("fill_")
        if self._recorded(value):
            return self._overwrite(value)
        self.array[...] = value.array if isinstance(value, Tensor) else value
        return self

    def copy_(self, src: Any) -> Tensor:
        self._check_inplace("copy_")
        if self._recorded(src):
            return self._overwrite(src.to(self.dtype) if isinstance(src, Tensor) else src)
        src = src.array if isinstance(src, Tensor) else src
        self.array[...] = get_backend(self.array).asarray(src)
        return self

    def _inplace(self, op: str, other: Any, fallback: Any) -> Tensor:
        self._check_inplace(op)
        if self._recorded(other):
            return self._become(fallback(self, other))
        getattr(self.array, op)(other.array if isinstance(other, Tensor) else other)
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
        if self._recorded():
            return self._become(_ops.clip(self, min, max))
        get_backend(self.array).xp.clip(self.array, min, max, out=self.array)
        return self

    def __setitem__(self, index: Any, value: Any) -> None:
        self._check_inplace("__setitem__")
        if self._node is not None and grad_mode._enabled:
            raise RuntimeError(
                "item assignment into a tensor that is part of a graph is not supported"
            )
        value = value.array if isinstance(value, Tensor) else value
        index = _ops.unwrap_index(index)
        split = _ops.split_index(index)
        if split is None:
            self.array[index] = value
        else:  # PyTorch's placement of mixed int/array indices (see ops.split_index)
            self.array[split[0]][split[1]] = value


def _looks_like_device(arg: Any) -> bool:
    from minitorch.backend import device

    return isinstance(arg, (str, device))


from minitorch.autograd import ops as _ops  # noqa: E402  (ops needs Tensor defined first)
