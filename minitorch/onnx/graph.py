"""The ONNX graph being built: ``Value`` (one tensor of the graph) and ``GraphBuilder`` (names,
initializers and nodes, through ``onnx.helper``).

A Value is either known at export time (``const``: a host array or a Python number, written as
an initializer when an ONNX node first reads it) or computed by the graph (``name`` only).
Converters (``ops.py``, ``layers.py``, ``recurrent.py``, ``attention.py``) receive Values and
emit nodes with ``g.op(...)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np  # constants of the exported file (host arrays only)

from minitorch.backend import get_backend


class UnsupportedOperatorError(RuntimeError):
    """A call in the traced graph has no ONNX mapping (or a configuration that has none)."""


class Value:
    """One tensor of the graph: its ONNX ``name`` (None until a constant is written), the traced
    ``shape`` and ``dtype`` (None inside decompositions), and ``const`` when known now."""

    __slots__ = ("name", "shape", "dtype", "const")

    def __init__(self, name: str | None = None, shape: tuple | None = None, dtype: Any = None,
                 const: Any = None) -> None:  # fmt: skip
        self.name, self.shape, self.dtype, self.const = name, shape, dtype, const

    @property
    def is_const(self) -> bool:
        return self.const is not None

    def __repr__(self) -> str:
        return f"Value({self.name!r}, shape={self.shape}, const={self.const is not None})"


def host(array: Any) -> np.ndarray:
    """``array`` (any backend's) as a NumPy array."""
    return np.asarray(get_backend(array).to_host(array)) if hasattr(array, "dtype") else array


def constant(array: Any) -> Value:
    """A Value known at export time: a backend array (kept as a host array) or a Python number
    (kept as it is, so that folding a call on it promotes as the traced call did)."""
    if isinstance(array, (bool, int, float)):
        return Value(None, (), None, array)
    data = np.asarray(host(array))
    return Value(None, data.shape, data.dtype, data)


CONVERTERS: dict = {}  # Function class -> converter(g, fn, inputs, meta) -> Value or tuple


def converts(*classes: type) -> Any:
    """Register the decorated function as the ONNX converter of ``classes`` (and subclasses
    that have none of their own)."""

    def register(convert: Any) -> Any:
        for cls in classes:
            CONVERTERS[cls] = convert
        return convert

    return register


def converter_for(fn: Any) -> Any:
    """The converter registered for ``type(fn)`` or its nearest base class, or None; a subclass
    with a ``forward`` of its own computes something else, so it has none."""
    for cls in type(fn).__mro__:
        if cls in CONVERTERS:
            return CONVERTERS[cls] if type(fn).forward is cls.forward else None
    return None


class GraphBuilder:
    """Collects the nodes and initializers of one graph; ``op`` adds a node, ``name`` writes a
    constant as an initializer the first time a node reads it."""

    def __init__(self, opset: int, fold: bool = True) -> None:
        import onnx

        self.onnx, self.opset, self.fold = onnx, opset, fold
        self.known: dict[int, Value] = {}  # id(tensor) -> Value: graph inputs, parameters, buffers
        self.nodes: list = []
        self.initializers: list = []
        self.inputs: list = []  # ValueInfoProtos of the graph inputs
        self._used: set[str] = set()
        self._written: set[str] = set()  # constants already written as initializers

    def fresh(self, hint: str) -> str:
        """A name not used yet in this graph, ``hint`` itself when free."""
        name, k = hint, 0
        while name in self._used:
            k += 1
            name = f"{hint}.{k}"
        self._used.add(name)
        return name

    def claim(self, name: str) -> str:
        """Reserve an exact name (graph inputs, parameters); refuse a clash."""
        if name in self._used:
            raise ValueError(f"minitorch.onnx.export: the name {name!r} is used twice")
        self._used.add(name)
        return name

    def name(self, v: Value | str | None) -> str:
        """The ONNX name of ``v`` (an empty string for an absent optional input)."""
        if v is None:
            return ""
        if isinstance(v, str):
            return v
        if v.const is not None and v.name not in self._written:
            if v.name is None:
                v.name = self.fresh("const")
            self._written.add(v.name)
            self.initializers.append(
                self.onnx.numpy_helper.from_array(np.asarray(v.const), v.name)
            )
        return v.name

    def parameter(self, name: str, array: Any) -> Value:
        """A named constant (a parameter or buffer), written under ``name`` when first read."""
        v = constant(array)
        v.name = self.claim(name)
        return v

    def tensor(self, t: Any) -> Value | None:
        """The Value of a Tensor a layer reads (``fn.weight``): its parameter's, or a constant."""
        if t is None:
            return None
        known = self.known.get(id(t))
        return known if known is not None else constant(t.array)

    def rename(self, old: str, new: str) -> None:
        """Give the value ``old`` (a node output) the name ``new`` everywhere."""
        for node in self.nodes:
            for field in (node.input, node.output):
                for i, n in enumerate(field):
                    if n == old:
                        field[i] = new

    def ints(self, values: Any) -> Value:
        """An int64 1-D constant (axes, shapes, pads as ONNX inputs)."""
        return constant(np.asarray(list(values), dtype=np.int64))

    def scalar(self, value: float, dtype: Any) -> Value:
        """A 0-d constant of ``dtype`` (the other operand's, as ONNX needs equal types)."""
        return constant(np.asarray(value, dtype=dtype))

    def op(self, op_type: str, inputs: list, n_out: int = 1, hint: str | None = None,
           **attrs: Any) -> Any:  # fmt: skip
        """Add one node; returns its output Value (a list of them when ``n_out`` > 1)."""
        names = [self.name(v) for v in inputs]
        while names and names[-1] == "":  # trailing absent optional inputs are simply left off
            names.pop()
        outs = [self.fresh(f"{hint or op_type}_out") for _ in range(n_out)]
        node = self.onnx.helper.make_node(
            op_type,
            names,
            outs,
            name=self.fresh(op_type),
            **{k: v for k, v in attrs.items() if v is not None},
        )
        self.nodes.append(node)  # fmt: skip
        values = [Value(o) for o in outs]
        return values[0] if n_out == 1 else values

    def cast(self, v: Value, dtype: Any) -> Value:
        """``v`` in ``dtype`` (a constant is converted now, a computed value by a Cast node)."""
        dtype = np.dtype(dtype)
        if v.is_const:
            return constant(np.asarray(v.const).astype(dtype))
        if v.dtype is not None and np.dtype(v.dtype) == dtype:
            return v
        to = self.onnx.helper.np_dtype_to_tensor_dtype(dtype)
        out = self.op("Cast", [v], to=to)
        out.dtype = dtype
        return out

    def axes_op(self, op_type: str, x: Value, axes: Any, since: int, **attrs: Any) -> Value:
        """An op whose ``axes`` became an input at opset ``since`` (attribute before)."""
        if axes is None:
            return self.op(op_type, [x], **attrs)
        axes = [int(a) for a in axes]
        if self.opset >= since:
            return self.op(op_type, [x, self.ints(axes)], **attrs)
        return self.op(op_type, [x], axes=axes, **attrs)

    def reduce(self, op_type: str, x: Value, axes: Any, keepdims: bool) -> Value:
        """ReduceSum (axes an input from opset 13) or ReduceMean/Max/Min (from opset 18)."""
        since = 13 if op_type == "ReduceSum" else 18
        return self.axes_op(op_type, x, axes, since, keepdims=int(keepdims))

    def unsqueeze(self, x: Value, axes: Any) -> Value:
        return self.axes_op("Unsqueeze", x, axes, 13)

    def squeeze(self, x: Value, axes: Any) -> Value:
        return self.axes_op("Squeeze", x, axes, 13)
