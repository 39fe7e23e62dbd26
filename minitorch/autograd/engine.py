"""The reverse-mode engine: walk recorded calls from the output back, summing gradients per path.

Each node's ``backward`` runs once, after every consumer of its outputs has contributed, so a
tensor used on several paths receives the sum of their gradients (the multivariate chain rule).

Leaf gradients (the ``.grad`` of inputs and parameters) are summed over the whole pass first,
then each leaf's hooks run once on its total and the total is added into ``.grad``. Layers add
parameter gradients through ``accumulate_grad`` (``Layer.add_grad``), so a parameter receives
its contributions the same way whether they come from layers or from elementary ops.
``grad(outputs, inputs)`` runs the same walk but returns the gradients instead of storing them.

Kept in one file (a little over 300 lines): the walk, the per-pass leaf sums and ``grad()``
share the pass's state, and splitting them would spread one algorithm over several files.
"""

from __future__ import annotations

from typing import Any, Sequence

from minitorch.autograd import grad_mode
from minitorch.autograd.anomaly import check_finite
from minitorch.autograd.function import Node, explain_param_grad_error, running
from minitorch.autograd.tensor import Tensor
from minitorch.backend import as_array, get_backend


class LeafSums:
    """The leaf gradients of one backward pass: tensor -> summed array, in arrival order.

    ``capture`` (for ``grad()``) maps ``id(leaf)`` to its slot in the result; leaves outside
    it are dropped, so ``grad()`` never touches any ``.grad``.
    """

    def __init__(self, capture: dict[int, int] | None = None) -> None:
        self.sums: dict[int, list] = {}  # id(tensor) -> [tensor, array, owned]
        self.capture = capture

    def add(self, tensor: Tensor, grad: Any, fresh: bool) -> None:
        """``fresh``: ``grad`` was computed for this leaf alone and may be kept as is."""
        if self.capture is not None and id(tensor) not in self.capture:
            return  # grad(): a leaf nobody asked for
        if grad.dtype != tensor.dtype:
            grad, fresh = grad.astype(tensor.dtype), True
        entry = self.sums.get(id(tensor))
        if entry is None:
            self.sums[id(tensor)] = [tensor, grad, fresh]
        elif entry[2]:
            entry[1] += grad
        else:  # the first contribution may be shared with another path: sum out of place
            entry[1], entry[2] = entry[1] + grad, True

    def flush(self, ids: Any = None) -> None:
        """For each leaf (those in ``ids``, or all): run its hooks on its total, add the total
        into its ``.grad``, then run its post-accumulate hooks."""
        for key in list(self.sums) if ids is None else ids:
            entry = self.sums.pop(key, None)
            if entry is None:
                continue
            tensor, grad, fresh = entry
            grad = _run_hooks(tensor._hooks, grad)
            if tensor._grad is None:
                tensor._grad = Tensor(grad if fresh else grad.copy())
            else:
                tensor._grad.array += grad
            for hook in list((tensor._post_hooks or {}).values()):
                hook(tensor)


_passes: list[LeafSums] = []  # the backward passes running now (nested ones inside hooks)


def accumulate_grad(tensor: Tensor, grad: Any, fresh: bool = True) -> None:
    """Add ``grad`` to leaf ``tensor``'s gradient: into the running backward pass's sums, or
    straight into ``.grad`` for an explicit ``layer.backward(dy)`` outside any pass."""
    if _passes:
        _passes[-1].add(tensor, grad, fresh)
    elif tensor._grad is None:
        tensor._grad = Tensor(grad if fresh else grad.copy())
    else:
        tensor._grad.array += grad


def backward(tensors: Any, grad_tensors: Any = None, retain_graph: bool = False) -> None:
    """``mt.autograd.backward([y1, y2], [g1, g2])``: one pass from several outputs."""
    roots = _as_tuple(tensors)
    run_backward(roots, _grads_for(roots, grad_tensors), retain_graph)


def grad(outputs: Any, inputs: Any, grad_outputs: Any = None, retain_graph: bool | None = None,
         create_graph: bool = False, allow_unused: bool | None = None,
         materialize_grads: bool = False) -> tuple:  # fmt: skip
    """d(outputs)/d(inputs), returned as a tuple of Tensors; no ``.grad`` is changed.

    As ``torch.autograd.grad``: ``grad_outputs`` weights non-scalar outputs, ``retain_graph``
    defaults to ``create_graph``, an input that the outputs do not depend on is an error unless
    ``allow_unused`` (then its gradient is None, or zeros with ``materialize_grads``).
    ``create_graph=True`` (gradients that are themselves differentiable) is not supported:
    minitorch's backward runs on arrays, so it raises rather than return a graph-less result.
    """
    if create_graph:
        raise NotImplementedError(
            "grad(create_graph=True): higher-order gradients are not supported (backward runs "
            "on arrays and records no graph)"
        )
    roots, targets = _as_tuple(outputs), _as_tuple(inputs)
    for i, t in enumerate(targets):
        if not isinstance(t, Tensor) or not t.requires_grad:
            raise RuntimeError(f"grad(): input {i} is not a Tensor that requires grad")
    allow_unused = materialize_grads if allow_unused is None else allow_unused
    if materialize_grads and not allow_unused:
        raise ValueError("grad(): materialize_grads=True needs allow_unused True or None")
    capture = {id(t): i for i, t in enumerate(targets) if t._node is None}
    inner = {(t._node, t._index): i for i, t in enumerate(targets) if t._node is not None}
    sums = LeafSums(capture)
    found = run_backward(roots, _grads_for(roots, grad_outputs), bool(retain_graph), sums, inner)
    for entry in sums.sums.values():
        found[capture[id(entry[0])]] = _run_hooks(entry[0]._hooks, entry[1])
    found = [found.get(i) for i in range(len(targets))]
    out = []
    for i, (t, g) in enumerate(zip(targets, found)):
        if g is None and not allow_unused:
            raise RuntimeError(
                f"grad(): input {i} was not used to compute the outputs; pass allow_unused=True "
                "if that is expected"
            )
        if g is None and materialize_grads:
            g = get_backend(t.array).xp.zeros_like(t.array)
        out.append(None if g is None else Tensor(g))
    return tuple(out)


def run_backward(roots: Sequence[Tensor], grads: Sequence[Any], retain_graph: bool,
                 sums: LeafSums | None = None, inner: dict | None = None) -> dict:  # fmt: skip
    """The walk. ``inner`` maps (node, output index) of the non-leaf tensors whose gradient
    ``grad()`` wants to a slot; returns slot -> gradient for those reached."""
    sums = LeafSums() if sums is None else sums
    found: dict = {}
    pending: dict[Node, list] = {}
    _passes.append(sums)
    try:
        for root, seed in zip(roots, grads):
            seed = _seed_gradient(root, seed)
            if root._node is None:
                sums.add(root, seed, fresh=False)
            else:
                _add_to(pending, root._node, root._index, seed)
        with grad_mode.no_grad():
            order = _reverse_topological(list(pending))
            # with post-accumulate hooks (DDP), each leaf is finished after its last contributor
            done = _last_contributors(order) if early_flush[0] and sums.capture is None else {}
            for position, node in enumerate(order):
                node_grads = pending.pop(node, None)
                if node_grads is None:
                    sums.flush(done.get(position, ()))
                    continue  # no gradient reached this node along any path
                if inner:
                    for index, g in enumerate(node_grads):
                        slot = inner.get((node, index))
                        if slot is not None and g is not None:
                            found[slot] = _run_hooks((node.hooks or {}).get(index), g)
                input_grads = _call_backward(node, node_grads, retain_graph, sums.capture is None)
                for edge, g in zip(node.inputs, input_grads):
                    if edge is not None and g is not None:
                        _route(sums, pending, node, edge, g)
                if position in done:
                    sums.flush(done[position])
                if not retain_graph:
                    # Let go of the inputs too: otherwise the previous step's activations stay
                    # alive through `loss` until it is rebound, doubling the next peak memory.
                    node.inputs = (None,) * len(node.inputs)
        if sums.capture is None:
            sums.flush()
    finally:
        _passes.pop()
    return found


early_flush = [False]  # set once a post-accumulate hook exists (Tensor.register_post_...)


def _last_contributors(order: list[Node]) -> dict[int, list[int]]:
    """position in ``order`` -> ids of the leaves whose last contribution comes from that node:
    the leaves among its inputs and the parameters its Function adds gradients to."""
    last: dict[int, int] = {}
    for position, node in enumerate(order):
        for edge in node.inputs:
            if edge is not None and type(edge) is not tuple:
                last[id(edge)] = position
        for param in node.params:
            last[id(param)] = position
    done: dict[int, list[int]] = {}
    for key, position in last.items():
        done.setdefault(position, []).append(key)
    return done


def _route(sums: LeafSums, pending: dict, node: Node, edge: Any, g: Any) -> None:
    """Send one input gradient of ``node`` to the leaf or the call that produced the input."""
    g = as_array(g)  # NumPy turns 0-d results into scalars, which cannot be updated in place
    leaf = type(edge) is not tuple
    shape, dtype = (edge.shape, edge.dtype) if leaf else edge[0].out_meta[edge[1]]
    if g.shape != shape:
        raise RuntimeError(
            f"{type(node.fn).__name__}.backward returned a gradient of shape "
            f"{tuple(g.shape)} for an input of shape {tuple(shape)}"
        )
    if leaf:
        sums.add(edge, g, fresh=False)
    else:
        if g.dtype != dtype:  # an op that promoted its inputs (float32 * float64 0-d)
            g = g.astype(dtype)
        _add_to(pending, edge[0], edge[1], g)


def _run_hooks(hooks: dict | None, grad: Any) -> Any:
    """Tensor hooks: each sees the gradient as a Tensor and may return a replacement."""
    for hook in (hooks or {}).values():
        result = hook(Tensor(grad))
        if result is not None:
            grad = result.array if isinstance(result, Tensor) else result
    return grad


def _as_tuple(tensors: Any) -> tuple:
    return (tensors,) if isinstance(tensors, Tensor) else tuple(tensors)


def _grads_for(roots: tuple, grad_tensors: Any) -> tuple:
    if grad_tensors is None:
        return (None,) * len(roots)
    grads = (grad_tensors,) if isinstance(grad_tensors, Tensor) else tuple(grad_tensors)
    if len(grads) != len(roots):
        raise RuntimeError(f"got {len(grads)} gradients for {len(roots)} outputs")
    return grads


def _seed_gradient(root: Tensor, seed: Any) -> Any:
    if not root.requires_grad:
        raise RuntimeError(
            "backward() on a tensor that does not require grad: no input requires grad, or it "
            "was computed under no_grad()"
        )
    if seed is None:
        if root.array.size != 1:
            raise RuntimeError(
                f"backward() without a gradient needs a scalar output, got shape "
                f"{tuple(root.shape)}: reduce it (e.g. .sum()) or pass gradient= of that shape"
            )
        return get_backend(root.array).xp.ones_like(root.array)
    seed = seed.array if isinstance(seed, Tensor) else get_backend(root.array).asarray(seed)
    if seed.shape != root.shape:
        raise RuntimeError(
            f"backward(gradient=...) expects shape {tuple(root.shape)}, got {tuple(seed.shape)}"
        )
    return seed


def _add_to(pending: dict, node: Node, index: int, g: Any) -> None:
    slots = pending.get(node)
    if slots is None:
        slots = pending[node] = [None] * len(node.out_meta)
    current = slots[index]
    # out of place: ``g`` may be an array another node also received (Add passes dy on)
    slots[index] = g if current is None else current + g


def _call_backward(node: Node, grads: list, retain_graph: bool, store_retained: bool) -> tuple:
    if node.freed:
        raise RuntimeError(
            f"backward through {node!r} a second time: its saved arrays were freed by the first "
            "backward; pass retain_graph=True to the first backward() to keep them"
        )
    fn = node.fn
    if node.hooks:
        for index, hooks in node.hooks.items():
            if grads[index] is not None:
                grads[index] = _run_hooks(hooks, grads[index])
    if node.retained and store_retained:
        for index, tensor in node.retained.items():
            if grads[index] is not None:
                g = grads[index]
                tensor._grad = Tensor(g.copy()) if tensor._grad is None else tensor._grad + g
    for i, g in enumerate(grads):
        shape, dtype = node.out_meta[i]
        if g is None and dtype.kind in "fc":  # a float output nobody used: zero gradient
            grads[i] = get_backend(next(x for x in grads if x is not None)).xp.zeros(shape, dtype)
    with running(node.ctx):
        try:
            result = fn.backward(*grads)
        except (TypeError, AttributeError) as error:
            explain_param_grad_error(fn, error)
            raise
    if not retain_graph:
        node.ctx = None
    if not isinstance(result, tuple):
        result = (result,)
    if len(result) != len(node.inputs):
        raise RuntimeError(
            f"{type(fn).__name__}.backward returned {len(result)} gradient(s) for "
            f"{len(node.inputs)} forward input(s)"
        )
    if grad_mode._anomaly:
        check_finite(node, grads, result)
    return result


def _reverse_topological(roots: list[Node]) -> list[Node]:
    """Nodes reachable from ``roots``, every node before the nodes that produced its inputs."""
    order: list[Node] = []
    visited: set[int] = set()
    for root in roots:
        if id(root) in visited:
            continue
        visited.add(id(root))
        stack = [(root, iter(root.inputs))]
        while stack:
            node, inputs = stack[-1]
            for edge in inputs:
                child = edge[0] if type(edge) is tuple else None
                if child is not None and id(child) not in visited:
                    visited.add(id(child))
                    stack.append((child, iter(child.inputs)))
                    break
            else:
                stack.pop()
                order.append(node)
    order.reverse()
    return order
