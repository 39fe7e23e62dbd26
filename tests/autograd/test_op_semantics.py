"""What the op table cannot show: nan routing of gradients, ties, in-place masked_fill_, the
var/std overloads, inputs PyTorch rejects but minitorch handles, and the errors."""

import math

import numpy as np
import pytest

import minitorch as mt

torch = pytest.importorskip("torch")


def leaf(values, dtype=np.float64):
    return mt.tensor(np.array(values, dtype=dtype), requires_grad=True)


def test_selected_gradients_do_not_spread_a_nan():
    # each op hands dy to the inputs it selected; a nan in dy must not reach the others
    a, b = leaf([1.0, 5.0, 2.0]), leaf([3.0, 4.0, 2.0])
    mt.maximum(a, b).backward(mt.tensor([np.nan, 1.0, 1.0]))
    np.testing.assert_array_equal(a.grad.numpy(), [0.0, 1.0, 0.5])  # a lost where dy is nan
    assert np.isnan(b.grad.numpy()[0])
    x = leaf([-2.0, 0.5, 3.0])
    x.clamp(0, 1).backward(mt.tensor([np.nan, 1.0, np.nan]))
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 1.0, 0.0])
    x = leaf([[1.0, 2.0], [3.0, 4.0]])
    x.tril().backward(mt.tensor([[1.0, np.nan], [1.0, 1.0]]))
    np.testing.assert_array_equal(x.grad.numpy(), [[1.0, 0.0], [1.0, 1.0]])
    x = leaf([1.0, 2.0, 3.0])
    x.masked_fill(mt.tensor([True, False, True]), 0.0).backward(mt.tensor([np.nan, 2.0, np.nan]))
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 2.0, 0.0])


def test_nan_inputs_follow_pytorch():
    values = [1.0, np.nan, 3.0]
    for name in ("maximum", "minimum", "fmax", "fmin"):
        a, b = leaf(values), leaf([2.0, 2.0, np.nan])
        ta = torch.tensor(values, requires_grad=True)
        tb = torch.tensor([2.0, 2.0, np.nan], requires_grad=True)
        getattr(mt, name)(a, b).sum().backward()
        getattr(torch, name)(ta, tb).sum().backward()
        np.testing.assert_array_equal(a.grad.numpy(), ta.grad.numpy(), err_msg=name)
        np.testing.assert_array_equal(b.grad.numpy(), tb.grad.numpy(), err_msg=name)
    x = mt.tensor([[3.0, np.nan, 1.0]])
    assert mt.sort(x, descending=True).indices.tolist() == [[1, 0, 2]]  # nan is the largest
    assert mt.argmax(x).item() == 1 and math.isnan(x.max().item())


def test_ties_share_the_gradient_as_in_pytorch():
    values = [1.0, 3.0, 3.0, 0.0, 3.0]
    for fn in (lambda lib, x: lib.median(x), lambda lib, x: x.max(), lambda lib, x: x.amin(),
               lambda lib, x: lib.linalg.vector_norm(x, math.inf)):  # fmt: skip
        x, tx = leaf(values), torch.tensor(values, requires_grad=True)
        fn(mt, x).backward()
        fn(torch, tx).backward()
        np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), atol=1e-12)


def test_masked_fill_in_place():
    x = mt.tensor([1.0, 2.0, 3.0])
    out = x.masked_fill_(mt.tensor([True, False, True]), -1.0)
    assert out is x and x.tolist() == [-1.0, 2.0, -1.0]
    a = leaf([1.0, 2.0, 3.0])
    y = a * 2
    y.masked_fill_(mt.tensor([False, True, False]), 5.0)  # recorded: y becomes the result
    (y * mt.tensor([1.0, 2.0, 3.0])).sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), [2.0, 0.0, 6.0])
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        leaf([1.0]).masked_fill_(mt.tensor([True]), 0.0)
    with pytest.raises(RuntimeError, match="only supports boolean masks"):
        mt.tensor([1.0]).masked_fill_(mt.tensor([1]), 0.0)


def test_var_std_overloads_match_pytorch():
    x = np.random.default_rng(0).standard_normal((3, 4))
    for call in (lambda lib, t: lib.var(t, False), lambda lib, t: lib.var(t, 1, True, True),
                 lambda lib, t: t.std(0, False), lambda lib, t: t.var(correction=0),
                 lambda lib, t: lib.std(t, dim=(0, 1), correction=2, keepdim=True)):  # fmt: skip
        np.testing.assert_allclose(call(mt, mt.tensor(x)).numpy(),
                                   call(torch, torch.tensor(x)).numpy(), atol=1e-12)  # fmt: skip
    with pytest.raises(ValueError, match="unbiased or correction"):
        mt.var(mt.tensor(x), 0, True, correction=1)
    with pytest.raises(TypeError, match="floating"):
        mt.std(mt.tensor([1, 2]))


def test_scatter_accepts_a_larger_src_and_reduce_add():
    # PyTorch's backward rejects a src larger than index; minitorch pads its gradient with 0
    x, src = leaf(np.zeros((2, 4))), leaf(np.arange(6.0).reshape(2, 3))
    index = mt.tensor([[0, 2], [3, 1]])
    y = x.scatter(1, index, src)
    assert y.tolist() == [[0.0, 0.0, 1.0, 0.0], [0.0, 4.0, 0.0, 3.0]]
    y.sum().backward()
    assert src.grad.tolist() == [[1.0, 1.0, 0.0], [1.0, 1.0, 0.0]]
    added = mt.scatter(mt.ones(2, 4), 1, mt.tensor([[0, 0], [1, 1]]), mt.ones(2, 2), reduce="add")
    assert added.tolist() == [[3.0, 1.0, 1.0, 1.0], [1.0, 3.0, 1.0, 1.0]]


def test_rounded_division_and_floor_divide_have_zero_gradients():
    # PyTorch raises for floor_divide's derivative; here (as for div with rounding_mode) it is 0
    x = leaf([3.5, -5.0])
    (x // 2 + mt.div(x, 2, rounding_mode="trunc")).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]
    assert mt.div(mt.tensor([-7, 7]), 2, rounding_mode="trunc").tolist() == [-3, 3]


def test_einsum_implicit_output_and_errors():
    a, b = mt.ones(2, 3), mt.ones(3, 4)
    assert mt.einsum("ij,jk", a, b).shape == (2, 4)
    assert mt.einsum("ba", a).shape == (3, 2)  # implicit output: labels sorted, so transposed
    with pytest.raises(ValueError, match="names 2 operand"):
        mt.einsum("ij,jk->ik", a)
    with pytest.raises(ValueError, match="name 3 dims"):
        mt.einsum("ijk->i", a)


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda: mt.gather(mt.ones(2, 3), 1, mt.tensor([[3]])), IndexError, "out of bounds"),
    (lambda: mt.gather(mt.ones(2, 3), 1, mt.tensor([[0.0]])), TypeError, "integer"),
    (lambda: mt.index_select(mt.ones(2, 3), 0, mt.tensor([-1])), IndexError, "out of range"),
    (lambda: mt.where(mt.ones(2), mt.ones(2), 0.0), TypeError, "bool"),
    (lambda: mt.bitwise_and(mt.ones(2), mt.ones(2)), TypeError, "bool or integer"),
    (lambda: mt.topk(mt.ones(3), 4), IndexError, "k=4"),
    (lambda: mt.split(mt.ones(5), [2, 2]), ValueError, "add up to 5"),
    (lambda: mt.mm(mt.ones(2, 3, 4), mt.ones(4, 2)), ValueError, "input must be 2-D"),
    (lambda: mt.nn.functional.one_hot(mt.tensor([1], dtype=mt.int32)), TypeError, "int64"),
    (lambda: mt.nn.functional.one_hot(mt.tensor([1, 5]), 3), ValueError, "class values"),
    (lambda: mt.scatter(mt.ones(2), 0, mt.tensor([0]), 1.0, reduce="multiply"), ValueError,
     "reduce"),
    (lambda: mt.scatter(mt.ones(2), 0, mt.tensor([0]), mt.ones(1, dtype=mt.float64)),
     TypeError, "dtype"),
    (lambda: mt.frac(mt.tensor([1, 2])), TypeError, "floating"),
    (lambda: mt.masked_fill(mt.ones(2), mt.tensor([1, 0]), 0.0), TypeError, "bool"),
    (lambda: mt.masked_fill(mt.ones(2), mt.tensor([True, False]), mt.ones(2)), ValueError,
     "0-d"),
    (lambda: mt.t(mt.ones(2, 2, 2)), ValueError, "<= 2 dims"),
    (lambda: mt.narrow(mt.ones(4), 0, 3, 2), IndexError, "do not fit"),
    (lambda: mt.linalg.vector_norm(mt.tensor([1, 2])), TypeError, "floating"),
    (lambda: mt.linalg.matrix_norm(mt.ones(2, 2), 3), ValueError, "ord"),
    (lambda: mt.div(mt.ones(2), 2, rounding_mode="round"), ValueError, "rounding_mode"),
    (lambda: mt.repeat_interleave(mt.ones(3), mt.tensor([1, 2])), ValueError, "one per entry"),
    (lambda: mt.tril(mt.ones(3)), ValueError, "at least 2 dims"),
    (lambda: mt.diagonal(mt.ones(2, 2), 0, 1, 1), ValueError, "must differ"),
    (lambda: mt.chunk(mt.ones(3), 0), ValueError, "positive"),
    (lambda: mt.clamp(mt.ones(2)), ValueError, "at least one"),
])  # fmt: skip
def test_bad_input_gives_a_clear_error(call, error, match):
    with pytest.raises(error, match=match):
        call()
