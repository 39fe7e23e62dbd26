"""``einsum``: Einstein summation with PyTorch's equation syntax (implicit output, ``...``,
repeated labels for diagonals, size-1 broadcasting), differentiable in every operand.

The gradient of operand i is itself an einsum of the output gradient with the other operands,
then broadcast over labels only operand i has (they were summed), summed over the labels it
broadcast (size 1 there), and placed on the diagonal where operand i repeats a label.
"""

from __future__ import annotations

import string
from typing import Any

from minitorch.autograd.function import Function
from minitorch.autograd.tensor import Tensor
from minitorch.backend import get_backend


def parse_equation(equation: str, ndims: list) -> tuple:
    """(input subscripts, output subscripts) with ``...`` spelled out as spare letters."""
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    inputs = lhs.split(",")
    if len(inputs) != len(ndims):
        raise ValueError(
            f"einsum: the equation {equation!r} names {len(inputs)} operand(s), got {len(ndims)}"
        )
    letters = set(eq) - set(".,->")
    if not all(c in string.ascii_letters for c in letters):
        raise ValueError(f"einsum: subscripts must be letters a-z or A-Z, got {equation!r}")
    spare = [c for c in string.ascii_letters if c not in letters]
    n_ell = 0
    for sub, ndim in zip(inputs, ndims):
        named = len(sub.replace("...", ""))
        if "..." in sub:
            n_ell = max(n_ell, ndim - named)
        elif named != ndim:
            raise ValueError(
                f"einsum: subscripts {sub!r} name {named} dims, but the operand has {ndim}"
            )
    ell = "".join(spare[:n_ell])
    spelled = [s.replace("...", ell[n_ell - (nd - len(s.replace("...", ""))):] if n_ell else "")
               for s, nd in zip(inputs, ndims)]  # fmt: skip
    if arrow:
        out = rhs.replace("...", ell)
    else:  # implicit: the ellipsis dims, then the labels used once, alphabetically
        counts = {c: "".join(inputs).count(c) for c in letters}
        out = ell + "".join(sorted(c for c, k in counts.items() if k == 1))
    return spelled, out


class Einsum(Function):
    """``einsum(inputs -> output, *operands)`` on explicit subscripts (see ``parse_equation``)."""

    def __init__(self, inputs: list, output: str):
        self.inputs, self.output = inputs, output

    def forward(self, *xs: Any) -> Any:
        backend = get_backend(xs[0])
        self.save_for_backward(xs)
        return backend.xp.asarray(backend.einsum(",".join(self.inputs) + "->" + self.output, *xs))

    def backward(self, dy: Any) -> tuple:
        (xs,) = self.saved
        backend = get_backend(dy)
        xp = backend.xp
        sizes: dict = {}
        for sub, x in zip(self.inputs, xs):
            for c, n in zip(sub, x.shape):
                sizes[c] = max(sizes.get(c, 1), n)
        grads = []
        for i, (sub, x) in enumerate(zip(self.inputs, xs)):
            if not self.needs_input_grad[i]:
                grads.append(None)
                continue
            unique = "".join(dict.fromkeys(sub))
            others = [(s, o) for j, (s, o) in enumerate(zip(self.inputs, xs)) if j != i]
            seen = set(self.output).union(*(set(s) for s, _ in others))
            kept = "".join(c for c in unique if c in seen)
            eq = ",".join([self.output, *(s for s, _ in others)]) + "->" + kept
            g = backend.einsum(eq, dy, *(o for _, o in others))
            # labels only this operand has were summed: their gradient is g copied along them
            full = tuple(sizes[c] if c in kept else 1 for c in unique)
            g = xp.asarray(g).reshape(full)
            own = dict(zip(sub, x.shape))
            g = xp.broadcast_to(g, tuple(sizes[c] if c in kept else own[c] for c in unique))
            # labels this operand broadcast (size 1 here, larger elsewhere): sum them back
            squash = tuple(k for k, c in enumerate(unique) if own[c] == 1 and g.shape[k] != 1)
            if squash:
                g = g.sum(axis=squash, keepdims=True)
            grads.append(self._place(xp, g, sub, unique, x))
        return tuple(grads)

    @staticmethod
    def _place(xp: Any, g: Any, sub: str, unique: str, x: Any) -> Any:
        """``g`` over the unique labels as the gradient of an operand with subscripts ``sub``."""
        if len(unique) == len(sub):
            return xp.ascontiguousarray(g.transpose([unique.index(c) for c in sub]))
        dx = xp.zeros(x.shape, dtype=g.dtype)  # a repeated label: write onto the diagonal
        index = tuple(
            xp.arange(x.shape[k]).reshape(
                tuple(-1 if j == unique.index(c) else 1 for j in range(len(unique)))
            )
            for k, c in enumerate(sub)
        )
        dx[index] = g
        return dx


def einsum(equation: str, *operands: Any) -> Tensor:
    """Einstein summation: ``einsum("bij,bjk->bik", a, b)`` is a batched matmul.

    Operands may also be passed as one list. Shape: given by the output subscripts.
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not operands or not all(isinstance(o, Tensor) for o in operands):
        raise TypeError("einsum: operands must be Tensors (after the equation string)")
    inputs, output = parse_equation(equation, [o.ndim for o in operands])
    return Einsum(inputs, output)(*operands)
