"""The graph behind some outputs, copied out of the recorded ``Node`` objects at draw time.

A backward pass without ``retain_graph`` cuts every node's ``inputs``, so the structure is read
now, while it is whole: which call fed which, each call's Function/Layer and output shapes, the
parameters a Layer used (a Layer's parameters are not graph inputs: it adds their gradients
itself), and the forward values of the tensors at hand (the outputs and the named ones). The
gradients arrive later: a hook on each drawn node output keeps the gradient that flows into it,
and leaf gradients are read from ``.grad`` whenever the drawing is written out.
"""

from __future__ import annotations

import heapq
from collections import deque
from typing import Any, Iterable, Mapping

from minitorch.autograd import Tensor
from minitorch.autograd.hooks import RemovableHandle
from minitorch.backend import get_backend
from minitorch.nn.module import Module

AUTO_LIMIT = 4  # show_values="auto": numbers are written for tensors of at most 4 elements


class Slot:
    """One drawn tensor: its shape and, when captured, its forward value and gradient."""

    __slots__ = ("shape", "floating", "value", "grad", "grad_norm", "grad_passes")

    def __init__(self, shape: tuple, floating: bool) -> None:
        self.shape, self.floating = tuple(shape), floating
        self.value: Any = None  # host copy of the forward value
        self.grad: Any = None  # host copy of the latest incoming gradient
        self.grad_norm: float | None = None  # its 2-norm (kept when the tensor is too large)
        self.grad_passes = 0  # how many backward passes reached it


class Call:
    """One recorded call: the Function or Layer, one ``Slot`` per output, and its name."""

    __slots__ = ("fn", "title", "name", "outputs", "parameters", "freed")

    def __init__(self, fn: Any, title: str, outputs: list[Slot], freed: bool) -> None:
        self.fn, self.title, self.outputs, self.freed = fn, title, outputs, freed
        self.name: str | None = None  # the user's name for its (first) output, e.g. "u"
        self.parameters: list[tuple[str, Tensor]] = []  # a Layer's (local name, parameter)


class Leaf:
    """A leaf tensor (an input or a parameter): held so its ``.grad`` can be read later."""

    __slots__ = ("tensor", "name", "slot")

    def __init__(self, tensor: Tensor, name: str | None, slot: Slot) -> None:
        self.tensor, self.name, self.slot = tensor, name, slot


class Snapshot:
    """The drawn part of the graph.

    ``calls`` are in forward order; ``edges`` are ``(source, target, output index)`` with
    ``source`` a ``Call`` or a ``Leaf``; ``omitted`` counts the calls left out by ``max_nodes``
    and ``cut`` lists the drawn calls that had inputs among them.
    """

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.leaves: list[Leaf] = []
        self.roots: list[Call | Leaf] = []
        self.edges: list[tuple[Any, Call, int]] = []
        self.omitted = 0
        self.cut: list[Call] = []


def capture(x: Any, full: bool) -> Any:
    """A host copy of array ``x`` when it is small enough to write (or ``full``), else None."""
    if not (full or x.size <= AUTO_LIMIT):
        return None
    return get_backend(x).to_host(x).copy()


def norm(x: Any) -> float:
    """The 2-norm of array ``x`` as a float."""
    xp = get_backend(x).xp
    return float(xp.sqrt(xp.sum(x * x)))


def name_tables(params: Any) -> tuple[dict, dict, dict]:
    """Names from ``params`` (a dict or pairs of name -> Tensor, or a Module).

    Returns (id(leaf) -> name, (node, index) -> (name, tensor), id(module) -> module name).
    """
    modules: dict[int, str] = {}
    if params is None:
        pairs: Iterable = ()
    elif isinstance(params, Module):
        modules = {id(m): name for name, m in params.named_modules() if name}
        pairs = params.named_parameters()
    elif isinstance(params, Mapping):
        pairs = params.items()
    elif isinstance(params, Iterable) and not isinstance(params, (str, Tensor)):
        pairs = params
    else:
        raise TypeError(
            "draw_graph: params must be a dict {name: Tensor}, pairs (name, Tensor) such as "
            f"model.named_parameters(), or a Module; got {type(params).__name__}"
        )
    leaves: dict[int, str] = {}
    inner: dict[tuple, tuple[str, Tensor]] = {}
    for name, tensor in pairs:
        if not isinstance(tensor, Tensor):
            raise TypeError(
                f"draw_graph: params[{name!r}] must be a Tensor, got {type(tensor).__name__}"
            )
        if tensor.grad_fn is None:
            leaves[id(tensor)] = str(name)
        else:
            inner[(tensor.grad_fn, tensor._index)] = (str(name), tensor)
    return leaves, inner, modules


def take(roots: list[Tensor], params: Any, full: bool, max_nodes: int) -> Snapshot:
    """Copy the graph behind ``roots`` (at most ``max_nodes`` calls, nearest the outputs)."""
    for i, root in enumerate(roots):
        if root.grad_fn is not None and root.grad_fn.freed:
            raise RuntimeError(
                f"draw_graph: the graph behind output {i} was released by a backward() without "
                "retain_graph=True; call draw_graph before backward(): the drawing it returns "
                "writes the gradients in once backward has run"
            )
    leaf_names, inner_names, module_names = name_tables(params)
    for root in roots:
        if root.grad_fn is not None:
            inner_names.setdefault((root.grad_fn, root._index), (None, root))
    order = _walk([r.grad_fn for r in roots if r.grad_fn is not None])
    kept = order[:max_nodes]
    snap = Snapshot()
    snap.omitted = len(order) - len(kept)
    calls = {id(node): _call(node, module_names) for node in kept}
    leaves: dict[int, Leaf] = {}

    def leaf(tensor: Tensor, fallback: str | None) -> Leaf:
        found = leaves.get(id(tensor))
        if found is None:
            slot = Slot(tensor.shape, tensor.dtype.kind in "fc")
            slot.value = capture(tensor.array, full)
            name = leaf_names.get(id(tensor), fallback)
            found = leaves[id(tensor)] = Leaf(tensor, name, slot)
            snap.leaves.append(found)
        return found

    for node in reversed(kept):  # forward order: producers before their consumers
        call = calls[id(node)]
        snap.calls.append(call)
        for edge in node.inputs:
            if edge is None:
                continue
            if type(edge) is tuple:
                source = calls.get(id(edge[0]))
                if source is None:
                    if call not in snap.cut:
                        snap.cut.append(call)
                    continue
                snap.edges.append((source, call, edge[1]))
            else:
                snap.edges.append((leaf(edge, None), call, 0))
        for local, param in call.parameters:
            snap.edges.append((leaf(param, f"{type(node.fn).__name__}.{local}"), call, 0))
    _number_shared_calls(snap.calls)
    for (node, index), (name, tensor) in inner_names.items():
        call = calls.get(id(node))
        if call is not None:
            call.outputs[index].value = capture(tensor.array, full)
            if name is not None and (call.name is None or index == 0):
                call.name = name
    for root in roots:
        node = root.grad_fn
        snap.roots.append(calls[id(node)] if node is not None else leaf(root, None))
    for node in kept:
        _watch_gradients(node, calls[id(node)], full)
    return snap


def _walk(roots: list) -> list:
    """Nodes reachable from ``roots``, each before the nodes that produced its inputs.

    Among the nodes free to come next, the one found first breadth-first from the outputs
    comes first, so cutting the list at ``max_nodes`` keeps the calls nearest the outputs.
    """
    rank: dict[int, int] = {}
    found: list = []
    queue = deque(roots)
    for node in roots:
        rank.setdefault(id(node), len(rank))
    while queue:
        node = queue.popleft()
        found.append(node)
        for edge in node.inputs:
            if type(edge) is tuple and id(edge[0]) not in rank:
                rank[id(edge[0])] = len(rank)
                queue.append(edge[0])
    waiting = dict.fromkeys(rank, 0)  # consumers not yet listed, per node
    for node in found:
        for edge in node.inputs:
            if type(edge) is tuple:
                waiting[id(edge[0])] += 1
    ready = [(rank[id(n)], n) for n in found if waiting[id(n)] == 0]
    heapq.heapify(ready)
    order: list = []
    while ready:
        _, node = heapq.heappop(ready)
        order.append(node)
        for edge in node.inputs:
            if type(edge) is tuple:
                waiting[id(edge[0])] -= 1
                if waiting[id(edge[0])] == 0:
                    heapq.heappush(ready, (rank[id(edge[0])], edge[0]))
    return order


def _call(node: Any, module_names: dict) -> Call:
    fn = node.fn
    cls = getattr(fn, "cls", None)  # a Function.apply call: its node wraps the user's class
    title = (cls or type(fn)).__name__
    if id(fn) in module_names:
        title = f"{module_names[id(fn)]}: {title}"
    outputs = [Slot(shape, dtype.kind in "fc") for shape, dtype in node.out_meta]
    call = Call(fn, title, outputs, node.freed)
    if isinstance(fn, Module):
        call.parameters = [(n, p) for n, p in fn.named_parameters() if p is not None]
    return call


def _number_shared_calls(calls: list[Call]) -> None:
    """A Layer called several times (weight sharing, an unrolled RNN): say which call is which."""
    counts: dict[int, int] = {}
    for call in calls:
        if call.parameters:
            counts[id(call.fn)] = counts.get(id(call.fn), 0) + 1
    seen: dict[int, int] = {}
    for call in calls:
        if counts.get(id(call.fn), 0) > 1:
            seen[id(call.fn)] = seen.get(id(call.fn), 0) + 1
            call.title += f" (call {seen[id(call.fn)]} of {counts[id(call.fn)]})"


def _watch_gradients(node: Any, call: Call, full: bool) -> None:
    """Keep the gradient flowing into each float output of ``node`` during later backwards."""
    if node.freed:
        return
    if node.hooks is None:
        node.hooks = {}
    for index, slot in enumerate(call.outputs):
        if slot.floating:
            RemovableHandle(node.hooks.setdefault(index, {}), _keeper(slot, full))  # lives on node


def _keeper(slot: Slot, full: bool) -> Any:
    def keep(grad: Tensor) -> None:
        slot.grad = capture(grad.array, full)
        slot.grad_norm = norm(grad.array)
        slot.grad_passes += 1

    return keep
