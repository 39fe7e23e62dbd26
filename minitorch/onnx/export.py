"""``minitorch.onnx.export``: PyTorch's signature; the graph comes from one traced forward call.

The model runs once on ``args`` (in eval mode, every call recorded, see ``trace.py``); the walk
(``walk.py``) goes back from the outputs through ``grad_fn`` / ``node.inputs`` and hands each
recorded call to the converter registered for its Function or Layer class (``ops.py``,
``layers.py``, ``norm.py``, ``recurrent.py``, ``attention.py``), which emits standard ONNX
operators. Parameters are matched
by identity and become initializers named as in ``model.named_parameters()``.
"""

from __future__ import annotations

import inspect
import os
from typing import Any, BinaryIO

from minitorch.autograd import Tensor
from minitorch.onnx import attention, layers, norm, ops, pointwise, recurrent, trace  # noqa: F401
from minitorch.onnx.graph import GraphBuilder, Value
from minitorch.onnx.walk import Walker

MIN_OPSET = 13  # axes of Squeeze/Unsqueeze/ReduceSum as inputs, Softmax over one axis


def _package() -> Any:
    try:
        import onnx
    except ImportError as err:
        raise ImportError(
            "minitorch.onnx.export needs the onnx package: pip install onnx "
            "(or pip install '.[onnx]' in a clone of the repository)"
        ) from err
    return onnx


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
    """The model's output as a flat list of Tensors (nested tuples, lists and dict values, in
    order; None dropped, as PyTorch)."""
    if isinstance(out, Tensor):
        return [out]
    if isinstance(out, dict):
        out = list(out.values())
    if isinstance(out, (tuple, list)):
        return [t for item in out if item is not None for t in _flat_outputs(item)]
    raise TypeError(
        f"minitorch.onnx.export: the model returned a {type(out).__name__}; only Tensors and "
        "(nested) tuples, lists or dicts of Tensors can be graph outputs"
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


def _write_outputs(g: GraphBuilder, walker: Walker, outputs: list, names: list[str],
                   dynamic_axes: dict) -> list:  # fmt: skip
    """Convert what each output depends on and give it its name; its ValueInfoProtos."""
    helper, infos = g.onnx.helper, []
    for name, t in zip(names, outputs):
        v = walker.value_of(t)
        source = g.name(v)
        if source in {i.name for i in g.inputs} or v.is_const or source in names:
            g.nodes.append(helper.make_node("Identity", [source], [g.claim(name)]))
        else:  # a node's output: renamed in place
            g.rename(source, g.claim(name))
            v.name = name
        # an output without dynamic axes of its own, in a graph with some: its dims unstated
        known = name in dynamic_axes or not dynamic_axes
        dims = _dims(dynamic_axes, name, t.shape) if known else [None] * t.ndim
        infos.append(helper.make_tensor_value_info(name, helper.np_dtype_to_tensor_dtype(t.dtype),
                                                   dims))  # fmt: skip
    return infos


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
    graph_outputs = _write_outputs(g, walker, outputs, out_names, dynamic_axes)
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
