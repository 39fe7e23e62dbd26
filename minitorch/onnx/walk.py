"""The walk from a model's outputs back through the recorded graph, converting each call once,
its inputs first, to ONNX nodes (with constant folding of calls on constants only).
"""

from __future__ import annotations

import warnings
from typing import Any

from minitorch.autograd import Tensor, no_grad
from minitorch.nn import Module
from minitorch.onnx import ops, trace
from minitorch.onnx.graph import (
    GraphBuilder,
    UnsupportedOperatorError,
    Value,
    constant,
    converter_for,
)


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

    def untracked_value(self, array: Any) -> Value | None:
        """The graph of an unrecorded op's result (a comparison ...), by its array, or None."""
        entry = self.untracked.get(id(array))
        if entry is None:
            return None
        name, args, out = entry
        known = self.g.known.get(id(out))
        if known is None:
            xs = [self.value_of(a) if isinstance(a, Tensor) else a for a in args]
            known = self.g.known[id(out)] = ops.UNTRACKED[name](self.g, xs, out)
        return known

    def leaf(self, t: Tensor, where: str) -> Value:
        known = self.g.known.get(id(t))
        if known is None:
            known = self.untracked_value(t.array)
        if known is None and type(t) is Tensor:
            warnings.warn(
                f"minitorch.onnx.export: {where} is a tensor that is neither an input nor a "
                f"parameter or buffer (made inside forward, or computed without gradient "
                f"recording), shape {tuple(t.shape)}; it is exported as a constant with its "
                "traced values",
                stacklevel=5,
            )
        return known if known is not None else self.g.tensor(t)

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
            else:  # a number, or an array (an unrecorded op's result, such as a mask, or not)
                xs.append(self.untracked_value(arg) or constant(arg))
        return xs

    def where(self, node: Any) -> str:
        """The module path of a recorded call, for error messages."""
        if not node.trace:
            return "the model's own forward"
        module = node.trace[-1]
        return f"{self.paths.get(id(module)) or '<model>'!r} ({type(module).__name__})"

    def convert(self, node: Any) -> None:
        fn, call = node.fn, self.calls.get(id(node))
        cls = getattr(fn, "cls", None)  # a PyTorch-style Function.apply: name the user's class
        name = f"{cls.__name__} (a Function.apply)" if cls is not None else type(fn).__name__
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
