"""Every row of the op table against PyTorch (float64): values, dtypes, shapes and input
gradients to 1e-10, as a function and as a Tensor method; ``mt.gradcheck`` for the
differentiable rows; float32 stays float32; the same on every device; and the name coverage."""

from __future__ import annotations

import zlib

import numpy as np
import pytest

import minitorch as mt
from tests.autograd.op_table import F, Index, Int, Mask, Unique, all_rows, draw
from tests.helpers import to_numpy

torch = pytest.importorskip("torch")

ROWS = all_rows()
CASES = [(row, k) for row in ROWS for k in range(len(row.cases))]
CALLS = [(row, k, kind, fn) for row, k in CASES for kind, fn in row.calls()]


def arrays_for(row, k):
    rng = np.random.default_rng(zlib.crc32(f"{row.label}/{k}".encode()))
    return [draw(spec, row.domain, rng) for spec in row.cases[k]]


def is_float_spec(spec):
    return isinstance(spec, (tuple, F))


def mt_inputs(row, k, arrays, dtype=None, device=None, grad=True):
    out = []
    for spec, a in zip(row.cases[k], arrays):
        floating = is_float_spec(spec)
        a = a.astype(dtype) if floating and dtype is not None else np.copy(a, order="K")
        t = mt.from_numpy(a) if device is None else mt.tensor(a, device=device)
        out.append(t.requires_grad_() if floating and grad and row.grad else t)
    return out


def torch_inputs(row, k, arrays, dtype=None, grad=True):
    out = []
    for spec, a in zip(row.cases[k], arrays):
        floating = is_float_spec(spec)
        a = a.astype(dtype) if floating and dtype is not None else np.copy(a, order="K")
        t = torch.from_numpy(a)
        out.append(t.requires_grad_() if floating and grad and row.grad else t)
    return out


def leaves(out):
    if isinstance(out, (tuple, list)):
        return [leaf for o in out for leaf in leaves(o)]
    return [out]


def assert_same(mt_out, th_out, atol, where):
    mts, ths = leaves(mt_out), leaves(th_out)
    assert len(mts) == len(ths), f"{where}: {len(mts)} outputs, torch gives {len(ths)}"
    for i, (a, b) in enumerate(zip(mts, ths)):
        if not isinstance(b, torch.Tensor):
            assert not isinstance(a, mt.Tensor) and a == b, f"{where}[{i}]: {a!r} != {b!r}"
            continue
        assert isinstance(a, mt.Tensor), f"{where}[{i}]: got {type(a).__name__}, not a Tensor"
        expected = b.detach().numpy()
        assert a.shape == expected.shape, f"{where}[{i}]: shape {a.shape} != {expected.shape}"
        assert a.dtype == expected.dtype, f"{where}[{i}]: dtype {a.dtype} != {expected.dtype}"
        np.testing.assert_allclose(to_numpy(a), expected, rtol=atol, atol=atol, equal_nan=True,
                                   err_msg=f"{where}[{i}] values")  # fmt: skip


def weighted_loss(outs, lib, seed):
    """sum_i <out_i, w_i> over the floating outputs that carry a gradient, or None."""
    rng = np.random.default_rng(seed)
    total = None
    for o in leaves(outs):
        if not hasattr(o, "shape"):
            continue
        w = rng.standard_normal(tuple(o.shape))
        if not getattr(o, "requires_grad", False):
            continue
        term = (o * lib.tensor(w, dtype=o.dtype)).sum()
        total = term if total is None else total + term
    return total


def grad_of(t):
    if t.grad is None:
        return np.zeros(tuple(t.shape))
    return to_numpy(t.grad) if isinstance(t, mt.Tensor) else t.grad.numpy(force=True)


@pytest.mark.parametrize(("row", "k", "kind", "fn"), CALLS,
                         ids=[f"{r.label}-{k}-{kind}" for r, k, kind, _ in CALLS])  # fmt: skip
def test_matches_torch(row, k, kind, fn):
    arrays = arrays_for(row, k)
    mt_in, th_in = mt_inputs(row, k, arrays), torch_inputs(row, k, arrays)
    mt_out, th_out = fn(mt, *mt_in), fn(torch, *th_in)
    assert_same(mt_out, th_out, row.atol, f"{row.label} {kind}")
    if not row.grad:
        return
    th_loss, mt_loss = weighted_loss(th_out, torch, 7), weighted_loss(mt_out, mt, 7)
    assert (th_loss is None) == (mt_loss is None), "one library's output carries no gradient"
    if th_loss is None:
        return
    th_loss.backward()
    mt_loss.backward()
    for i, (a, b) in enumerate(zip(mt_in, th_in)):
        if b.requires_grad:
            g = grad_of(a)
            assert a.grad is None or a.grad.dtype == a.dtype, f"input {i} grad dtype"
            np.testing.assert_allclose(
                g, grad_of(b), rtol=row.atol, atol=row.atol, equal_nan=True,
                err_msg=f"gradient of input {i}",
            )  # fmt: skip


GRAD_CASES = [
    (row, k) for row, k in CASES
    if row.grad and row.gradcheck and any(is_float_spec(s) and np.prod(getattr(s, "shape", s)) > 0
                        for s in row.cases[k])
]  # fmt: skip


@pytest.mark.parametrize(("row", "k"), GRAD_CASES, ids=[f"{r.label}-{k}" for r, k in GRAD_CASES])
def test_gradcheck(row, k):
    _, fn = row.calls()[0]
    # contiguous copies: gradcheck perturbs a flat view of each input, which a transposed
    # array does not have (non-contiguous inputs are covered by test_matches_torch)
    inputs = mt_inputs(row, k, [np.array(a, order="C") for a in arrays_for(row, k)])
    assert mt.gradcheck(lambda *xs: fn(mt, *xs), *inputs)


FIRST = [(row, 0) for row in ROWS if any(map(is_float_spec, row.cases[0]))]


@pytest.mark.parametrize(("row", "k"), FIRST, ids=[r.label for r, _ in FIRST])
def test_float32_stays_float32(row, k):
    _, fn = row.calls()[0]
    arrays = arrays_for(row, k)
    mt_in = mt_inputs(row, k, arrays, dtype=np.float32)
    th_in = torch_inputs(row, k, arrays, dtype=np.float32)
    mt_out, th_out = fn(mt, *mt_in), fn(torch, *th_in)
    assert_same(mt_out, th_out, 1e-4, f"{row.label} float32")
    loss = weighted_loss(mt_out, mt, 3)
    if row.grad and loss is not None:
        loss.backward()
        for t in mt_in:
            assert t.grad is None or t.grad.dtype == mt.float32, f"grad dtype {t.grad.dtype}"


@pytest.mark.parametrize(("row", "k"), FIRST, ids=[r.label for r, _ in FIRST])
def test_on_device(row, k, device):
    _, fn = row.calls()[0]
    arrays = arrays_for(row, k)
    mt_in = mt_inputs(row, k, arrays, device=device)
    th_in = torch_inputs(row, k, arrays)
    mt_out, th_out = fn(mt, *mt_in), fn(torch, *th_in)
    for o in leaves(mt_out):
        assert not isinstance(o, mt.Tensor) or o.device == mt.device(device)
    assert_same(mt_out, th_out, 1e-9, f"{row.label} on {device}")
    loss = weighted_loss(mt_out, mt, 5)
    if row.grad and loss is not None:
        loss.backward()
        th_loss = weighted_loss(th_out, torch, 5)
        th_loss.backward()
        for a, b in zip(mt_in, th_in):
            if b.requires_grad:
                np.testing.assert_allclose(grad_of(a), grad_of(b), rtol=1e-9, atol=1e-9)


def test_spec_helpers_cover_every_kind():
    rng = np.random.default_rng(0)
    assert draw(Mask((2, 3)), "real", rng).dtype == bool
    assert draw(Int((4,)), "real", rng).dtype == np.int64
    assert draw(Index((4,), 3), "real", rng).min() >= 0
    u = draw(Unique((2, 3), 1, 5), "real", rng)
    assert all(len(set(r)) == 3 for r in u)
    assert not draw(F((3, 2), nc=True), "real", rng).flags.c_contiguous
