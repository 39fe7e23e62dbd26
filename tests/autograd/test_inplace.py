"""In-place ops: values and errors as PyTorch's on both paths (written in place outside the
graph, recorded out of place inside it), ``y[i] = v`` in a graph, and the version-counter rule
that turns a silently wrong gradient into PyTorch's error."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch as mt

torch = pytest.importorskip("torch")

X = [[0.5, -1.5, 2.0], [3.0, -0.25, 1.0]]
Y = [[2.0, 0.5, -1.0], [1.5, 4.0, -2.0]]

OPS = {
    "add_": lambda x, y: x.add_(y),
    "add_ alpha": lambda x, y: x.add_(y, alpha=-0.5),
    "sub_ alpha": lambda x, y: x.sub_(y, alpha=2),
    "mul_": lambda x, y: x.mul_(y),
    "mul_ number": lambda x, y: x.mul_(3),
    "div_": lambda x, y: x.div_(y),
    "div_ floor": lambda x, y: x.div_(y, rounding_mode="floor"),
    "div_ trunc": lambda x, y: x.div_(y, rounding_mode="trunc"),
    "pow_": lambda x, y: x.abs_().pow_(y),
    "zero_": lambda x, y: x.zero_(),
    "fill_": lambda x, y: x.fill_(2.5),
    "copy_ broadcast": lambda x, y: x.copy_(y[0]),
    "clamp_": lambda x, y: x.clamp_(-1, 1),
    "clamp_ min": lambda x, y: x.clamp_(min=0),
    "clip_": lambda x, y: x.clip_(max=0.75),
    "neg_": lambda x, y: x.neg_(),
    "abs_": lambda x, y: x.abs_(),
    "exp_": lambda x, y: x.exp_(),
    "log_": lambda x, y: x.abs_().log_(),
    "sqrt_": lambda x, y: x.abs_().sqrt_(),
    "sigmoid_": lambda x, y: x.sigmoid_(),
    "tanh_": lambda x, y: x.tanh_(),
    "relu_": lambda x, y: x.relu_(),
    "masked_fill_": lambda x, y: x.masked_fill_(y > 0, -7.0),
    "lerp_": lambda x, y: x.lerp_(y, 0.25),
    "addcmul_": lambda x, y: x.addcmul_(y, y, value=0.5),
    "addcdiv_": lambda x, y: x.addcdiv_(y, y + 5, value=2),
    "+=": lambda x, y: x.__iadd__(y),
    "-=": lambda x, y: x.__isub__(y),
    "*=": lambda x, y: x.__imul__(y),
    "/=": lambda x, y: x.__itruediv__(y),
    "**=": lambda x, y: x.abs_().__ipow__(2),
    "setitem": lambda x, y: x.__setitem__((slice(None), 1), y[:, 0]) or x,
}


@pytest.mark.parametrize("op", OPS.values(), ids=OPS.keys())
def test_inplace_outside_the_graph_writes_the_array(op):
    x, y = mt.tensor(X), mt.tensor(Y)
    ptr = x.data_ptr()
    out = op(x, y)
    tx = torch.tensor(X)
    op(tx, torch.tensor(Y))
    assert out is x and x.data_ptr() == ptr and x._version >= 1
    np.testing.assert_allclose(x.numpy(), tx.numpy(), rtol=1e-6)


@pytest.mark.parametrize("op", OPS.values(), ids=OPS.keys())
def test_inplace_inside_the_graph_is_recorded_with_torchs_gradients(op):
    def run(lib):
        a = lib.tensor(X, dtype=lib.float64, requires_grad=True)
        b = lib.tensor(Y, dtype=lib.float64, requires_grad=True)
        x = a * 1.5  # a non-leaf: the update is part of the graph
        out = op(x, b * 1.0)
        assert out is x
        (x * lib.tensor(Y, dtype=lib.float64)).sum().backward()
        zero = lib.zeros(2, 3, dtype=lib.float64)
        return x.detach().numpy(), [
            (g if g is not None else zero).numpy() for g in (a.grad, b.grad)
        ]

    (mx, mgrads), (tx, tgrads) = run(mt), run(torch)
    np.testing.assert_allclose(mx, tx, rtol=1e-12)
    for m, t in zip(mgrads, tgrads):
        np.testing.assert_allclose(m, t, rtol=1e-12, atol=1e-12)


def test_recorded_update_keeps_the_values_earlier_calls_saved():
    a = mt.tensor([1.0, 2.0], requires_grad=True)
    y = a * 3
    z = y * y  # saves y's values
    y.mul_(10)
    (z.sum() + y.sum()).backward()
    np.testing.assert_allclose(a.grad.numpy(), [2 * 9 * 1 + 30, 2 * 9 * 2 + 30])


@pytest.mark.parametrize(
    "index",
    [1, slice(0, 2), (slice(None), 2), (1, [0, 2]), ([0, 1], [2, 0]), "mask", (Ellipsis, 0)],
    ids=repr,
)  # fmt: skip
def test_setitem_in_a_graph_gives_torchs_gradients(index):
    def run(lib):
        a = lib.tensor(X, dtype=lib.float64, requires_grad=True)
        y = a * 2
        idx = y.detach() > 0 if index == "mask" else index
        shape = y[idx].shape
        v = lib.full(tuple(shape), 3.0, dtype=lib.float64, requires_grad=True)
        y[idx] = v * v
        (y * lib.tensor(Y, dtype=lib.float64)).sum().backward()
        return y.detach().numpy(), a.grad.numpy(), v.grad.numpy()

    for m, t in zip(run(mt), run(torch)):
        np.testing.assert_allclose(m, t)


def test_setitem_of_a_graph_value_into_a_plain_buffer_is_recorded():
    w = mt.tensor(2.0, requires_grad=True)
    buf = mt.zeros(3)
    buf[0] = w * 2
    buf[2] = w
    assert buf.requires_grad
    buf.sum().backward()
    assert w.grad.item() == 3.0 and buf.tolist() == [4.0, 0.0, 2.0]


def test_setitem_broadcast_value_gets_the_summed_gradient():
    a = mt.zeros(2, 3, requires_grad=True)
    v = mt.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = a + 0
    y[:] = v
    (y * mt.tensor(Y)).sum().backward()
    np.testing.assert_allclose(v.grad.numpy(), np.sum(Y, axis=0))
    assert a.grad.abs().sum().item() == 0


def test_index_fill_():
    x, t = mt.tensor(X), torch.tensor(X)
    x.index_fill_(1, mt.tensor([0, 2]), -1.0)
    t.index_fill_(1, torch.tensor([0, 2]), -1.0)
    np.testing.assert_array_equal(x.numpy(), t.numpy())


@pytest.mark.parametrize(
    "op",
    [lambda x: x.add_(1.5), lambda x: x.mul_(0.5), lambda x: x.exp_(), lambda x: x.div_(2),
     lambda x: x.sqrt_(), lambda x: x.__iadd__(0.5), lambda x: x.sigmoid_()],
)  # fmt: skip
def test_a_float_result_does_not_go_into_an_int_tensor(op):
    with pytest.raises(RuntimeError) as theirs:
        op(torch.arange(3))
    with pytest.raises(RuntimeError) as ours:
        op(mt.arange(3))
    assert str(ours.value) == str(theirs.value)


def test_errors_as_torch():
    with pytest.raises(RuntimeError, match="result type Long can't be cast to the desired output "
                                           "type Bool"):  # fmt: skip
        mt.zeros(2, dtype=mt.bool).add_(1)
    with pytest.raises(RuntimeError, match=r"output with shape \[3\] doesn't match the broadcast "
                                           r"shape \[2, 3\]"):  # fmt: skip
        mt.ones(3).add_(mt.ones(2, 3))
    with pytest.raises(RuntimeError, match="masked_fill_ only supports boolean masks"):
        mt.ones(3).masked_fill_(mt.ones(3), 1.0)
    with pytest.raises(RuntimeError, match="0-dimensional value tensor"):
        mt.ones(3).masked_fill_(mt.ones(3) > 0, mt.ones(3))
    with pytest.raises(RuntimeError, match="rounding_mode to be one of None, 'trunc', or 'floor'"):
        mt.ones(3).div_(2, rounding_mode="round")
    with pytest.raises(RuntimeError, match="At least one of 'min' or 'max'"):
        mt.ones(3).clamp_()
    with pytest.raises(
        RuntimeError, match="result type Float can't be cast to the desired output"
    ):
        mt.arange(3).clamp_(0.5, 1.5)
    w = mt.ones(2, requires_grad=True)
    for op in (lambda: w.add_(1), lambda: w.zero_(), lambda: w.__setitem__(0, 2.0)):
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used"):
            op()
    with mt.no_grad():
        w.add_(1)  # allowed, as in PyTorch
    assert w.tolist() == [2.0, 2.0]


def test_int_tensor_ops_that_stay_exact():
    x, t = mt.tensor([7, -7, 9]), torch.tensor([7, -7, 9])
    for op in (lambda a: a.add_(2), lambda a: a.mul_(-3),
               lambda a: a.div_(4, rounding_mode="trunc"),
               lambda a: a.div_(2, rounding_mode="floor"), lambda a: a.fill_(2.9)):  # fmt: skip
        op(x), op(t)
        assert x.tolist() == t.tolist() and x.dtype == mt.int64
    x.copy_(mt.tensor([1.7, 2.2, -3.9]))
    t.copy_(torch.tensor([1.7, 2.2, -3.9]))
    assert x.tolist() == t.tolist()


# --- the version counter ---------------------------------------------------------------------
def _expect_inplace_error(loss):
    with pytest.raises(RuntimeError, match=r"modified by an inplace operation: .*MulBackward0.* "
                                           r"is at version \d+; expected version \d+ instead. "
                                           r"Hint:"):  # fmt: skip
        loss.backward()


def test_writing_a_saved_leaf_under_no_grad_raises_as_in_torch():
    for lib in (torch, mt):
        w = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        loss = (w * w).sum()
        with lib.no_grad():
            w.add_(1)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            loss.backward()


@pytest.mark.parametrize(
    "write",
    [lambda w: w.data.add_(1), lambda w: w.detach().mul_(2), lambda w: w.data.__setitem__(0, 5.0),
     lambda w: w.data.copy_(mt.zeros(3)), lambda w: w.data.uniform_(), lambda w: w.data.zero_()],
)  # fmt: skip
def test_writes_through_data_and_detach_are_counted_too(write):
    # PyTorch does not count writes through .data (its gradient is then silently wrong)
    w = mt.tensor([1.0, 2.0, 3.0], requires_grad=True)
    loss = (w * w).sum()
    write(w)
    _expect_inplace_error(loss)


def test_writing_a_saved_input_that_needs_no_grad_raises():
    w = mt.tensor([1.0, 2.0], requires_grad=True)
    x = mt.tensor([3.0, 4.0])
    loss = (w * x).sum()
    x += 1
    _expect_inplace_error(loss)


def test_writing_a_saved_output_under_no_grad_raises():
    a = mt.tensor([1.0, 2.0], requires_grad=True)
    y = a.sigmoid()  # Sigmoid's backward reads y
    loss = y.sum()
    with mt.no_grad():
        y.mul_(3)
    with pytest.raises(RuntimeError, match=r"\[SigmoidBackward0\], is at version 1; expected "
                                           r"version 0"):  # fmt: skip
        loss.backward()


def test_writing_through_a_view_counts_for_the_whole_memory():
    w = mt.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    loss = (w * w).sum()
    w.data.view(4)[0] = 9.0
    assert w._version == w.data._version == 1
    _expect_inplace_error(loss)


def test_optimizer_step_between_forward_and_backward_raises():
    W = mt.randn(3, 2, requires_grad=True)
    opt = mt.optim.SGD([W], lr=0.1)
    x = mt.randn(4, 3)
    loss = (x @ W).sum()
    loss.backward(retain_graph=True)
    opt.step()  # MatMul saved W's array
    with pytest.raises(RuntimeError, match=r"\[MatMulBackward0\]"):
        loss.backward()


def test_a_training_loop_raises_nothing_and_counts_the_steps():
    model = mt.nn.Sequential(mt.nn.Linear(3, 4), mt.nn.ReLU(), mt.nn.Linear(4, 1))
    opt = mt.optim.Adam(model.parameters(), lr=0.01)
    W = model[0].weight
    for _ in range(3):
        loss = (model(mt.randn(8, 3)) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert W._version == 3


def test_manual_sgd_through_data_and_unrelated_writes_raise_nothing():
    w = mt.randn(3, requires_grad=True)
    counter = mt.zeros(1)
    for _ in range(3):
        loss = (w * w).sum()
        counter += 1  # a write between forward and backward, to memory nobody saved
        loss.backward()
        w.data.add_(w.grad, alpha=-0.1)
        w.grad.zero_()
    assert w._version == 3 and counter.item() == 3


def test_versions_count_like_torch():
    m, t = mt.zeros(3), torch.zeros(3)
    for op in (lambda a: a.add_(1), lambda a: a.mul_(2), lambda a: a.__setitem__(0, 1.0),
               lambda a: a.zero_(), lambda a: a.__iadd__(1),
               lambda a: a.clamp_(0, 1)):  # fmt: skip
        op(m), op(t)
        assert m._version == t._version
    assert mt.zeros(2)._version == 0
