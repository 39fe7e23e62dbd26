"""Tensor metadata and conversions: Size, dims, strides, item/format/bool, to/type/numpy."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import minitorch as mt

torch = pytest.importorskip("torch")


def test_shape_is_a_size_that_compares_as_a_tuple():
    x = mt.zeros(2, 3)
    assert isinstance(x.shape, mt.Size) and isinstance(x.size(), mt.Size)
    assert x.shape == (2, 3) and x.size() == (2, 3) and (2, 3) == x.shape
    assert repr(x.shape) == "minitorch.Size([2, 3])" == str(x.size())
    assert repr(mt.Size([])) == "minitorch.Size([])"
    assert x.shape.numel() == 6 and mt.Size([]).numel() == 1
    assert isinstance(x.shape[1:], mt.Size) and x.shape[1:] == (3,)
    assert isinstance(x.shape[0], int)
    assert isinstance(x.shape + (1,), mt.Size) and (1,) + x.shape == (1, 2, 3)
    assert isinstance((1,) + x.shape, mt.Size)
    assert x.shape * 2 == (2, 3, 2, 3)
    assert pickle.loads(pickle.dumps(x.shape)) == x.shape
    assert mt.Size(np.array([4, 5])) == (4, 5)
    with pytest.raises(TypeError, match="sequence of ints"):
        mt.Size([2.5])
    n, m = x.shape
    assert (n, m) == (2, 3)


def test_size_and_dims_with_negative_indices():
    x = mt.zeros(2, 3, 4)
    t = torch.zeros(2, 3, 4)
    for d in (0, 2, -1, -3):
        assert x.size(d) == t.size(d)
    assert x.dim() == x.ndim == x.ndimension() == 3
    assert x.numel() == x.nelement() == mt.numel(x) == 24
    for bad in (3, -4):
        with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range "
                                             r"of \[-3, 2\], but got"):  # fmt: skip
            x.size(bad)
    with pytest.raises(IndexError, match="no dimensions"):
        mt.tensor(1.0).size(0)


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int64", "int32", "bool",
                                   "uint8", "int8", "int16"])  # fmt: skip
def test_element_size_itemsize_nbytes(dtype):
    x, t = mt.zeros(3, 2, dtype=getattr(mt, dtype)), torch.zeros(3, 2, dtype=getattr(torch, dtype))
    assert (x.element_size(), x.itemsize, x.nbytes) == (t.element_size(), t.itemsize, t.nbytes)


def test_strides_contiguity_and_data_ptr():
    x, t = mt.zeros(2, 3, 4), torch.zeros(2, 3, 4)
    assert x.stride() == t.stride() and x.stride(-1) == t.stride(-1) == 1
    y, u = x.transpose(0, 2), t.transpose(0, 2)
    assert y.stride() == u.stride()
    assert x.is_contiguous() and not y.is_contiguous() and not u.is_contiguous()
    c = y.contiguous()
    assert c.is_contiguous() and c.stride() == u.contiguous().stride()
    assert x.contiguous() is x
    assert x.data_ptr() == x.data.data_ptr() == x.detach().data_ptr() != mt.zeros(2).data_ptr()
    assert x[1].data_ptr() == x.data_ptr() + 12 * 4


def test_device_and_kind_flags():
    x = mt.ones(2)
    assert x.device == mt.device("cpu") and x.device.type == "cpu"
    assert not x.is_cuda and not x.is_xpu and not x.is_mps and not x.is_sparse
    assert x.is_floating_point() and mt.is_floating_point(x) and not x.is_complex()
    assert not mt.arange(2).is_floating_point()
    assert mt.tensor([1j]).is_complex() and mt.is_complex(mt.tensor([1j]))
    assert mt.is_tensor(x) and not mt.is_tensor(np.ones(2))


def test_item_tolist_and_python_numbers():
    x = mt.tensor([[1.5, 2.0]])
    assert x.tolist() == [[1.5, 2.0]] and mt.tensor(3).tolist() == 3
    assert mt.tensor([4.5]).item() == 4.5 and isinstance(mt.tensor([4]).item(), int)
    assert float(mt.tensor([2.5])) == 2.5 and int(mt.tensor(7.9)) == 7
    assert [10, 20, 30][mt.tensor(1)] == 20
    with pytest.raises(
        RuntimeError, match="a Tensor with 2 elements cannot be converted to Scalar"
    ):
        x.item()
    with pytest.raises(ValueError, match="only one element tensors can be converted"):
        float(x)
    with pytest.raises(TypeError, match="only integer tensors of a single element"):
        [1, 2][mt.tensor(1.0)]


def test_bool_follows_torch():
    assert bool(mt.tensor([3.0])) and not bool(mt.tensor(0))
    with pytest.raises(RuntimeError, match="more than one value is ambiguous"):
        bool(mt.ones(2))
    with pytest.raises(RuntimeError, match="no values is ambiguous"):
        bool(mt.ones(0))


def test_format_of_zero_d_tensors_and_others():
    loss = mt.tensor(0.123456)
    assert f"{loss:.4f}" == f"{torch.tensor(0.123456):.4f}" == "0.1235"
    assert f"{mt.tensor(3):>4}" == "   3"
    assert f"{mt.ones(2)}" == str(mt.ones(2)) == "tensor([1., 1.])"
    with pytest.raises(TypeError, match="unsupported format string"):
        f"{mt.ones(2):.2f}"


def test_len_and_iteration():
    x = mt.arange(6).reshape(3, 2)
    assert len(x) == 3 and [r.tolist() for r in x] == [[0, 1], [2, 3], [4, 5]]
    with pytest.raises(TypeError, match="len\\(\\) of a 0-d tensor"):
        len(mt.tensor(1))
    with pytest.raises(TypeError, match="iteration over a 0-d tensor"):
        iter(mt.tensor(1))


def test_numpy_and_array_protocol():
    x = mt.tensor([1.0, 2.0])
    a = x.numpy()
    a[0] = 5
    assert x[0].item() == 5  # shares memory
    assert (
        np.asarray(x).dtype == np.float32 and np.asarray(x, dtype=np.float64).dtype == np.float64
    )
    w = mt.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"Can't call numpy\(\) on Tensor that requires grad"):
        w.numpy()
    f = w.numpy(force=True)
    f[0] = 3
    assert w[0].item() == 1.0  # force: a detached copy


def test_to_parses_devices_dtypes_tensors_and_flags():
    x = mt.ones(2)
    assert x.to("cpu") is x and x.to(mt.float32) is x and x.cpu() is x
    assert x.to(mt.float64).dtype == mt.float64
    assert x.to("cpu", mt.float16).dtype == mt.float16
    assert x.to(mt.zeros(1, dtype=mt.int64)).dtype == mt.int64
    assert x.to(device="cpu", dtype=mt.float64, non_blocking=True).dtype == mt.float64
    y = x.to(mt.float32, False, True)  # (dtype, non_blocking, copy) as PyTorch's positional form
    assert y is not x and y.data_ptr() != x.data_ptr()
    assert x.to(copy=True) is not x
    w = mt.ones(2, requires_grad=True)
    (w.to(mt.float64) * 2).sum().backward()
    assert w.grad.dtype == mt.float32 and w.grad.tolist() == [2.0, 2.0]


@pytest.mark.parametrize(
    "method, dtype",
    [("float", "float32"), ("double", "float64"), ("half", "float16"), ("long", "int64"),
     ("int", "int32"), ("short", "int16"), ("char", "int8"), ("byte", "uint8"), ("bool", "bool")],
)  # fmt: skip
def test_dtype_shortcuts_and_type_strings(method, dtype):
    x, t = getattr(mt.ones(2), method)(), getattr(torch.ones(2), method)()
    assert str(x.dtype) == dtype == str(t.dtype).replace("torch.", "")
    assert x.type() == t.type()


def test_type_converts_from_dtype_or_string():
    x = mt.ones(2)
    assert x.type() == "torch.FloatTensor"
    assert x.type(mt.float64).dtype == mt.float64
    assert x.type("torch.IntTensor").dtype == mt.int32
    assert x.type_as(mt.zeros(1, dtype=mt.int64)).dtype == mt.int64
    with pytest.raises(ValueError, match="invalid type"):
        x.type("torch.NoSuchTensor")


def test_bfloat16_round_trip():
    pytest.importorskip("ml_dtypes")
    x = mt.tensor([1.0, 2.5, 3.140625]).bfloat16()
    t = torch.tensor([1.0, 2.5, 3.140625]).bfloat16()
    assert str(x.dtype) == "bfloat16" and x.type() == t.type() == "torch.BFloat16Tensor"
    assert x.is_floating_point() and x.element_size() == 2
    np.testing.assert_array_equal(x.float().numpy(), t.float().numpy())
    assert repr(x) == repr(t).replace("torch.", "")
