"""Every elementary op: gradcheck in float64 (with broadcasting), float32 kept, bad input."""

import numpy as np
import pytest

import minitorch as mt


def A(*shape, positive=False):  # noqa: N802  (reads like a matrix name)
    values = np.random.default_rng(sum(shape) + len(shape)).standard_normal(shape)
    return np.abs(values) + 0.5 if positive else values


OPS = {
    "add_broadcast": (lambda a, b: a + b, A(3, 4), A(4)),
    "add_scalar": (lambda a: 2.5 + a, A(3)),
    "sub_broadcast": (lambda a, b: a - b, A(3, 1), A(1, 4)),
    "rsub": (lambda a: 1 - a, A(3)),
    "mul_broadcast": (lambda a, b: a * b, A(2, 3), A(3)),
    "div_broadcast": (lambda a, b: a / b, A(2, 3), A(3, positive=True)),
    "rdiv": (lambda a: 1 / a, A(3, positive=True)),
    "pow_scalar": (lambda a: a**3, A(2, 3)),
    "pow_tensor": (lambda a, b: a**b, A(2, 3, positive=True), A(2, 3)),
    "rpow": (lambda a: 2.0**a, A(3)),
    "neg": (lambda a: -a, A(2)),
    "matmul": (lambda a, b: a @ b, A(2, 3), A(3, 4)),
    "matmul_batched_broadcast": (lambda a, b: a @ b, A(5, 2, 3), A(3, 4)),
    "matmul_batched_both": (lambda a, b: a @ b, A(2, 1, 2, 3), A(4, 3, 2)),
    "matvec": (lambda a, b: a @ b, A(2, 3), A(3)),
    "vecmat": (lambda a, b: a @ b, A(3), A(3, 2)),
    "dot": (lambda a, b: a @ b, A(3), A(3)),
    "sum_all": (lambda a: a.sum(), A(2, 3)),
    "sum_keepdim": (lambda a: a.sum(1, keepdim=True), A(2, 3)),
    "sum_dims": (lambda a: a.sum((0, 2)), A(2, 3, 4)),
    "mean_dim": (lambda a: a.mean(-1), A(2, 3)),
    "mean_all": (lambda a: a.mean(), A(2, 3)),
    "var": (lambda a: a.var(0), A(4, 3)),
    "std_biased": (lambda a: a.std(1, unbiased=False), A(4, 3)),
    "max_all": (lambda a: a.max(), A(2, 3)),
    "max_dim": (lambda a: a.max(1).values, A(2, 3)),
    "min_dim_keepdim": (lambda a: a.min(0, keepdim=True)[0], A(2, 3)),
    "amax": (lambda a: a.amax(dim=(0, 1)), A(2, 3, 2)),
    "maximum": (lambda a, b: mt.maximum(a, b), A(3, 4), A(4)),
    "minimum": (lambda a, b: mt.minimum(a, b), A(3, 4), A(3, 4)),
    "reshape": (lambda a: a.reshape(3, 2), A(2, 3)),
    "view_minus_one": (lambda a: a.view(-1), A(2, 3)),
    "T": (lambda a: a.T, A(2, 3)),
    "permute": (lambda a: a.permute(2, 0, 1), A(2, 3, 4)),
    "transpose": (lambda a: a.transpose(0, 2), A(2, 3, 4)),
    "flatten": (lambda a: a.flatten(1), A(2, 3, 4)),
    "squeeze_unsqueeze": (lambda a: a.unsqueeze(0).squeeze(), A(2, 1, 3)),
    "expand": (lambda a: a.unsqueeze(1).expand(2, 3, 4), A(2, 4)),
    "getitem_slices": (lambda a: a[1:, ::2], A(3, 4)),
    "getitem_int": (lambda a: a[1], A(3, 4)),
    "getitem_int_array_repeats": (lambda a: a[[0, 0, 2]], A(3, 4)),
    "getitem_two_arrays": (lambda a: a[[0, 2, 0], [1, 1, 1]], A(3, 4)),
    "getitem_tensor_index": (lambda a: a[mt.tensor([2, 2])], A(3, 4)),
    "getitem_mask": (lambda a: a[a.array > 0], A(3, 4)),
    "cat": (lambda a, b: mt.cat([a, b], 1), A(2, 3), A(2, 2)),
    "stack": (lambda a, b: mt.stack([a, b], -1), A(2, 3), A(2, 3)),
    "exp": (lambda a: a.exp(), A(3)),
    "log": (lambda a: a.log(), A(3, positive=True)),
    "sqrt": (lambda a: a.sqrt(), A(3, positive=True)),
    "abs": (lambda a: a.abs(), A(3)),
    "clip": (lambda a: a.clip(-0.5, 0.5), A(10)),
    "clip_min_only": (lambda a: a.clamp(min=0.0), A(10)),
    "where_broadcast": (lambda a, b: mt.where(a.array > 0, a, b), A(3, 4), A(4)),
    "to_dtype": (lambda a: a.to(mt.float32).to(mt.float64) * 1.0, A(3)),
}


@pytest.mark.parametrize("name", sorted(OPS))
def test_op_gradcheck_float64(name):
    fn, *inputs = OPS[name]
    if name == "to_dtype":  # float32 round trip loses precision: check loosely
        assert mt.gradcheck(fn, *inputs, eps=1e-2, atol=1e-3, rtol=1e-2)
    else:
        assert mt.gradcheck(fn, *inputs)


@pytest.mark.parametrize(
    "name", sorted(set(OPS) - {"to_dtype", "getitem_mask", "where_broadcast"})
)
def test_op_keeps_float32(name, device):
    fn, *inputs = OPS[name]
    args = [mt.tensor(x.astype(np.float32), device=device, requires_grad=True) for x in inputs]
    out = fn(*args)
    assert out.dtype == mt.float32
    out.sum().backward()
    for a in args:
        assert a.grad is not None and a.grad.dtype == mt.float32


def test_repeated_integer_indices_accumulate():
    x = mt.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[mt.tensor([0, 0, 2, 0])].sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3, 0, 1])


def test_max_with_dim_returns_values_and_indices():
    x = mt.tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 7.0]])
    values, indices = x.max(dim=1)
    np.testing.assert_array_equal(values.numpy(), [5, 7])
    np.testing.assert_array_equal(indices.numpy(), [1, 0])


def test_comparisons_give_bool_tensors_without_grad():
    x = mt.tensor([1.0, 2.0, 3.0], requires_grad=True)
    mask = x > 1.5
    assert mask.dtype == mt.bool and not mask.requires_grad
    np.testing.assert_array_equal(mask.numpy(), [False, True, True])
    assert (x == x).numpy().all()


def test_matmul_shape_mismatch_names_both_shapes():
    with pytest.raises(ValueError, match=r"matmul: shapes \(2, 3\) and \(4, 5\) do not align"):
        mt.randn(2, 3) @ mt.randn(4, 5)


def test_reshape_to_an_incompatible_shape_is_explained():
    with pytest.raises(
        ValueError, match=r"shape \(4, 2\) is invalid for a tensor of shape \(2, 3\)"
    ):
        mt.randn(2, 3).reshape(4, 2)


def test_cat_with_mismatched_shapes_is_explained():
    with pytest.raises(ValueError, match="differ outside dim 0"):
        mt.cat([mt.randn(2, 3), mt.randn(2, 4)])


def test_dim_out_of_range():
    with pytest.raises(IndexError, match="dim 2 is out of range"):
        mt.randn(2, 3).sum(2)
