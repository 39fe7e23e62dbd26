"""The reverse-mode engine: walk recorded calls from the output back, summing gradients per path.

Each node's ``backward`` runs once, after every consumer of its outputs has contributed, so a
tensor used on several paths receives the sum of their gradients (the multivariate chain rule).
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from minitorch.autograd import grad_mode
from minitorch.autograd.function import Node, explain_param_grad_error, running
from minitorch.autograd.tensor import Tensor
from minitorch.backend import get_backend


def backward(tensors: Any, grad_tensors: Any = None, retain_graph: bool = False) -> None:
    """``mt.autograd.backward([y1, y2], [g1, g2])``: one pass from several outputs."""
    if isinstance(tensors, Tensor):
        tensors = (tensors,)
    if grad_tensors is None or isinstance(grad_tensors, Tensor):
        grad_tensors = (grad_tensors,) * len(tensors) if grad_tensors is None else (grad_tensors,)
    run_backward(tuple(tensors), tuple(grad_tensors), retain_graph)


def run_backward(roots: Sequence[Tensor], grads: Sequence[Any], retain_graph: bool) -> None:
    pending: dict[Node, list] = {}
    for root, grad in zip(roots, grads):
        grad = _seed_gradient(root, grad)
        if root._node is None:
            _accumulate_leaf(root, grad)
        else:
            _add_to(pending, root._node, root._index, grad)
    if not pending:
        return
    with grad_mode.no_grad():
        for node in _reverse_topological(list(pending)):
            node_grads = pending.pop(node, None)
            if node_grads is None:
                continue  # no gradient reached this node along any path
            input_grads = _call_backward(node, node_grads, retain_graph)
            for edge, grad in zip(node.inputs, input_grads):
                if edge is None or grad is None:
                    continue
                leaf = type(edge) is not tuple
                shape = edge.shape if leaf else edge[0].out_meta[edge[1]][0]
                if grad.shape != shape:
                    raise RuntimeError(
                        f"{type(node.fn).__name__}.backward returned a gradient of shape "
                        f"{tuple(grad.shape)} for an input of shape {tuple(shape)}"
                    )
                if leaf:
                    _accumulate_leaf(edge, grad)
                else:
                    dtype = edge[0].out_meta[edge[1]][1]
                    if grad.dtype != dtype:  # an op that promoted its inputs (f32 * f64 0-d)
                        grad = grad.astype(dtype)
                    _add_to(pending, edge[0], edge[1], grad)
            if not retain_graph:
                # Let go of the inputs too: otherwise the previous step's activations stay
                # alive through `loss` until it is rebound, doubling the next step's peak memory.
                node.inputs = (None,) * len(node.inputs)


def _seed_gradient(root: Tensor, grad: Any) -> Any:
    if not root.requires_grad:
        raise RuntimeError(
            "backward() on a tensor that does not require grad: no input requires grad, or it "
            "was computed under no_grad()"
        )
    if grad is None:
        if root.array.size != 1:
            raise RuntimeError(
                f"backward() without a gradient needs a scalar output, got shape "
                f"{tuple(root.shape)}: reduce it (e.g. .sum()) or pass gradient= of that shape"
            )
        return get_backend(root.array).xp.ones_like(root.array)
    grad = grad.array if isinstance(grad, Tensor) else get_backend(root.array).asarray(grad)
    if grad.shape != root.shape:
        raise RuntimeError(
            f"backward(gradient=...) expects shape {tuple(root.shape)}, got {tuple(grad.shape)}"
        )
    return grad


def _add_to(pending: dict, node: Node, index: int, grad: Any) -> None:
    slots = pending.get(node)
    if slots is None:
        slots = pending[node] = [None] * len(node.out_meta)
    current = slots[index]
    # out of place: ``grad`` may be an array another node also received (Add passes dy on)
    slots[index] = grad if current is None else current + grad


def _accumulate_leaf(tensor: Tensor, grad: Any) -> None:
    if tensor._grad is None:
        tensor._grad = Tensor(grad.astype(tensor.dtype, copy=True))
    else:
        tensor._grad.array += grad


def _call_backward(node: Node, grads: list, retain_graph: bool) -> tuple:
    if node.freed:
        raise RuntimeError(
            f"backward through {node!r} a second time: its saved arrays were freed by the first "
            "backward; pass retain_graph=True to the first backward() to keep them"
        )
    fn = node.fn
    if node.retained:
        for index, tensor in node.retained.items():
            if grads[index] is not None:
                _accumulate_leaf(tensor, grads[index])
    for i, grad in enumerate(grads):
        shape, dtype = node.out_meta[i]
        if grad is None and dtype.kind in "fc":  # a float output nobody used: zero gradient
            grads[i] = get_backend(_any(grads)).xp.zeros(shape, dtype=dtype)
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
        _check_finite(node, grads, result)
    return result


def _check_finite(node: Node, grads: list, result: tuple) -> None:
    """detect_anomaly(): name the first layer whose backward returned nan or inf."""
    for i, grad in enumerate(result):
        if grad is None or bool(get_backend(grad).xp.isfinite(grad).all()):
            continue
        incoming = all(bool(get_backend(g).xp.isfinite(g).all()) for g in grads)
        raise RuntimeError(
            f"{type(node.fn).__name__}.backward returned nan/inf in the gradient of its input {i}"
            + (" from finite incoming gradients" if incoming else " (its incoming gradient was "
               "already not finite)")
        )  # fmt: skip


def _any(items: Iterable) -> Any:
    return next(i for i in items if i is not None)


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
