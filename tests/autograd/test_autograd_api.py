"""PyTorch's autograd surface: Function.apply with ctx, grad_fn, register_hook, grad()."""

import numpy as np
import pytest

import minitorch as mt


class Cube(mt.autograd.Function):
    """A custom Function written exactly as in PyTorch's tutorials."""

    @staticmethod
    def forward(ctx, x, scale):
        ctx.save_for_backward(x)
        ctx.scale = scale  # a plain value kept on ctx
        return scale * x**3

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        assert ctx.needs_input_grad == (True, False)
        return grad_output * 3 * ctx.scale * x**2, None


def test_pytorch_style_function_apply(torch, rng):
    x0 = rng.standard_normal(5)
    x = mt.tensor(x0, requires_grad=True)
    y = Cube.apply(x * 2, 0.5)
    assert y.grad_fn.name() == "CubeBackward"
    y.sum().backward()

    class TorchCube(torch.autograd.Function):
        forward, backward = Cube.forward, Cube.backward

    tx = torch.tensor(x0, requires_grad=True)
    TorchCube.apply(tx * 2, 0.5).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12)
    assert mt.gradcheck(lambda t: Cube.apply(t, 1.5), mt.tensor(x0, requires_grad=True))


def test_function_apply_without_grad_records_nothing_and_marks_non_differentiable(rng):
    class Split(mt.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            idx = x.argmax()
            ctx.mark_non_differentiable(idx)
            return x * 2, idx

        @staticmethod
        def backward(ctx, dy, didx):
            return dy * 2

    x = mt.tensor(rng.standard_normal(4), requires_grad=True)
    y, idx = Split.apply(x)
    assert y.requires_grad and not idx.requires_grad
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.full(4, 2.0))
    with mt.no_grad():
        assert Split.apply(x)[0].grad_fn is None


def test_backward_returning_too_few_gradients_is_a_clear_error():
    class Bad(mt.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, dy):
            return dy

    a, b = mt.ones(2, requires_grad=True), mt.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="Bad.backward returned 1 gradient"):
        Bad.apply(a, b).sum().backward()


def test_grad_fn_next_functions_walk_the_graph():
    x = mt.ones(3, requires_grad=True)
    y = (x * 2 + 1).sum()
    assert y.grad_fn.name() == "SumBackward0"
    ((add, _),) = y.grad_fn.next_functions
    assert add.name() == "AddBackward0"
    (mul, _), (none, _) = add.next_functions
    assert none is None and mul.name() == "MulBackward0"
    (acc, _), _ = mul.next_functions
    assert acc.name() == "AccumulateGrad" and acc.variable is x


def test_tensor_hooks_see_and_replace_gradients():
    x = mt.ones(3, requires_grad=True)
    h = x * 2
    seen = []
    handle = h.register_hook(lambda g: seen.append(g.numpy().copy()) or g * 10)
    x.register_hook(lambda g: g + 1)  # a leaf hook runs once, on the summed gradient
    (h.sum() + (x * 3).sum()).backward()
    np.testing.assert_allclose(seen[0], np.ones(3))
    np.testing.assert_allclose(x.grad.numpy(), np.full(3, 2 * 10 + 3 + 1))
    handle.remove()
    x.grad = None
    h2 = x * 2
    h2.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.full(3, 3.0))


def test_autograd_grad_returns_gradients_and_leaves_grad_alone(torch, rng):
    x0, w0 = rng.standard_normal((4, 3)), rng.standard_normal((3, 2))
    x, w = mt.tensor(x0, requires_grad=True), mt.tensor(w0, requires_grad=True)
    layer = mt.nn.Linear(2, 1).double()
    h = x @ w
    out = layer(h.tanh()).sum()
    gx, gh = mt.autograd.grad(out, [x, h], retain_graph=True)
    assert x.grad is None and w.grad is None and layer.weight.grad is None
    tx, tw = torch.tensor(x0, requires_grad=True), torch.tensor(w0, requires_grad=True)
    tl = torch.nn.Linear(2, 1).double()
    tl.load_state_dict({k: torch.tensor(v.numpy()) for k, v in layer.state_dict().items()})
    th = tx @ tw
    tgx, tgh = torch.autograd.grad(tl(th.tanh()).sum(), [tx, th])
    np.testing.assert_allclose(gx.numpy(), tgx.numpy(), rtol=1e-12)
    np.testing.assert_allclose(gh.numpy(), tgh.numpy(), rtol=1e-12)
    unused = mt.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="input 1 was not used"):
        mt.autograd.grad(out, [x, unused], retain_graph=True)
    gx2, gu = mt.autograd.grad(out, [x, unused], allow_unused=True, materialize_grads=True)
    np.testing.assert_allclose(gu.numpy(), np.zeros(2))
    with pytest.raises(NotImplementedError, match="create_graph"):
        mt.autograd.grad(layer(h).sum(), x, create_graph=True)


def test_inference_mode_records_nothing():
    x = mt.ones(2, requires_grad=True)
    with mt.inference_mode():
        assert not (x * 2).requires_grad
    with mt.inference_mode(False):
        assert (x * 2).requires_grad

    @mt.inference_mode()
    def f(t):
        return t * 2

    assert not f(x).requires_grad


def test_post_accumulate_grad_hooks_fire_as_soon_as_a_leaf_is_complete():
    model = mt.nn.Sequential(mt.nn.Linear(3, 4), mt.nn.Tanh(), mt.nn.Linear(4, 2))
    events = []
    for name, p in model.named_parameters():
        p.register_post_accumulate_grad_hook(
            lambda t, name=name: events.append((name, model[0].weight.grad is None))
        )
    x = mt.randn(5, 3, requires_grad=True)
    model(x).sum().backward()
    # the last layer is finished while the first one's gradient is still being computed
    assert events[0] == ("2.weight", True) and events[-1][0].startswith("0.")
    assert sorted(n for n, _ in events) == sorted(n for n, _ in model.named_parameters())
    shared = mt.nn.Linear(2, 2)
    calls = []
    shared.weight.register_post_accumulate_grad_hook(lambda t: calls.append(t.grad.numpy().copy()))
    y = shared(shared(mt.randn(3, 2)))
    y.sum().backward()
    assert len(calls) == 1  # once per pass, with both calls' contributions
    np.testing.assert_allclose(calls[0], shared.weight.grad.numpy())
