"""``minitorch.onnx.export``: PyTorch's signature; the graph comes from one traced forward call.

The model runs once on ``args`` (in eval mode, every call recorded, see ``trace.py``); the walk
goes back from the outputs through ``grad_fn`` / ``node.inputs`` and hands each recorded call to
the converter registered for its Function or Layer class (``ops.py``, ``layers.py``,
``recurrent.py``, ``attention.py``), which emits standard ONNX operators. Parameters are matched
by identity and become initializers named as in ``model.named_parameters()``.
"""

from __future__ import annotations

import inspect
import os
import warnings
from typing import Any, BinaryIO

from minitorch.autograd import Tensor, no_grad
from minitorch.nn import Module
from minitorch.onnx import attention, layers, ops, recurrent, trace  # noqa: F401  (converters)
from minitorch.onnx.graph import (
    GraphBuilder,
    UnsupportedOperatorError,
    Value,
    constant,
    converter_for,
)

MIN_OPSET = 13  # axes of Squeeze/Unsqueeze/ReduceSum as inputs, Softmax over one axis


def _package() -> Any:
    try:
        import onnx
    except ImportError as err:
        raise ImportError(
            "minitorch.onnx.export needs the onnx package: pip install onnx "
            "(or pip install 'minitorch[onnx]')"
        ) from err
    return onnx


class Walker:
    """Converts the recorded graph behind some output Tensors, each node once, inputs first."""

    def __init__(self, g: GraphBuilder, rec: trace.Recording, paths: dict, fold: bool) -> None:
        self.g, self.calls, self.untracked = g, rec.calls, rec.untracked
        self.paths, self.fold = paths, fold
        self.produced: dict[int, tuple] = {}  # id(node) -> its output Values

    def value_of(self, t: Tensor) -> Value:
        node = t.grad_fn
        if node is None:
            return self.leaf(t, "an output")
        self.convert_graph(node)
        call = self.calls.get(id(node))
        return self.produced[id(node)][call.index_of(t) if call else 0]

    def leaf(self, t: Tensor, where: str) -> Value:
        known = self.g.known.get(id(t))
        if known is None and id(t) in self.untracked:
            name, args, _ = self.untracked[id(t)]
            xs = [self.value_of(a) if isinstance(a, Tensor) else a for a in args]
            known = self.g.known[id(t)] = ops.UNTRACKED[name](self.g, xs, t)
        if known is None and type(t) is Tensor:
            warnings.warn(
                f"minitorch.onnx.export: {where} is a tensor that is neither an input nor a "
                f"parameter or buffer (made inside forward, or computed without gradient "
                f"recording), shape {tuple(t.shape)}; it is exported as a constant with its "
                "traced values",
                stacklevel=5,
            )
        return self.g.tensor(t)

    def sources(self, node: Any) -> list:
        """The nodes whose outputs ``node`` reads (graph edges, and unrecorded arguments)."""
        call = self.calls.get(id(node))
        out = [edge[0] for edge in node.inputs if type(edge) is tuple]
        if call is not None:
            out += [a.grad_fn for a in call.args if isinstance(a, Tensor) and a.grad_fn]
        return out

    def convert_graph(self, root: Any) -> None:
        """Convert ``root`` and everything it depends on, in dependency order (no recursion)."""
        stack, seen = [(root, False)], set()
        while stack:
            node, ready = stack.pop()
            if id(node) in self.produced:
                continue
            if ready:
                self.convert(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack += [(s, False) for s in self.sources(node) if id(s) not in self.produced]

    def inputs(self, node: Any, call: trace.Call) -> list:
        xs: list = []
        for i, edge in enumerate(node.inputs):
            arg = call.args[i] if i < len(call.args) else None
            if type(edge) is tuple:
                xs.append(self.produced[id(edge[0])][edge[1]])
            elif edge is not None:
                xs.append(self.leaf(edge, f"input {i} of {type(node.fn).__name__}"))
            elif isinstance(arg, Tensor):
                xs.append(
                    self.value_of(arg)
                    if arg.grad_fn is not None
                    else self.leaf(arg, f"input {i} of {type(node.fn).__name__}")
                )
            elif arg is None or not (isinstance(arg, (bool, int, float)) or hasattr(arg, "dtype")):
                xs.append(arg)
            else:
                xs.append(constant(arg))
        return xs

    def where(self, node: Any) -> str:
        """The module path of a recorded call, for error messages."""
        if not node.trace:
            return "the model's own forward"
        module = node.trace[-1]
        return f"{self.paths.get(id(module)) or '<model>'!r} ({type(module).__name__})"

    def convert(self, node: Any) -> None:
        fn, call = node.fn, self.calls.get(id(node))
        name = type(fn).__name__
        if call is None:
            raise UnsupportedOperatorError(
                f"minitorch.onnx.export: a {name} call in the graph was recorded outside the "
                "traced forward (an input that already carries a graph?); pass leaf tensors"
            )
        xs = self.inputs(node, call)
        values = [x for x in xs if isinstance(x, Value)]
        if self.fold and values and all(v.is_const for v in values) and not isinstance(fn, Module):
            outs = self.evaluate(fn, xs, call)
        else:
            convert = converter_for(fn)
            if convert is None:
                raise UnsupportedOperatorError(
                    f"minitorch.onnx.export: no ONNX mapping for {name} (called in "
                    f"{self.where(node)}); build the model from layers and tensor ops that have "
                    "one (see docs/interop.md), or compute this part outside the exported model"
                )
            try:
                out = convert(self.g, fn, xs, node.out_meta)
            except UnsupportedOperatorError as err:
                raise UnsupportedOperatorError(f"{err} (called in {self.where(node)})") from None
            outs = out if isinstance(out, (tuple, list)) else (out,)
        for v, (shape, dtype) in zip(outs, node.out_meta):
            if v is not None and v.shape is None:
                v.shape, v.dtype = tuple(shape), dtype
        self.produced[id(node)] = tuple(outs)

    def evaluate(self, fn: Any, xs: list, call: trace.Call) -> tuple:
        """Constant folding: run the call's forward now, on the constants' host arrays."""
        with no_grad():
            y = fn.forward(*[x.const if isinstance(x, Value) else x for x in xs], **call.kwargs)
        return tuple(constant(o) for o in (y if isinstance(y, tuple) else (y,)))


def _split_args(args: Any) -> tuple[tuple, dict]:
    """PyTorch's ``args``: a Tensor, or a tuple whose last item may be a dict of kwargs."""
    if isinstance(args, Tensor):
        return (args,), {}
    if not isinstance(args, (tuple, list)):
        raise TypeError(
            f"minitorch.onnx.export: args must be a Tensor or a tuple of Tensors, got "
            f"{type(args).__name__}"
        )
    args = tuple(args)
    if args and isinstance(args[-1], dict):
        return args[:-1], dict(args[-1])
    return args, {}


def _flat_outputs(out: Any) -> list[Tensor]:
    """The model's output as a flat list of Tensors (nested tuples and lists; None dropped)."""
    if isinstance(out, Tensor):
        return [out]
    if isinstance(out, (tuple, list)):
        return [t for item in out if item is not None for t in _flat_outputs(item)]
    raise TypeError(
        f"minitorch.onnx.export: the model returned a {type(out).__name__}; only Tensors and "
        "(nested) tuples or lists of Tensors can be graph outputs"
    )


def _names(given: list | None, count: int, defaults: list[str], kind: str) -> list[str]:
    given = list(given or [])
    if len(given) > count:
        raise ValueError(
            f"minitorch.onnx.export: {len(given)} {kind}_names given for {count} {kind}s"
        )
    return given + defaults[len(given) : count]


def _default_input_names(model: Any, count: int) -> list[str]:
    """The forward's parameter names (as PyTorch), else input_0, input_1, ..."""
    try:
        params = list(inspect.signature(model.forward).parameters.values())
    except (TypeError, ValueError):
        params = []
    names = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return [names[i] if i < len(names) else f"input_{i}" for i in range(count)]


def _dims(dynamic_axes: dict, name: str, shape: tuple) -> list | None:
    """A graph value's dims: ints, with the named dynamic axes as strings."""
    axes = dynamic_axes.get(name)
    if axes is None:
        return list(shape)
    if not isinstance(axes, dict):  # a list of axes: PyTorch names them itself
        axes = {int(a): f"{name}_dynamic_axes_{k + 1}" for k, a in enumerate(axes)}
    dims: list = list(shape)
    for axis, label in axes.items():
        if not -len(dims) <= int(axis) < len(dims):
            raise ValueError(
                f"minitorch.onnx.export: dynamic axis {axis} of {name!r} is out of range for "
                f"shape {tuple(shape)}"
            )
        dims[int(axis)] = str(label)
    return dims


def export(model: Any, args: Any, f: str | os.PathLike | BinaryIO,
           input_names: list[str] | None = None, output_names: list[str] | None = None,
           dynamic_axes: dict | None = None, opset_version: int = 17, export_params: bool = True,
           do_constant_folding: bool = True, verbose: bool = False) -> None:  # fmt: skip
    """Write ``model`` as an ONNX file, as ``torch.onnx.export`` (the TorchScript exporter).

    ``args``: a Tensor or a tuple of Tensors (the last item may be a dict of keyword arguments);
    ``f``: a path or a binary file object; ``dynamic_axes``: ``{"input": {0: "batch"}}`` (or a
    list of axes). The model is traced once in eval mode (its modes are restored after);
    ``export_params=False`` makes the parameters graph inputs; ``do_constant_folding`` computes
    now what depends on constants only (a slice of a parameter, a transposed weight).
    """
    onnx = _package()
    newest = onnx.defs.onnx_opset_version()
    if not isinstance(opset_version, int) or not MIN_OPSET <= opset_version <= newest:
        raise ValueError(
            f"minitorch.onnx.export: opset_version must be an int in [{MIN_OPSET}, {newest}], "
            f"got {opset_version!r}"
        )
    args, kwargs = _split_args(args)
    traced = tuple(trace.traced_copy(a) if isinstance(a, Tensor) else a for a in args)
    kwargs = {k: trace.traced_copy(v) if isinstance(v, Tensor) else v for k, v in kwargs.items()}
    out, rec = trace.run(model, traced, kwargs)
    outputs = _flat_outputs(out)
    positional = [t for t in traced if isinstance(t, Tensor)]
    keyword = [(k, v) for k, v in kwargs.items() if isinstance(v, Tensor)]
    inputs = positional + [v for _, v in keyword]  # as PyTorch: keyword tensors after
    params = list(model.named_parameters())
    n_in = len(inputs) + (0 if export_params else len(params))
    defaults = _default_input_names(model, len(positional)) + [k for k, _ in keyword]
    defaults += [n for n, _ in params]
    in_names = _names(input_names, n_in, defaults, "input")
    one = len(outputs) == 1
    out_defaults = ["output"] if one else [f"output_{i}" for i in range(len(outputs))]
    out_names = _names(output_names, len(outputs), out_defaults, "output")
    dynamic_axes = dict(dynamic_axes or {})
    unknown = set(dynamic_axes) - set(in_names) - set(out_names)
    if unknown:
        raise ValueError(
            f"minitorch.onnx.export: dynamic_axes names {sorted(unknown)} are neither input nor "
            f"output names (inputs {in_names}, outputs {out_names})"
        )

    g = GraphBuilder(opset_version, do_constant_folding)
    helper = onnx.helper
    graph_inputs = [*inputs, *([] if export_params else [p for _, p in params])]
    for name, t in zip(in_names, graph_inputs):
        g.known[id(t)] = Value(g.claim(name), tuple(t.shape), t.dtype)
        elem = helper.np_dtype_to_tensor_dtype(t.dtype)
        g.inputs.append(
            helper.make_tensor_value_info(name, elem, _dims(dynamic_axes, name, t.shape))
        )
    for name, t in [*(params if export_params else []), *model.named_buffers()]:
        g.known.setdefault(id(t), g.parameter(name, t.array))
    paths = {id(m): name for name, m in model.named_modules()}
    walker = Walker(g, rec, paths, do_constant_folding)
    graph_outputs = []
    for name, t in zip(out_names, outputs):
        v = walker.value_of(t)
        source = g.name(v)
        if source in {i.name for i in g.inputs} or v.is_const or source in out_names:
            g.nodes.append(helper.make_node("Identity", [source], [g.claim(name)]))
        else:
            g.rename(source, g.claim(name))
            v.name = name
        elem = helper.np_dtype_to_tensor_dtype(t.dtype)
        # an output without dynamic axes of its own, in a graph with some: its dims unstated
        known = name in dynamic_axes or not dynamic_axes
        dims = _dims(dynamic_axes, name, t.shape) if known else [None] * t.ndim
        graph_outputs.append(helper.make_tensor_value_info(name, elem, dims))
    graph = helper.make_graph(g.nodes, type(model).__name__, g.inputs, graph_outputs,
                              g.initializers)  # fmt: skip
    opsets = [helper.make_opsetid("", opset_version)]
    proto = helper.make_model(graph, opset_imports=opsets, producer_name="minitorch",
                              ir_version=helper.find_min_ir_version_for(opsets))  # fmt: skip
    onnx.checker.check_model(proto)
    if verbose:
        printer = getattr(onnx, "printer", None)  # onnx >= 1.14 prints the model as text
        print(printer.to_text(graph) if printer else helper.printable_graph(graph))
    data = proto.SerializeToString()
    if hasattr(f, "write"):
        f.write(data)
    else:
        with open(os.fspath(f), "wb") as out_file:
            out_file.write(data)
