"""Write a ``Snapshot`` as Graphviz DOT text, with the gradients known at the time of writing."""

from __future__ import annotations

from typing import Any

from minitorch.viz.snapshot import AUTO_LIMIT, Call, Leaf, Slot, Snapshot, capture, norm

STYLE = {
    "leaf": 'shape=ellipse, style=filled, fillcolor="#cfe2f3"',
    "constant": 'shape=ellipse, style=filled, fillcolor="#eeeeee"',
    "call": 'shape=box, style="rounded,filled", fillcolor="#ffffff"',
    "root": 'shape=box, style="rounded,filled", fillcolor="#d9ead3"',
    "released": 'shape=box, style="rounded,dashed"',
}


def to_dot(snap: Snapshot, full: bool, show_values: bool, show_grads: bool) -> str:
    """The DOT text of ``snap``: one node per leaf and per recorded call, edges forward."""
    ids: dict[int, str] = {}
    for i, leaf in enumerate(snap.leaves):
        ids[id(leaf)] = f"leaf{i}"
    for i, call in enumerate(snap.calls):
        ids[id(call)] = f"call{i}"
    roots = {id(r) for r in snap.roots}
    root_name = _root_name(snap) if show_grads else None
    lines = [
        "digraph minitorch {",
        '  graph [rankdir=LR, fontname="Helvetica", nodesep=0.3, ranksep=0.45];',
        '  node [fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=9, arrowsize=0.7];',
    ]
    for leaf in snap.leaves:
        kind = "leaf" if leaf.tensor.requires_grad else "constant"
        label = _leaf_label(leaf, full, show_values, show_grads, root_name)
        lines.append(f'  {ids[id(leaf)]} [label="{label}", {STYLE[kind]}];')
    for call in snap.calls:
        kind = "released" if call.freed else "root" if id(call) in roots else "call"
        label = _call_label(call, show_values, show_grads, root_name)
        lines.append(f'  {ids[id(call)]} [label="{label}", {STYLE[kind]}];')
    for source, target, index in snap.edges:
        several = isinstance(source, Call) and len(source.outputs) > 1
        attrs = f' [label="[{index}]"]' if several else ""
        lines.append(f"  {ids[id(source)]} -> {ids[id(target)]}{attrs};")
    if snap.omitted:
        lines.append(
            f'  omitted [label="{snap.omitted} earlier call(s) not drawn (max_nodes)", '
            "shape=plaintext];"
        )
        lines.extend(f"  omitted -> {ids[id(call)]} [style=dashed];" for call in snap.cut)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _root_name(snap: Snapshot) -> str | None:
    """``J`` when there is one output and it is named: gradients are then written ``dJ/da``."""
    if len(snap.roots) != 1:
        return None
    return snap.roots[0].name


def _grad_title(root_name: str | None, name: str | None) -> str:
    return f"d{root_name}/d{name}" if root_name and name else "grad"


def _leaf_label(leaf: Leaf, full: bool, show_values: bool, show_grads: bool,
                root_name: str | None) -> str:  # fmt: skip
    slot = leaf.slot
    lines = [leaf.name or "tensor"]
    lines += _shape_lines(slot, show_values)
    if show_values and slot.value is not None:
        lines.append(f"value = {format_array(slot.value)}")
    grad = leaf.tensor.grad
    if show_grads and grad is not None:
        title = _grad_title(root_name, leaf.name)
        small = capture(grad.array, full) if show_values else None
        if small is not None:
            lines.append(f"{title} = {format_array(small)}")
        else:
            lines.append(f"‖{title}‖ = {norm(grad.array):.4g}")
    return _escape(lines)


def _call_label(call: Call, show_values: bool, show_grads: bool, root_name: str | None) -> str:
    lines = [f"{call.name} = {call.title}" if call.name else call.title]
    several = len(call.outputs) > 1
    for i, slot in enumerate(call.outputs):
        tag = f"[{i}] " if several else ""
        lines += [tag + line for line in _shape_lines(slot, show_values)]
        if show_values and slot.value is not None:
            lines.append(f"{tag}value = {format_array(slot.value)}")
        if show_grads and slot.grad_passes:
            title = _grad_title(root_name, call.name if not several else None)
            if show_values and slot.grad is not None:
                lines.append(f"{tag}{title} = {format_array(slot.grad)}")
            else:
                lines.append(f"{tag}‖{title}‖ = {slot.grad_norm:.4g}")
    if call.freed:
        lines.append("(released by an earlier backward)")
    return _escape(lines)


def _shape_lines(slot: Slot, show_values: bool) -> list[str]:
    if slot.shape:
        return [str(slot.shape)]
    return [] if show_values and slot.value is not None else ["scalar"]


def format_array(x: Any) -> str:
    """``33``, ``[1, -2.5]``, ``[[1, 2], [3, 4]]``, or ``[0.1, 0.2, 0.3, …, 0.9] (50 values)``."""
    if x.ndim == 0 or x.size == 1:
        return _number(x.reshape(-1)[0].item())
    if x.size <= max(AUTO_LIMIT, 6):
        return _nested(x.tolist())
    flat = x.reshape(-1)
    head = ", ".join(_number(v) for v in flat[:3].tolist())
    return f"[{head}, …, {_number(flat[-1].item())}] ({x.size} values)"


def _nested(values: Any) -> str:
    if isinstance(values, list):
        return "[" + ", ".join(_nested(v) for v in values) + "]"
    return _number(values)


def _number(v: Any) -> str:
    return f"{v:.4g}" if not isinstance(v, complex) else str(v)


def _escape(lines: list[str]) -> str:
    return "\\n".join(line.replace("\\", "\\\\").replace('"', '\\"') for line in lines)
