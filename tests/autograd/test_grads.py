"""``zero_grads``: the gradient reset ``Module.zero_grad`` and ``Optimizer.zero_grad`` share."""

import numpy as np

import minitorch as mt
from minitorch.autograd import zero_grads


def leaves():
    a = mt.tensor([1.0, 2.0], requires_grad=True)
    b = mt.tensor([3.0], requires_grad=True)
    c = mt.tensor([4.0], requires_grad=True)  # never gets a gradient
    ((a * a).sum() + (b * 2).sum()).backward()
    return a, b, c


def test_set_to_none_drops_the_gradients():
    a, b, c = leaves()
    zero_grads([a, b, c])
    assert a.grad is None and b.grad is None and c.grad is None


def test_zero_fill_keeps_the_same_arrays():
    a, b, c = leaves()
    ga = a.grad.array
    zero_grads(iter([a, b, c]), set_to_none=False)
    assert a.grad.array is ga
    np.testing.assert_array_equal(a.grad.numpy(), [0.0, 0.0])
    np.testing.assert_array_equal(b.grad.numpy(), [0.0])
    assert c.grad is None


def test_module_and_optimizer_zero_grad_do_the_same():
    model = mt.nn.Linear(3, 2)
    model(mt.ones(4, 3)).sum().backward()
    opt = mt.optim.SGD(model.parameters(), lr=0.1)
    opt.zero_grad(set_to_none=False)
    assert all(float(p.grad.abs().sum().item()) == 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
