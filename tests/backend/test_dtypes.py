"""Dtypes: PyTorch's promotion and casting rules, finfo/iinfo, bfloat16 through ml_dtypes."""

from __future__ import annotations

import sys

import pytest

import minitorch as mt
from minitorch.backend import dtypes

torch = pytest.importorskip("torch")

NAMES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64",
         "complex64", "complex128"]  # fmt: skip


@pytest.mark.parametrize("a", NAMES)
@pytest.mark.parametrize("b", NAMES)
def test_promote_types_and_can_cast_as_torch(a, b):
    ours = mt.promote_types(getattr(mt, a), getattr(mt, b))
    theirs = torch.promote_types(getattr(torch, a), getattr(torch, b))
    assert str(ours) == str(theirs).replace("torch.", "")
    assert mt.can_cast(getattr(mt, a), getattr(mt, b)) == torch.can_cast(
        getattr(torch, a), getattr(torch, b)
    )


@pytest.mark.parametrize(
    "make",
    [lambda L: (L.ones(2, dtype=L.int32), 2.5),
     lambda L: (L.ones(2), L.ones(2, dtype=L.float64)),
     lambda L: (L.ones(2), L.tensor(1.0, dtype=L.float64)),
     lambda L: (L.ones(2, dtype=L.int64), 3),
     lambda L: (L.tensor(1), L.ones(2, dtype=L.int8)),
     lambda L: (True, L.ones(2, dtype=L.bool)),
     lambda L: (L.ones(2, dtype=L.float16), L.ones(2, dtype=L.int64))],
)  # fmt: skip
def test_result_type_as_torch(make):
    assert str(mt.result_type(*make(mt))) == str(torch.result_type(*make(torch))).replace(
        "torch.", ""
    )


def test_aliases_exist():
    assert mt.float is mt.float32 and mt.double is mt.float64 and mt.half is mt.float16
    assert mt.long is mt.int64 and mt.int is mt.int32 and mt.short is mt.int16
    assert mt.cfloat is mt.complex64 and mt.cdouble is mt.complex128
    assert mt.get_default_dtype() == mt.float32


@pytest.mark.parametrize("name", ["float16", "float32", "float64"])
def test_finfo_as_torch(name):
    ours, theirs = mt.finfo(getattr(mt, name)), torch.finfo(getattr(torch, name))
    for field in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution"):
        assert getattr(ours, field) == getattr(theirs, field), field
    assert isinstance(ours.max, float) and ours.dtype == name
    assert repr(ours) == repr(theirs)
    assert mt.finfo().eps == torch.finfo().eps


@pytest.mark.parametrize("name", ["uint8", "int8", "int16", "int32", "int64"])
def test_iinfo_as_torch(name):
    ours, theirs = mt.iinfo(getattr(mt, name)), torch.iinfo(getattr(torch, name))
    assert (ours.bits, ours.max, ours.min) == (theirs.bits, theirs.max, theirs.min)
    assert isinstance(ours.max, int) and repr(ours) == repr(theirs)


def test_info_errors():
    with pytest.raises(TypeError, match="floating point dtype"):
        mt.finfo(mt.int32)
    with pytest.raises(TypeError, match="integer dtype"):
        mt.iinfo(mt.bool)


def test_bfloat16_through_ml_dtypes():
    pytest.importorskip("ml_dtypes")
    assert str(mt.bfloat16) == "bfloat16" and dtypes.is_floating(mt.bfloat16)
    assert mt.promote_types(mt.bfloat16, mt.float32) == mt.float32
    info, theirs = mt.finfo(mt.bfloat16), torch.finfo(torch.bfloat16)
    assert (info.eps, info.max, info.bits) == (theirs.eps, theirs.max, theirs.bits)
    x = mt.ones(3, dtype=mt.bfloat16)
    assert (x * 2).dtype == mt.bfloat16 and (x * 2).float().tolist() == [2.0, 2.0, 2.0]


def test_bfloat16_without_ml_dtypes_names_the_package(monkeypatch):
    monkeypatch.setitem(sys.modules, "ml_dtypes", None)  # makes `import ml_dtypes` fail
    with pytest.raises(AttributeError, match="pip install ml-dtypes"):
        dtypes.bfloat16_dtype()
    with pytest.raises(AttributeError, match="optional package ml_dtypes"):
        dtypes.from_tensor_type_name("torch.BFloat16Tensor")
