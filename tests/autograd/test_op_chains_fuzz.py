"""Random chains of Tensor ops against PyTorch: values, dtypes, shapes and input gradients.

Each example draws a float64 input of a random shape (empty dimensions included) and applies a
chain of 1-5 ops drawn from the table below (broadcasting arithmetic, basic, advanced and
boolean indexing with negative indices, reductions with dims and keepdim, reshapes, permutes,
cat/stack, in-place updates), each op's arguments drawn to fit the current shape. The same
program, written once against the shared PyTorch API, runs on minitorch and on torch.

The default run is bounded for the suite; ``MINITORCH_FUZZ_EXAMPLES=20000 pytest -m fuzz
tests/autograd/test_op_chains_fuzz.py`` runs the long one for release checks.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import minitorch as mt

torch = pytest.importorskip("torch")

LONG = int(os.environ.get("MINITORCH_FUZZ_EXAMPLES", "0"))
EXAMPLES = LONG or 150


def axis(draw, ndim: int):
    return draw(st.integers(-ndim, ndim - 1))


# --- the op table: (name, applies(shape) -> bool, draw(data, shape) -> f(lib, x)) ----------------
def unary(draw, shape):
    name = draw(st.sampled_from(["exp", "neg", "abs", "sqrt", "log", "square", "relu", "tanh"]))
    if name in ("sqrt", "log"):
        return lambda lib, x: getattr(x.abs() + 0.5, name)()
    if name == "square":
        return lambda lib, x: x * x
    if name == "exp":
        return lambda lib, x: (x * 0.5).exp()
    return lambda lib, x: getattr(x, name)()


def broadcast_shape(draw, shape):
    """A shape that broadcasts with ``shape``: some dims set to 1, leading dims dropped/added."""
    out = [n if draw(st.booleans()) else 1 for n in shape]
    lead = draw(st.integers(0, len(out)))
    out = out[lead:]
    if draw(st.booleans()) and len(shape) < 4:
        out = [draw(st.integers(1, 2))] + [1] * (len(shape) - len(out)) + out
        if len(out) <= len(shape):
            out = out[-len(shape) :] if shape else out
    return tuple(out)


def binary(draw, shape):
    """Arithmetic with a broadcast partner: a float64/float32/int64 tensor, a 0-d one, or a
    Python number (PyTorch's promotion: a Python number or a 0-d tensor never widens a float
    tensor; an int tensor and a float tensor give the float dtype)."""
    op = draw(st.sampled_from(["+", "-", "*", "/", "max", "min"]))
    kind = draw(st.sampled_from(["tensor", "tensor", "zero_d", "python", "int_tensor", "f32"]))
    other_shape = () if kind == "zero_d" else broadcast_shape(draw, shape)
    values = draw_array(draw, other_shape)
    reverse = draw(st.booleans())

    def partner(lib):
        if kind == "python":
            return 1.7 if op != "max" else -0.3
        v = np.abs(values) + 0.5 if op == "/" else values
        if kind == "int_tensor":
            return lib.tensor(np.round(v * 3).astype(np.int64) + (op == "/"))
        return lib.tensor(v, dtype=lib.float32 if kind == "f32" else lib.float64)

    def f(lib, x):
        y = partner(lib)
        if op in ("max", "min"):
            if kind == "python":
                return x.clamp(min=y) if op == "max" else x.clamp(max=y)
            y = y if isinstance(y, float) else y.to(x.dtype)
            return (lib.maximum if op == "max" else lib.minimum)(x, y)
        a, b = (y, x) if reverse and op != "/" else (x, y)
        return {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "/": lambda: a / b}[
            op
        ]()

    return f


def reduction(draw, shape):
    name = draw(
        st.sampled_from(["sum", "mean", "amax", "amin", "var", "std", "max_dim", "min_dim"])
    )
    keepdim = draw(st.booleans())
    if not shape:
        if name in ("max_dim", "min_dim"):
            name = "sum"
        return lambda lib, x: getattr(x, name)()
    nonempty = all(n > 0 for n in shape)
    if name in ("max_dim", "min_dim"):
        d = axis(draw, len(shape))
        if shape[d] == 0:
            return lambda lib, x: x.sum(dim=d, keepdim=keepdim)
        method = name.split("_")[0]
        return lambda lib, x: getattr(x, method)(dim=d, keepdim=keepdim)[0]
    if name in ("amax", "amin") and not nonempty:
        name = "sum"
    dims = draw(
        st.lists(st.integers(0, len(shape) - 1), min_size=1, max_size=len(shape), unique=True)
    )
    dims = tuple(d - len(shape) if draw(st.booleans()) else d for d in dims)
    if name in ("var", "std"):
        count = int(np.prod([shape[d] for d in dims]))
        if count < 2:
            name = "sum"
    if name == "std":
        # spread the values first: the gradient of std over a constant slice is 0/0, and which
        # answer comes out depends on each library's rounding (both are defensible)
        spread = np.arange(int(np.prod(shape))).reshape(shape) * 0.01
        return lambda lib, x: (x + lib.tensor(spread, dtype=x.dtype)).std(dim=dims, keepdim=keepdim)
    return lambda lib, x: getattr(x, name)(dim=dims, keepdim=keepdim)


def reshape(draw, shape):
    n = int(np.prod(shape)) if shape else 1
    kind = draw(st.sampled_from(["flat", "split", "unsqueeze", "squeeze", "view_as_minus1"]))
    if kind == "flat":
        return lambda lib, x: x.reshape(-1)
    if kind == "unsqueeze":
        d = draw(st.integers(-len(shape) - 1, len(shape)))
        return lambda lib, x: x.unsqueeze(d)
    if kind == "squeeze":
        return lambda lib, x: x.squeeze()
    if kind == "view_as_minus1" and n > 0 and shape:
        return lambda lib, x: x.view(shape[0], -1)
    divisors = [d for d in range(1, n + 1) if n % d == 0] or [1]
    a = draw(st.sampled_from(divisors))
    return lambda lib, x: x.reshape(a, n // a if a else 0)


def permute(draw, shape):
    if len(shape) < 2:
        return lambda lib, x: x.T if len(shape) <= 1 else x
    kind = draw(st.sampled_from(["permute", "transpose", "T", "mT"]))
    if kind == "permute":
        dims = draw(st.permutations(list(range(len(shape)))))
        return lambda lib, x: x.permute(*dims)
    if kind == "transpose":
        a, b = axis(draw, len(shape)), axis(draw, len(shape))
        return lambda lib, x: x.transpose(a, b)
    if kind == "T" and len(shape) != 2:
        return lambda lib, x: x.permute(*reversed(range(len(shape))))
    return lambda lib, x: getattr(x, kind)


def index(draw, shape):
    if not shape:
        return lambda lib, x: x[None]
    kind = draw(st.sampled_from(["int", "slice", "ellipsis", "array", "mask", "none", "multi",
                                 "full_mask"]))  # fmt: skip
    d = draw(st.integers(0, len(shape) - 1))
    if kind == "full_mask":
        return lambda lib, x: x[x > 0]
    if kind == "multi" and len(shape) >= 2 and all(shape):
        return multi_index(draw, shape)
    n = shape[d]
    pre = (slice(None),) * d
    if kind == "int" and n > 0:
        i = draw(st.integers(-n, n - 1))
        return lambda lib, x: x[pre + (i,)]
    if kind == "array" and n > 0:
        idx = draw(st.lists(st.integers(-n, n - 1), min_size=0, max_size=5))
        as_tensor = draw(st.booleans())
        return lambda lib, x: x[pre + ((lib.tensor(idx, dtype=lib.int64) if as_tensor else idx),)]
    if kind == "mask":
        mask = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
        return lambda lib, x: x[pre + (lib.tensor(mask),)]
    if kind == "ellipsis":
        new_axis = draw(st.booleans())
        return lambda lib, x: x[..., None] if new_axis else x[..., -1:]
    if kind == "none":
        return lambda lib, x: x[None, ...]
    start = draw(st.integers(-n - 1, n + 1)) if n else 0
    stop = draw(st.integers(-n - 1, n + 1)) if n else 0
    step = draw(st.integers(1, 3))
    return lambda lib, x: x[pre + (slice(start, stop, step),)]


def multi_index(draw, shape):
    """Several index arrays/ints, possibly separated by slices or None (PyTorch's placement of
    the advanced dims: first when the advanced indices are not adjacent)."""
    items = []
    for n in shape:
        choice = draw(st.sampled_from(["slice", "int", "array", "none_then_slice"]))
        if choice == "int":
            items.append(draw(st.integers(-n, n - 1)))
        elif choice == "array":
            items.append(draw(st.lists(st.integers(-n, n - 1), min_size=2, max_size=2)))
        elif choice == "none_then_slice":
            items += [None, slice(None)]
        else:
            items.append(slice(None))
    index = tuple(items)
    return lambda lib, x: x[index]


def join(draw, shape):
    kind = draw(st.sampled_from(["cat", "stack"]))
    if kind == "cat" and shape:
        d = axis(draw, len(shape))
        return lambda lib, x: lib.cat([x, x * 2], dim=d)
    d = draw(st.integers(-len(shape) - 1, len(shape)))
    return lambda lib, x: lib.stack([x, x + 1], dim=d)


def expand(draw, shape):
    target = tuple(draw(st.integers(1, 3)) if n == 1 else n for n in shape)
    lead = draw(st.integers(0, 1))
    target = (2,) * lead + target
    return lambda lib, x: x.expand(*target) if target else x


def inplace(draw, shape):
    """In-place updates of an intermediate (a fresh tensor made from the input)."""
    kind = draw(st.sampled_from(["add_", "mul_", "sub_", "iadd", "imul"]))
    value = draw(st.floats(-2, 2, allow_nan=False).filter(lambda v: abs(v) > 1e-3))

    def f(lib, x):
        y = x * 1.0
        if kind == "iadd":
            y += value
        elif kind == "imul":
            y *= value
        else:
            getattr(y, kind)(value)
        return y

    return f


OPS = [unary, binary, reduction, reshape, permute, index, join, expand, inplace]


def draw_array(draw, shape):
    seed = draw(st.integers(0, 2**31 - 1))
    return np.random.default_rng(seed).standard_normal(shape)


class Step:
    """One op of a chain, printable so that a failing example reads as the program it ran."""

    def __init__(self, op, shape, fn):
        self.op, self.shape, self.fn = op, shape, fn
        self.code = (
            fn.__code__.co_consts,
            [getattr(c, "cell_contents", None) for c in fn.__closure__ or ()],
        )

    def __call__(self, lib, x):
        return self.fn(lib, x)

    def __repr__(self):
        return f"{self.op}(shape={self.shape}, args={self.code[1]})"


def run(lib, program, x0):
    x = lib.tensor(x0, dtype=lib.float32 if x0.dtype == np.float32 else lib.float64,
                   requires_grad=True)  # fmt: skip
    out = x
    for step in program:
        out = step(lib, out)
    return x, out


@pytest.mark.fuzz
@settings(max_examples=EXAMPLES, deadline=None, derandomize=not LONG,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
@given(st.data())
def test_random_op_chains_match_torch(data):
    draw = data.draw
    shape = tuple(draw(st.lists(st.integers(0, 4), min_size=0, max_size=3)))
    x0 = draw_array(draw, shape)
    if draw(st.integers(0, 3)) == 0:
        x0 = x0.astype(np.float32)
    program, current = [], shape
    for _ in range(draw(st.integers(1, 5))):
        op = draw(st.sampled_from(OPS))
        try:
            step = Step(op.__name__, current, op(draw, current))
        except Exception:  # noqa: BLE001 - a generator that does not fit this shape
            continue
        probe = _torch_output(program + [step], x0)
        if probe is None:
            continue  # torch itself refuses this program: not a valid PyTorch program
        program.append(step)
        current = tuple(probe.shape)
    print("program:", program)
    tx, tout = run(torch, program, x0)
    mx, mout = run(mt, program, x0)
    assert tuple(mout.shape) == tuple(tout.shape)
    assert str(mout.dtype) == str(tout.dtype).replace("torch.", "")
    tol = 1e-10 if tout.dtype == torch.float64 and x0.dtype == np.float64 else 1e-5
    np.testing.assert_allclose(mout.detach().numpy(), tout.detach().numpy(), rtol=tol, atol=tol)
    if not tout.requires_grad:
        return
    weights = np.random.default_rng(1).standard_normal(tuple(tout.shape)).astype(x0.dtype)
    (tout * torch.tensor(weights, dtype=tout.dtype)).sum().backward()
    (mout * mt.tensor(weights, dtype=mout.dtype)).sum().backward()
    expected = np.zeros(shape) if tx.grad is None else tx.grad.numpy()
    got = np.zeros(shape) if mx.grad is None else mx.grad.numpy()
    np.testing.assert_allclose(got, expected, rtol=tol, atol=tol)
    assert got.dtype == expected.dtype


def _torch_output(program, x0):
    """torch's result of ``program``, or None where torch refuses it (not a valid program)."""
    try:
        return run(torch, program, x0)[1]
    except (RuntimeError, IndexError, ValueError, TypeError):
        return None
