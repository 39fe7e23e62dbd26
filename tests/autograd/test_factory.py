"""Constructors: values, dtypes and shapes as PyTorch's, and their errors."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch as mt

torch = pytest.importorskip("torch")


def same(m: mt.Tensor, t) -> None:
    """Same dtype (by name), shape and values as the torch tensor ``t``."""
    assert str(m.dtype) == str(t.dtype).replace("torch.", "")
    assert tuple(m.shape) == tuple(t.shape)
    np.testing.assert_array_equal(m.numpy(), t.numpy())


TENSOR_DATA = [
    2.5, 3, True, [1.0, 2.0], [1, 2], [True, False], [1, 2.5], [[1, 2], [3.5, 4]], [],
    [[True, 1]], np.array([1.0, 2.0]), np.array([1, 2], dtype=np.int32), np.float64(1.5),
]  # fmt: skip


@pytest.mark.parametrize("data", TENSOR_DATA, ids=repr)
def test_tensor_infers_dtype_as_torch(data):
    same(mt.tensor(data), torch.tensor(data))


def test_tensor_of_zero_d_tensors_and_dtype_argument():
    same(mt.tensor([mt.tensor(1.0), mt.tensor(2.0)]), torch.tensor([1.0, 2.0]))
    same(mt.tensor([mt.tensor(1), mt.tensor(2)]), torch.tensor([1, 2]))
    same(mt.tensor([1.7, -2.7], dtype=mt.int64), torch.tensor([1.7, -2.7], dtype=torch.int64))
    same(mt.tensor([1, 2], dtype=mt.float64), torch.tensor([1, 2], dtype=torch.float64))
    assert mt.tensor(1 + 2j).dtype == mt.complex64


def test_tensor_copies_and_as_tensor_shares():
    a = np.array([1.0, 2.0], dtype=np.float32)
    t = mt.tensor(a)
    a[0] = 9
    assert t[0].item() == 1.0
    s = mt.as_tensor(a)
    a[1] = 7
    assert s[1].item() == 7 and s.dtype == mt.float32
    assert mt.as_tensor(a, dtype=mt.float64).dtype == mt.float64
    x = mt.ones(2)
    assert mt.as_tensor(x) is x
    assert mt.as_tensor([1.5]).dtype == mt.float32  # lists convert as tensor() does
    f = mt.from_numpy(a)
    a[0] = 5
    assert f[0].item() == 5
    with pytest.raises(TypeError, match=r"expected np.ndarray \(got list\)"):
        mt.from_numpy([1, 2])


def test_tensor_requires_grad_needs_a_float():
    assert mt.tensor([1.0], requires_grad=True).requires_grad
    with pytest.raises(RuntimeError, match="only floating point tensors can require gradients"):
        mt.tensor([1], requires_grad=True)


@pytest.mark.parametrize("name", ["zeros", "ones", "empty"])
@pytest.mark.parametrize("size", [(2, 3), ((2, 3),), ([2, 3],), (mt.Size([2, 3]),), ((),), (0,)])
def test_sized_constructors_take_ints_or_one_sequence(name, size):
    x = getattr(mt, name)(*size)
    expected = getattr(torch, name)(*[tuple(s) if isinstance(s, mt.Size) else s for s in size])
    assert x.shape == tuple(expected.shape) and x.dtype == mt.float32
    if name != "empty":
        same(x, expected)


def test_sized_constructors_options_and_errors():
    x = mt.zeros(2, dtype=mt.int64)
    assert x.dtype == mt.int64 and x.device == mt.device("cpu") and not x.requires_grad
    assert mt.ones(2, requires_grad=True).requires_grad
    assert mt.zeros(np.int64(3)).shape == (3,)
    with pytest.raises(RuntimeError, match=r"negative dimension -1: \[2, -1\]"):
        mt.zeros(2, -1)
    with pytest.raises(TypeError, match=r"zeros\(\): size must be ints"):
        mt.zeros(2.5)


@pytest.mark.parametrize("fill", [1.5, 7, True])
def test_full_dtype_follows_the_fill_value(fill):
    same(mt.full((2, 2), fill), torch.full((2, 2), fill))
    same(mt.full((2,), fill, dtype=mt.float64), torch.full((2,), fill, dtype=torch.float64))
    assert mt.full([3], mt.tensor(2.0)).tolist() == [2.0, 2.0, 2.0]


@pytest.mark.parametrize(
    "args",
    [(5,), (2, 7), (0, 1, 0.25), (5.0,), (1, 2.5, 0.5), (10, 0, -3), (0, 0.3, 0.1),
     (-1.0, 1.0, 0.1), (3, 3)],
    ids=repr,
)  # fmt: skip
def test_arange_matches_torch(args):
    m, t = mt.arange(*args), torch.arange(*args)
    assert m.dtype == mt.int64 if t.dtype == torch.int64 else m.dtype == mt.float32
    assert m.shape == tuple(t.shape)
    # PyTorch's vectorised kernel rounds per block of 8 or 16 (CPU-dependent): ulp differences
    np.testing.assert_allclose(m.numpy(), t.numpy(), rtol=1e-6, atol=1e-7)


def test_arange_dtype_and_errors():
    same(mt.arange(4, dtype=mt.float64), torch.arange(4, dtype=torch.float64))
    same(mt.arange(mt.tensor(3)), torch.arange(torch.tensor(3)))
    with pytest.raises(RuntimeError, match="step must be nonzero"):
        mt.arange(0, 5, 0)
    with pytest.raises(RuntimeError, match="inconsistent with step sign"):
        mt.arange(5, 0)


@pytest.mark.parametrize("args", [(0, 1, 5), (-3.0, 7.5, 11), (1, 1, 3), (0, 1, 1), (0, 1, 0),
                                  (2, -2, 100)], ids=repr)  # fmt: skip
def test_linspace_matches_torch(args):
    m, t = mt.linspace(*args), torch.linspace(*args)
    assert m.dtype == mt.float32 and m.shape == tuple(t.shape)
    np.testing.assert_allclose(m.numpy(), t.numpy(), rtol=1e-6, atol=1e-6)
    t64 = torch.linspace(*args, dtype=torch.float64)
    np.testing.assert_allclose(mt.linspace(*args, dtype=mt.float64).numpy(), t64.numpy(),
                               rtol=1e-14, atol=1e-14)  # fmt: skip
    same(mt.linspace(0, 10, 4, dtype=mt.int64), torch.linspace(0, 10, 4, dtype=torch.int64))


def test_logspace_and_eye():
    np.testing.assert_allclose(mt.logspace(0, 3, 4).numpy(), torch.logspace(0, 3, 4).numpy())
    np.testing.assert_allclose(mt.logspace(0, 3, 4, base=2).numpy(),
                               torch.logspace(0, 3, 4, base=2).numpy())  # fmt: skip
    same(mt.eye(3), torch.eye(3))
    same(mt.eye(2, 4, dtype=mt.int64), torch.eye(2, 4, dtype=torch.int64))


@pytest.mark.parametrize("name", ["zeros_like", "ones_like", "empty_like"])
def test_like_constructors_keep_shape_dtype_and_device(name):
    x = mt.zeros(2, 3, dtype=mt.float64)
    y = getattr(mt, name)(x)
    assert y.shape == (2, 3) and y.dtype == mt.float64 and y.device == x.device
    z = getattr(mt, name)(x, dtype=mt.int32, device="cpu")
    assert z.dtype == mt.int32
    assert getattr(mt, name)(x, requires_grad=True).requires_grad
    f = mt.full_like(x, 4)
    assert f.dtype == mt.float64 and f.tolist() == [[4.0] * 3] * 2


def test_new_constructors_default_to_self_dtype_and_device():
    x = mt.ones(2, dtype=mt.float64)
    for name, args in [("new_zeros", (2, 3)), ("new_ones", ((2, 3),)), ("new_empty", (2, 3))]:
        y = getattr(x, name)(*args)
        t = getattr(torch.ones(2, dtype=torch.float64), name)(*args)
        assert y.shape == tuple(t.shape) and y.dtype == mt.float64
    same(x.new_full((2,), 3), torch.ones(2, dtype=torch.float64).new_full((2,), 3))
    same(x.new_tensor([1, 2]), torch.ones(2, dtype=torch.float64).new_tensor([1, 2]))
    assert x.new_zeros(2, dtype=mt.int64).dtype == mt.int64
    assert x.new_ones(1, requires_grad=True).requires_grad


def test_default_dtype_governs_float_constructors():
    mt.set_default_dtype(mt.float64)
    try:
        assert mt.tensor([1.5]).dtype == mt.float64
        assert mt.zeros(1).dtype == mt.float64 and mt.arange(0.5, 2).dtype == mt.float64
        assert mt.tensor(1j).dtype == mt.complex128
        assert mt.arange(3).dtype == mt.int64
    finally:
        mt.set_default_dtype(mt.float32)
    with pytest.raises(TypeError, match="floating dtype"):
        mt.set_default_dtype(mt.int64)
