"""Module hooks as in PyTorch: forward pre-hooks, forward hooks, full backward hooks."""

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn


def test_forward_hooks_see_and_replace_inputs_and_outputs(rng):
    layer = nn.Linear(3, 2).double()
    seen = []
    pre = layer.register_forward_pre_hook(lambda m, args: (args[0] * 0,))
    post = layer.register_forward_hook(lambda m, args, out: seen.append(out.shape) or out + 1)
    x = mt.tensor(rng.standard_normal((4, 3)))
    np.testing.assert_allclose(
        layer(x).detach().numpy(), layer.bias.detach().numpy() + 1 + np.zeros((4, 2))
    )
    assert seen == [(4, 2)]
    pre.remove()
    post.remove()
    assert layer._hooks.forward_pre == {} and layer._hooks.forward == {}
    np.testing.assert_allclose(layer(x).detach().numpy(), layer.forward(x.numpy()))


def test_hooks_run_in_order_and_prepend_puts_one_first():
    m = nn.ReLU()
    order = []
    m.register_forward_hook(lambda *a: order.append("a"))
    m.register_forward_hook(lambda *a: order.append("b"), prepend=True)
    m(mt.ones(2))
    assert order == ["b", "a"]


def test_forward_hook_with_kwargs_and_always_call():
    class Scale(nn.Module):
        def forward(self, x, factor=1.0):
            if factor < 0:
                raise ValueError("negative")
            return x * factor

    m, calls = Scale(), []
    m.register_forward_hook(lambda mod, a, kw, out: calls.append(kw), with_kwargs=True,
                            always_call=True)  # fmt: skip
    m(mt.ones(2), factor=2.0)
    try:
        m(mt.ones(2), factor=-1.0)
    except ValueError:
        pass
    assert calls == [{"factor": 2.0}, {"factor": -1.0}]


def test_full_backward_hook_matches_torch(torch, rng):
    x0 = rng.standard_normal((5, 3))
    results = {}
    for lib in (mt, torch):
        model = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.Tanh(), lib.nn.Linear(4, 2)).double()
        if lib is mt:
            state = model.state_dict()
        else:
            model.load_state_dict({k: torch.tensor(v.numpy()) for k, v in state.items()})
        seen = []

        def hook(module, grad_input, grad_output, seen=seen):
            seen.append(([g.detach().numpy().copy() for g in grad_input if g is not None],
                         [g.detach().numpy().copy() for g in grad_output]))  # fmt: skip
            return tuple(None if g is None else g * 2 for g in grad_input)

        model[2].register_full_backward_hook(hook)
        model.register_full_backward_hook(hook)
        x = lib.tensor(x0, requires_grad=True)
        model(x).pow(2).sum().backward()
        results[lib.__name__] = (seen, x.grad.numpy())
    (mt_seen, mt_grad), (th_seen, th_grad) = results["minitorch"], results["torch"]
    np.testing.assert_allclose(mt_grad, th_grad, rtol=1e-12)
    for (mi, mo), (ti, to) in zip(mt_seen, th_seen):
        for a, b in zip(mi + mo, ti + to):
            np.testing.assert_allclose(a, b, rtol=1e-12)


def test_backward_hook_without_input_grad_gets_none(rng):
    layer = nn.Linear(3, 2)
    seen = []
    layer.register_full_backward_hook(lambda m, gi, go: seen.append((gi, go[0].shape)))
    layer(mt.randn(4, 3)).sum().backward()
    assert seen == [((None,), (4, 2))]


def test_recurrent_layers_run_module_hooks_and_refuse_lists():
    lstm, seen = nn.LSTM(3, 4), []
    lstm.register_forward_hook(lambda m, args, out: seen.append((len(args), type(out).__name__)))
    lstm(mt.randn(5, 2, 3))
    lstm(mt.randn(5, 2, 3), (mt.zeros(1, 2, 4), mt.zeros(1, 2, 4)))
    assert seen == [(1, "tuple"), (2, "tuple")]
    with pytest.raises(TypeError, match="LSTM: expected a Tensor as input 0, got list"):
        lstm([[0.0, 1.0, 2.0]])
