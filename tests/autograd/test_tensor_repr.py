"""``repr(tensor)`` is PyTorch's (dtype names without the ``torch.`` prefix), and
``set_printoptions`` changes it as PyTorch's does."""

from __future__ import annotations

import pytest

import minitorch as mt

torch = pytest.importorskip("torch")

CASES = {
    "0-d": lambda L: L.tensor(2.0),
    "0-d fraction": lambda L: L.tensor(2.5),
    "0-d int": lambda L: L.tensor(3),
    "0-d bool": lambda L: L.tensor(True),
    "0-d float64": lambda L: L.tensor(1.5, dtype=L.float64),
    "1-d whole floats": lambda L: L.tensor([1.0, 2.0]),
    "1-d ints": lambda L: L.tensor([1, 2]),
    "1-d fractions": lambda L: L.tensor([0.1, 0.25, -3.5]),
    "2-d": lambda L: L.tensor([[1.5, -2.0], [3.0, 4.25]]),
    "3-d": lambda L: L.arange(24.0).reshape(2, 3, 4),
    "bools": lambda L: L.tensor([True, False]),
    "float64": lambda L: L.tensor([1.5, 2.0], dtype=L.float64),
    "float16": lambda L: L.tensor([1.5, 2.0], dtype=L.float16),
    "int32": lambda L: L.tensor([1, 2], dtype=L.int32),
    "uint8": lambda L: L.tensor([1, 255], dtype=L.uint8),
    "large": lambda L: L.tensor([1e10, 1.0]),
    "huge": lambda L: L.tensor([1e20, -3e21]),
    "small": lambda L: L.tensor([1e-6, 1.0]),
    "all tiny": lambda L: L.tensor([1e-5, 2e-5]),
    "wide ratio": lambda L: L.tensor([0.001, 10.5]),
    "whole, wide ratio": lambda L: L.tensor([1.0, 2000.0]),
    "whole, above 1e8": lambda L: L.tensor([1e9, 2.0]),
    "sci 2-d": lambda L: L.tensor([[1e-5, 1.0], [100.0, 3.0]]),
    "nan and inf": lambda L: L.tensor([float("nan"), float("inf"), 1.5]),
    "nan, whole": lambda L: L.tensor([float("nan"), 1.0]),
    "negative zero": lambda L: L.tensor([-0.0, 1.0]),
    "zeros": lambda L: L.zeros(3),
    "empty": lambda L: L.tensor([]),
    "empty 2-d": lambda L: L.zeros(0, 3),
    "empty int": lambda L: L.zeros(0, dtype=L.int64),
    "row wraps": lambda L: L.arange(30.0) / 7,
    "int row wraps": lambda L: L.arange(40),
    "wide float64 rows": lambda L: (L.arange(60, dtype=L.float64) * 1.123).reshape(3, 20),
    "summarised": lambda L: L.arange(2000.0),
    "summarised 2-d": lambda L: L.arange(4000.0).reshape(40, 100),
    "summarised 3-d": lambda L: L.arange(6000.0).reshape(10, 20, 30),
    "requires_grad": lambda L: L.tensor([1.0, 2.0], requires_grad=True),
    "0-d requires_grad": lambda L: L.tensor(1.0, requires_grad=True),
    "grad_fn": lambda L: L.tensor([1.0, 2.0], requires_grad=True) * 2,
    "float64 grad_fn": lambda L: L.tensor([1.0, 2.0], dtype=L.float64, requires_grad=True) * 3,
}


@pytest.mark.parametrize("make", CASES.values(), ids=CASES.keys())
def test_repr_matches_torch(make):
    assert repr(make(mt)) == repr(make(torch)).replace("torch.", "")


def test_bfloat16_prints_through_float32():
    pytest.importorskip("ml_dtypes")
    assert repr(mt.tensor([1.5, 2.0]).bfloat16()) == "tensor([1.5000, 2.0000], dtype=bfloat16)"


@pytest.fixture
def restore_printoptions():
    yield
    mt.set_printoptions(profile="default")
    torch.set_printoptions(profile="default")


OPTIONS = [
    (dict(precision=2), lambda L: L.tensor([0.12345, 1.5])),
    (dict(sci_mode=True), lambda L: L.tensor([0.12345, 1.5])),
    (dict(sci_mode=False), lambda L: L.tensor([1e-6, 1.5])),
    (dict(linewidth=30), lambda L: L.arange(20.0) / 3),
    (dict(linewidth=40), lambda L: L.tensor([1.0, 2.0], dtype=L.float64, requires_grad=True)),
    (dict(threshold=5), lambda L: L.arange(10.0)),
    (dict(threshold=5, edgeitems=1), lambda L: L.arange(24.0).reshape(2, 3, 4)),
    (dict(profile="short"), lambda L: L.arange(2000.0) / 3),
    (dict(profile="full"), lambda L: L.arange(1200)),
]


@pytest.mark.parametrize("options, make", OPTIONS, ids=[repr(o) for o, _ in OPTIONS])
def test_printoptions_as_torch(options, make, restore_printoptions):
    mt.set_printoptions(**options)
    torch.set_printoptions(**options)
    assert repr(make(mt)) == repr(make(torch)).replace("torch.", "")


def test_printoptions_rejects_unknown_profile(restore_printoptions):
    with pytest.raises(ValueError, match="unknown profile 'long'"):
        mt.set_printoptions(profile="long")


def test_parameter_repr_keeps_its_header():
    p = mt.nn.Parameter(mt.ones(2))
    assert repr(p) == "Parameter containing:\ntensor([1., 1.], requires_grad=True)"
