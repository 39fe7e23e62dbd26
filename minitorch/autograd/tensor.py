"""``Tensor``: one backend array, plus grad, requires_grad and its graph node.

This file holds the data structure (metadata, grad, graph hooks); the rest of the class comes
from mixins, each in its own file:

- ``ConvertMethods`` (``to``, ``numpy``, ``new_zeros`` ...): ``tensor_convert.py``;
- ``InplaceMethods`` (the two paths of in-place updates; ``copy_``, ``t[i] = v`` ...):
  ``tensor_inplace.py``, and ``InplaceMathMethods`` (``add_``, ``exp_`` ...):
  ``tensor_inplace_math.py``;
- ``RandomMethods`` (``uniform_``, ``multinomial`` ...): ``tensor_random.py``;
- ``TensorMethods`` (the differentiable operators and methods, each a thin call into
  ``minitorch.autograd.ops``): ``tensor_methods.py``.

``repr`` is ``printing.py``'s.
"""

from __future__ import annotations

from typing import Any, Iterator

from minitorch.autograd import versions
from minitorch.autograd.hooks import RemovableHandle
from minitorch.autograd.printing import tensor_repr
from minitorch.autograd.size import Size, as_size
from minitorch.autograd.tensor_convert import ConvertMethods
from minitorch.autograd.tensor_inplace import InplaceMethods
from minitorch.autograd.tensor_inplace_math import InplaceMathMethods
from minitorch.autograd.tensor_methods import TensorMethods
from minitorch.autograd.tensor_random import RandomMethods
from minitorch.backend import as_array, backend_for, dtypes, get_backend


class Tensor(InplaceMethods, InplaceMathMethods, RandomMethods, ConvertMethods, TensorMethods):
    """An n-dimensional array on a device that can record the calls made on it.

    ``array`` is the raw backend array (a numpy or cupy ndarray); ``data`` is, as in PyTorch, a
    Tensor sharing that memory but detached from the graph; ``grad``: a Tensor or None.
    In-place writes through Tensor methods (``add_``, ``t[i] = v`` ..., also on ``data``) and
    optimizer steps count in ``_version``; writes straight into ``array`` are not seen.
    """

    __slots__ = (
        "array", "requires_grad", "_grad", "_hooks", "_post_hooks", "_node", "_index",
        "__weakref__",
    )  # fmt: skip
    __array_priority__ = 1000  # ndarray (op) Tensor defers to Tensor's reflected operator
    __array_ufunc__ = None

    def __init__(self, data: Any, requires_grad: bool = False) -> None:
        if isinstance(data, Tensor):
            data = data.array
        elif not hasattr(data, "__array_interface__") and not hasattr(
            data, "__cuda_array_interface__"
        ):
            # Python data: ``Tensor([1, 2])`` is a float tensor in the default dtype, as
            # PyTorch's legacy constructor (``mt.tensor`` infers the dtype instead)
            data = backend_for(None).asarray(data, dtype=dtypes.get_default_dtype())
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

        Writing through it (``p.data.add_(g, alpha=-lr)``) changes this tensor, is never
        recorded, and counts in the version shared by both (``_version``); assigning
        ``t.data = other`` makes ``t`` hold ``other``'s array.
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
    def shape(self) -> Size:
        """The sizes of the dimensions, a ``Size`` (a tuple: ``t.shape == (2, 3)`` holds)."""
        return as_size(self.array.shape)

    def size(self, dim: int | None = None) -> Any:
        """``size()``: the shape as a ``Size``; ``size(dim)``: one dimension (negative counts
        from the end)."""
        shape = self.array.shape
        if dim is None:
            return as_size(shape)
        try:
            return shape[dim]
        except (IndexError, TypeError):
            return shape[_dim(dim, len(shape))]  # raises PyTorch's IndexError

    @property
    def dtype(self) -> Any:
        """The element type (``mt.float32`` ...), the array's dtype."""
        return self.array.dtype

    @property
    def device(self) -> Any:
        """The device the data lives on (``device('cpu')``, ``device('cuda:0')``)."""
        return get_backend(self.array).device

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self.array.ndim

    def dim(self) -> int:
        """The number of dimensions."""
        return self.array.ndim

    ndimension = dim

    def numel(self) -> int:
        """The number of elements."""
        return int(self.array.size)

    nelement = numel

    def element_size(self) -> int:
        """Bytes per element (4 for float32)."""
        return self.array.dtype.itemsize

    @property
    def itemsize(self) -> int:
        """Bytes per element (as ``element_size()``)."""
        return self.array.dtype.itemsize

    @property
    def nbytes(self) -> int:
        """Bytes of all the elements (``numel() * element_size()``)."""
        return int(self.array.size) * self.array.dtype.itemsize

    def stride(self, dim: int | None = None) -> Any:
        """Steps in elements between neighbours along each dimension (PyTorch's ``stride``);
        ``stride(dim)``: one of them."""
        itemsize = self.array.dtype.itemsize
        steps = tuple(s // itemsize for s in self.array.strides)
        return steps if dim is None else steps[_dim(dim, len(steps))]

    def is_contiguous(self) -> bool:
        """True when the elements lie in memory in row-major order without gaps."""
        return bool(self.array.flags.c_contiguous)

    def data_ptr(self) -> int:
        """The address of the first element (GPU memory for a CUDA tensor)."""
        array = self.array
        interface = getattr(array, "__cuda_array_interface__", None) or array.__array_interface__
        return int(interface["data"][0])

    def is_floating_point(self) -> bool:
        """True for a floating dtype."""
        return dtypes.is_floating(self.array.dtype)

    def is_complex(self) -> bool:
        """True for a complex dtype."""
        return self.array.dtype.kind == "c"

    @property
    def _version(self) -> int:
        """In-place writes into this tensor's memory so far (shared with views and ``.data``)."""
        return versions.version(self.array)

    @property
    def is_leaf(self) -> bool:
        """True when no recorded op made this tensor (a user-created tensor or a parameter)."""
        return self._node is None

    @property
    def grad_fn(self) -> Any:
        """The graph node that made this tensor; None for a leaf."""
        return self._node

    @property
    def is_cuda(self) -> bool:
        """True when the data lives on a GPU."""
        return self.device.type == "cuda"

    is_xpu = is_mps = is_sparse = is_quantized = is_meta = False  # minitorch has none of these

    def __len__(self) -> int:
        if self.array.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.array.shape[0]

    def __iter__(self) -> Iterator[Tensor]:
        if self.array.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self.array.shape[0]))

    def __hash__(self) -> int:  # identity, as PyTorch: tensors are dict keys (optimizer state)
        return id(self)

    def __repr__(self) -> str:
        return tensor_repr(self)

    def __format__(self, spec: str) -> str:
        """``f"{loss:.4f}"`` formats a 0-d tensor's value; other tensors take no format spec."""
        if self.array.ndim == 0 and type(self) is Tensor:
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    # --- grad -------------------------------------------------------------------------------
    @property
    def grad(self) -> Tensor | None:
        """The gradient accumulated by ``backward`` (None until then); assignable."""
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
        """Turn gradient recording on or off (off only on a leaf tensor); returns ``self``."""
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
        """Cut this tensor from the graph in place (it becomes a leaf that needs no gradient)."""
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


def _dim(dim: int, ndim: int) -> int:
    """``dim`` in ``range(ndim)``, counting negative ones from the end (PyTorch's IndexError)."""
    if ndim == 0:
        if dim in (0, -1):
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    elif -ndim <= dim < ndim:
        return dim % ndim
    raise IndexError(
        f"Dimension out of range (expected to be in range of [{-max(ndim, 1)}, "
        f"{max(ndim, 1) - 1}], but got {dim})"
    )
