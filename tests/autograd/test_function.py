"""The per-call record: each recorded call owns its Context; layers keep no per-call state."""

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn


class Tree(nn.Layer):
    """``h = tanh(x @ W.T + sum of the children's h)``: children are Trees too (recursion)."""

    def __init__(self, depth: int, n: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(mt.randn(n, n, dtype=mt.float64) * 0.5)
        self.kids = nn.ModuleList([Tree(depth - 1, n) for _ in range(2)] if depth else [])

    def forward(self, x):
        a = x @ self.weight.array.T
        for kid in self.kids:
            a = a + kid.forward(x)  # explicit calls of other Trees, inside this call
        h = np.tanh(a)
        self.save_for_backward(x, h)
        return h

    def backward(self, dh):
        x, h = self.saved
        da = dh * (1 - h * h)
        self.add_grad(self.weight, da.T @ x)
        dx = da @ self.weight.array
        for kid in self.kids:
            dx = dx + kid.backward(da)
        return dx


def tree_by_ops(tree: Tree, x: mt.Tensor) -> mt.Tensor:
    """The same tree built from Tensor ops, as the reference."""
    a = x @ tree.weight.T
    for kid in tree.kids:
        a = a + tree_by_ops(kid, x)
    return a.tanh()


def test_a_recursive_layer_used_twice_matches_the_same_model_built_from_ops(rng):
    tree = Tree(depth=2, n=3)
    x1, x2 = (mt.tensor(rng.standard_normal((4, 3)), requires_grad=True) for _ in range(2))

    def loss(f):
        return (f(x1) * 2).sum() + (f(x2) ** 2).sum()  # the tree called twice in one graph

    loss(tree).backward()
    got = [p.grad.numpy().copy() for p in tree.parameters()] + [x1.grad.numpy(), x2.grad.numpy()]
    tree.zero_grad()
    x1.grad = x2.grad = None
    loss(lambda x: tree_by_ops(tree, x)).backward()
    want = [p.grad.numpy() for p in tree.parameters()] + [x1.grad.numpy(), x2.grad.numpy()]
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-12)


def test_a_recursive_layer_trains_and_passes_gradcheck(rng):
    tree = Tree(depth=2, n=3)
    assert mt.gradcheck(tree, rng.standard_normal((4, 3)))
    x, target = mt.tensor(rng.standard_normal((16, 3))), mt.tensor(rng.uniform(-0.5, 0.5, (16, 3)))
    optimizer = mt.optim.SGD(tree.parameters(), lr=0.1)
    losses = []
    for _ in range(30):
        optimizer.zero_grad()
        loss = ((tree(x) - target) ** 2).mean()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]


class Reentrant(nn.Layer):
    """``y = 3 x``; while recording, forward also makes a recorded call of itself."""

    def __init__(self) -> None:
        super().__init__()
        self.inner_calls = 0

    def forward(self, x, nested=True):
        self.save_for_backward(x)
        if nested:  # a call of this very layer inside its own call
            self.inner_calls += 1
            inner = self(mt.tensor(x * 0, requires_grad=True), nested=False)
            assert inner.grad_fn.ctx.saved[0] is not x
            assert self.caching  # the inner call did not reset the outer call's flag
        return 3 * x

    def backward(self, dy):
        (x,) = self.saved
        assert x.shape == dy.shape
        return 3 * dy


def test_a_layer_may_call_itself_inside_its_own_forward(rng):
    layer = Reentrant()
    x = mt.tensor(rng.standard_normal(4), requires_grad=True)
    out = layer(x)
    assert out.grad_fn.ctx.saved[0] is x.array  # the outer cache survived the inner call
    out.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.full(4, 3.0))
    assert layer.inner_calls == 1


def test_no_per_call_state_on_the_layer_during_forward_or_backward(rng):
    snapshots = []

    class Watched(nn.Linear):
        def forward(self, x):
            snapshots.append(set(vars(self)))
            return super().forward(x)

        def backward(self, dy):
            snapshots.append(set(vars(self)))  # what a debugger stopped here would see
            return super().backward(dy)

    layer = Watched(3, 2).double()
    before = set(vars(layer))
    layer(mt.tensor(rng.standard_normal((4, 3)), requires_grad=True)).sum().backward()
    assert snapshots == [before, before] and set(vars(layer)) == before


def test_explicit_calls_keep_their_record_until_backward(rng):
    layer = nn.Linear(3, 2).double()
    x = rng.standard_normal((4, 3))
    layer.forward(x)
    assert layer.needs_input_grad[0] and layer.needs_input_grad[5]  # explicit: every input
    dx = layer.backward(np.ones((4, 2)))
    np.testing.assert_allclose(dx, np.ones((4, 2)) @ layer.weight.detach().numpy())


class OldStyle(nn.Layer):
    """A layer written the old way: ``param.grad += g``."""

    def __init__(self) -> None:
        super().__init__()
        self.weight = nn.Parameter(mt.ones(3))

    def forward(self, x):
        self.save_for_backward(x)
        return x * self.weight.array

    def backward(self, dy):
        (x,) = self.saved
        self.weight.grad += dy * x
        return dy * self.weight.array


def test_param_grad_plus_equals_names_add_grad():
    x = mt.ones(3, requires_grad=True)
    with pytest.raises(TypeError, match=r"OldStyle.backward: .*self\.add_grad\(param, g\)"):
        OldStyle()(x).sum().backward()
