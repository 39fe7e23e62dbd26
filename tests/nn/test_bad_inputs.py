"""The bad-input matrix (``tests/nn/bad_inputs.py``): every catalogue row x every category of bad
or unusual input, with torch as the oracle.

Each case holds one of: (a) minitorch raises a clear error (ValueError, TypeError, RuntimeError
or IndexError, naming the layer and quoting the shape, dtype, type or value given; a module
built from layers may name the inner layer, which quotes the shape it received); or (b) torch
accepts the input and minitorch's result equals torch's (values with NaN positions, dtypes,
and the gradients of the inputs that take one). Where torch raises, minitorch raises too.
A documented difference (``bad_inputs.DIFFERENCES``) must still be refused clearly or computed
without a crash; its result is not compared with torch's.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import numpy as np
import pytest

import minitorch as mt
from tests.helpers import copy_weights_to_torch, to_numpy
from tests.nn import bad_inputs as table
from tests.nn.catalogue import Row
from tests.nn.test_catalogue import MT, build, flatten, is_float, output_weights, torch_lib

CLEAR = (ValueError, TypeError, RuntimeError, IndexError)
# Categories whose floating results take the default dtype: the torch fixture sets float64,
# minitorch's default stays float32, so only "floating" is compared.
DEFAULT_DTYPE = {"list", "int64", "bool"}


def _params() -> list:
    params = []
    for row, category in table.cases():
        key = (row.id, category)
        marks = []
        if key in table.DEFECTS:
            marks.append(pytest.mark.xfail(strict=True, reason=table.DEFECTS[key]))
        params.append(pytest.param(row, category, marks=marks, id=f"{row.id}-{category}"))
    return params


def _call(row: Row, module: Any, inputs: list) -> Any:
    return module(*inputs) if row.call is None else row.call(module, *inputs)


def _leaves(lib_tensor: Any, inputs: list, grads: list) -> list:
    return [x if isinstance(x, list) else lib_tensor(x, requires_grad=g)
            for x, g in zip(inputs, grads)]  # fmt: skip


def _tensors(out: Any) -> list:
    return [o for o in flatten(out) if hasattr(o, "shape")]


def _dtype_name(t: Any) -> str:
    return str(t.dtype).rsplit(".", 1)[-1]


def _outcome(row: Row, module: Any, lib: Any, inputs: list, grads: list) -> Any:
    """(outputs, input gradients) of one call, or the exception it raised."""
    leaves = _leaves(lib.tensor, inputs, grads)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = _call(row, module, leaves)
            outputs = _tensors(out)
            floating = [o for o in outputs if is_float(o) and o.requires_grad]
            if floating and any(grads):
                weights = output_weights(floating)
                loss = sum(
                    (o * lib.tensor(w).to(o.dtype)).sum() for o, w in zip(floating, weights)
                )
                loss.backward()
    except Exception as error:  # noqa: BLE001 - the oracle's verdict is any exception
        return error
    grads_out = [None if not g else leaf.grad for leaf, g in zip(leaves, grads)]
    return out, outputs, grads_out


def _given_in(message: str, given: tuple | None, inputs: list) -> bool:
    """Whether the message quotes what was given: for a shape, that of any input (a mismatch
    may be reported on the input that no longer fits)."""
    if given is None:
        return True
    kind, value = given
    if kind == "shape":
        shapes = [tuple(value)] + [tuple(x.shape) for x in inputs if hasattr(x, "shape")]
        return any(str(s) in message or str(list(s)) in message for s in shapes)
    return str(value) in message


def _inner_layer_quotes_a_shape(row: Row, message: str) -> bool:
    """A composite's error raised by an inner layer, which quotes the shape it received."""
    inner = table.CHILDREN.get(row.cls, set())
    return any(message.startswith(name) for name in inner) and bool(
        re.search(r"shape \(\d+(, \d+)*,?\)", message)
    )


def _assert_clear(row: Row, error: Exception, given: tuple | None, inputs: list) -> None:
    message = f"{type(error).__name__}: {error}"
    assert isinstance(error, CLEAR), f"{row.id}: raw internal error {message}"
    names = {row.cls} | table.CHILDREN.get(row.cls, set())
    assert any(name in str(error) for name in names), f"{row.id}: names no layer: {message}"
    quoted = _given_in(str(error), given, inputs) or (
        given is not None and given[0] == "shape" and _inner_layer_quotes_a_shape(row, str(error))
    )
    assert quoted, f"{row.id}: does not quote {given}: {message}"


def _assert_equal(row: Row, ours: tuple, theirs: tuple, category: str) -> None:
    out, outputs, grads = ours
    t_out, t_outputs, t_grads = theirs
    if isinstance(t_out, list):  # torch passed a list through (Identity)
        assert out == t_out
        return
    assert len(outputs) == len(t_outputs), f"{row.id}: number of outputs"
    tol = {"rtol": 2e-3, "atol": 2e-3} if category == "float16" else {"rtol": 1e-7, "atol": 1e-9}
    for i, (a, b) in enumerate(zip(outputs, t_outputs)):
        assert tuple(a.shape) == tuple(b.shape), f"{row.id}: shape of output {i}"
        if not (category in DEFAULT_DTYPE and is_float(a) and b.is_floating_point()):
            assert _dtype_name(a) == _dtype_name(b), f"{row.id}: dtype of output {i}"
        # an output in minitorch's default float32 against torch's (the fixture's) float64
        in_default = _dtype_name(a) == "float32" and category in DEFAULT_DTYPE
        if not row.random:
            np.testing.assert_allclose(to_numpy(a).astype(np.float64),
                                       b.detach().double().numpy(),
                                       **({"rtol": 1e-6, "atol": 1e-7} if in_default else tol),
                                       err_msg=f"{row.id}: output {i}")  # fmt: skip
    if row.random:
        return
    for i, (a, b) in enumerate(zip(grads, t_grads)):
        if b is not None or a is not None:
            assert a is not None and b is not None, f"{row.id}: gradient of input {i}"
            np.testing.assert_allclose(to_numpy(a), b.numpy(), **tol,
                                       err_msg=f"{row.id}: gradient of input {i}")  # fmt: skip


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize(("row", "category"), _params())
def test_bad_input_is_refused_clearly_or_matches_torch(
    row: Row, category: str, torch: Any
) -> None:
    case = table.CATEGORIES[category](row, table.valid_inputs(row))
    inputs, grads, given = case
    module = build(row, MT).double()
    reference = build(row, torch_lib(torch)).double()
    copy_weights_to_torch(module, reference)
    mt.manual_seed(0)
    ours = _outcome(row, module, MT, inputs, grads)
    theirs = _outcome(row, reference, torch_lib(torch), inputs, grads)
    if isinstance(ours, Exception):
        _assert_clear(row, ours, given, inputs)
    elif (row.id, category) in table.DIFFERENCES:
        return  # computed without a crash; why it differs from torch is documented
    elif isinstance(theirs, Exception):
        pytest.fail(
            f"{row.id}: torch refuses ({type(theirs).__name__}: {theirs}) but minitorch accepts"
        )
    else:
        _assert_equal(row, ours, theirs, category)


def test_documented_differences_and_defects_are_cases() -> None:
    keys = {(row.id, category) for row, category in table.cases()}
    assert set(table.DIFFERENCES) <= keys and set(table.DEFECTS) <= keys
    assert all(reason.strip() for reason in [*table.DIFFERENCES.values(), *table.DEFECTS.values()])
