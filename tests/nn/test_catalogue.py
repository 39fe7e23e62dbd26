"""Every check on every row of the layer catalogue (``tests/nn/catalogue.py``), on every device.

One small function per check; what differs between layers lives in the rows, not here.
"""

from __future__ import annotations

import re
import zlib
from types import SimpleNamespace
from typing import Any, Callable

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from minitorch.backend import backend_for
from tests.helpers import copy_weights_to_torch, to_numpy
from tests.nn.catalogue import EXEMPT, NO_BAD_INPUT, ROWS, Row

MT = SimpleNamespace(nn=mt.nn, tensor=mt.tensor)
pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")  # torch's
CHECKS = {"gradcheck", "torch", "float32", "explicit", "sharing", "sharing_torch", "repr",
          "repr_informative", "state_dict", "state_dict_torch", "bad"}  # fmt: skip


def rows(check: str, where: Callable[[Row], bool] = lambda row: True) -> Any:
    """Parametrise over the rows ``check`` applies to, with the rows' skips and xfails."""
    params = []
    for row in ROWS:
        if not where(row):
            continue
        marks = []
        if check in row.skip:
            marks.append(pytest.mark.skip(reason=row.skip[check]))
        if check in row.xfail:
            marks.append(pytest.mark.xfail(strict=True, reason=row.xfail[check]))
        params.append(pytest.param(row, marks=marks, id=row.id))
    return pytest.mark.parametrize("row", params)


# --- building modules and feeding them ----------------------------------------------------------
def torch_lib(torch: Any) -> SimpleNamespace:
    return SimpleNamespace(nn=torch.nn, tensor=torch.tensor)


def build(row: Row, lib: Any) -> Any:
    """The row's module for ``lib`` (minitorch or torch), in the row's train/eval mode."""
    if row.make is not None:
        module = row.make(lib)
    else:
        kwargs = {k: lib.tensor(v) if isinstance(v, np.ndarray) else v
                  for k, v in row.kwargs.items()}  # fmt: skip
        module = getattr(lib.nn, row.cls)(*row.args, **kwargs)
    if row.state:
        module.load_state_dict({k: lib.tensor(v) for k, v in row.state.items()}, strict=False)
    return module.train(not row.eval)


def arrays(row: Row, specs: tuple | None = None, seed: int = 0) -> list[np.ndarray]:
    """The contiguous leaf arrays for the row's inputs (or ``specs``), reproducibly."""
    rng = np.random.default_rng(zlib.crc32(row.id.encode()) + seed)
    return [spec.sample(rng) for spec in (row.inputs if specs is None else specs)]


def cast(a: np.ndarray, dtype: Any) -> np.ndarray:
    return a.astype(dtype) if a.dtype.kind == "f" else a


def mt_leaves(specs: tuple, bases: list, device: str, dtype: Any = np.float64) -> list:
    return [mt.tensor(cast(b, dtype), device=device, requires_grad=s.needs_grad)
            for s, b in zip(specs, bases)]  # fmt: skip


def torch_leaves(torch: Any, specs: tuple, bases: list) -> list:
    return [torch.tensor(b, requires_grad=s.needs_grad) for s, b in zip(specs, bases)]


def views(specs: tuple, leaves: list) -> list:
    """What the module is fed: each leaf, or its permuted (non-contiguous) view."""
    return [x if s.perm is None else x.permute(*s.perm) for s, x in zip(specs, leaves)]


def flatten(out: Any) -> list:
    if isinstance(out, (tuple, list)):
        return [leaf for item in out for leaf in flatten(item)]
    return [out]


def is_float(x: Any) -> bool:
    test = getattr(x, "is_floating_point", None)
    return test() if test is not None else x is not None and x.dtype.kind == "f"


def run(row: Row, module: Any, *inputs: Any) -> list:
    """The module's floating outputs, flat (LSTM's ``(y, (h, c))`` is ``[y, h, c]``)."""
    out = module(*inputs) if row.call is None else row.call(module, *inputs)
    return [o for o in flatten(out) if is_float(o)]


def output_weights(outputs: list, seed: int = 0) -> list[np.ndarray]:
    """Fixed random weights that turn the outputs into one scalar loss."""
    rng = np.random.default_rng(100 + seed)
    return [rng.standard_normal(tuple(o.shape)) for o in outputs]


def backward(lib_tensor: Callable, outputs: list, weights: list) -> None:
    loss = sum((o * lib_tensor(w)).sum() for o, w in zip(outputs, weights))
    loss.backward()


def mt_backward(outputs: list, device: str, seed: int = 0) -> None:
    weights = output_weights(outputs, seed)
    backward(lambda w: mt.tensor(cast(w, outputs[0].dtype), device=device), outputs, weights)


def param_grads(module: Any) -> dict:
    return {n: None if p.grad is None else to_numpy(p.grad) for n, p in module.named_parameters()}


def assert_close(actual: Any, expected: Any, row: Row, what: str) -> None:
    np.testing.assert_allclose(to_numpy(actual), to_numpy(expected), rtol=row.rtol,
                               atol=row.atol, err_msg=f"{row.id}: {what}")  # fmt: skip


def assert_grads_close(actual: dict, expected: dict, row: Row) -> None:
    assert actual.keys() == expected.keys()
    for name, g in expected.items():
        assert (actual[name] is None) == (g is None), f"{row.id}: gradient of {name}"
        if g is not None:
            assert_close(actual[name], g, row, f"gradient of parameter {name}")


def view_grad(spec: Any, leaf: Any) -> np.ndarray:
    """The leaf's gradient as seen through the view the module was fed."""
    g = to_numpy(leaf.grad)
    return g if spec.perm is None else g.transpose(spec.perm)


def input_grads(row: Row, leaves: list) -> list:
    """Each input's gradient (through its view), None for the inputs that take none."""
    return [view_grad(s, x) if s.needs_grad else None for s, x in zip(row.inputs, leaves)]


class Harness(nn.Module):
    """A row's module as a function of its leaf inputs, for ``mt.gradcheck``."""

    def __init__(self, row: Row, module: nn.Module) -> None:
        super().__init__()
        self.row, self.module = row, module

    def forward(self, *leaves: Any) -> tuple:
        return tuple(run(self.row, self.module, *views(self.row.inputs, list(leaves))))


def shared_and_separate(row: Row, lib: Any, module: Any, make_leaves: Callable) -> tuple:
    """Gradients of ``loss(m(x1)) + loss(m(x2))`` in one graph: (params, leaves1, leaves2)."""
    feeds = [make_leaves(arrays(row, seed=s)) for s in (1, 2)]
    total = 0
    for seed, leaves in zip((1, 2), feeds):
        mt.manual_seed(seed)
        outputs = run(row, module, *views(row.inputs, leaves))
        total = total + sum((o * lib.tensor(cast(w, _np_dtype(o)))).sum()
                            for o, w in zip(outputs, output_weights(outputs, seed)))  # fmt: skip
    total.backward()
    return (param_grads(module), *[input_grads(row, leaves) for leaves in feeds])


def _np_dtype(t: Any) -> Any:
    """The NumPy float type of a minitorch or torch tensor (for the output weights)."""
    return np.float32 if "float32" in str(t.dtype) else np.float64


# --- the checks ---------------------------------------------------------------------------------
@rows("gradcheck")
def test_gradcheck(row: Row, device: str) -> None:
    module = build(row, MT).double().to(device)
    leaves = mt_leaves(row.inputs, arrays(row), device)
    assert mt.gradcheck(Harness(row, module), *leaves, **row.gradcheck)


@rows("torch", lambda row: not row.random)
def test_matches_torch(row: Row, device: str, torch: Any) -> None:
    module, reference = build(row, MT).double().to(device), build(row, torch_lib(torch)).double()
    copy_weights_to_torch(module, reference)
    bases = arrays(row)
    ours, theirs = mt_leaves(row.inputs, bases, device), torch_leaves(torch, row.inputs, bases)
    out = run(row, module, *views(row.inputs, ours))
    expected = run(row, reference, *views(row.inputs, theirs))
    assert len(out) == len(expected), f"{row.id}: number of floating outputs"
    for i, (a, b) in enumerate(zip(out, expected)):
        assert tuple(a.shape) == tuple(b.shape), f"{row.id}: shape of output {i}"
        assert_close(a, b.detach().numpy(), row, f"output {i}")
    mt_backward(out, device)
    backward(torch.tensor, expected, output_weights(expected))
    for i, (spec, a, b) in enumerate(zip(row.inputs, ours, theirs)):
        if spec.needs_grad:
            assert_close(a.grad, b.grad.numpy(), row, f"gradient of input {i}")
    torch_grads = {n: None if p.grad is None else p.grad.numpy()
                   for n, p in reference.named_parameters()}  # fmt: skip
    assert_grads_close(param_grads(module), torch_grads, row)
    torch_state = reference.state_dict()
    for name, value in module.state_dict().items():  # running statistics after the call
        assert_close(value, torch_state[name].numpy(), row, f"state {name} after the call")


@rows("float32")
def test_float32_stays_float32(row: Row, device: str) -> None:
    module = build(row, MT).float().to(device)
    leaves = mt_leaves(row.inputs, arrays(row), device, np.float32)
    out = run(row, module, *views(row.inputs, leaves))
    assert out and all(o.dtype == mt.float32 for o in out), [o.dtype for o in out]
    mt_backward(out, device)
    for spec, x in zip(row.inputs, leaves):
        if spec.needs_grad:
            assert x.grad.dtype == mt.float32
    for name, p in module.named_parameters():
        assert p.grad is None or p.grad.dtype == mt.float32, f"{name}.grad is {p.grad.dtype}"


@rows("explicit", lambda row: row.explicit)
def test_explicit_forward_backward_equals_recorded_call(row: Row, device: str) -> None:
    module = build(row, MT).double().to(device)
    bases, backend = arrays(row), backend_for(device)
    raw = [backend.from_host(b.copy()) for b in bases]
    raw = [x if s.perm is None else x.transpose(s.perm) for s, x in zip(row.inputs, raw)]
    mt.manual_seed(1)
    y = flatten(module.forward(*raw))
    weights = iter(output_weights([o for o in y if is_float(o)]))
    dy = [backend.from_host(next(weights)) if is_float(o) else None for o in y]
    dx = module.backward(*dy)
    dx = dx if isinstance(dx, tuple) else (dx,)
    explicit_grads = param_grads(module)
    module.zero_grad()

    mt.manual_seed(1)
    leaves = mt_leaves(row.inputs, bases, device)
    recorded = run(row, module, *views(row.inputs, leaves))
    for i, (a, b) in enumerate(zip([o for o in y if is_float(o)], recorded, strict=True)):
        assert_close(a, b, row, f"output {i}")
    mt_backward(recorded, device)
    for i, (spec, x) in enumerate(zip(row.inputs, leaves)):
        if spec.needs_grad:
            assert_close(dx[i], view_grad(spec, x), row, f"gradient of input {i}")
    assert_grads_close(explicit_grads, param_grads(module), row)


@rows("sharing")
def test_shared_module_sums_the_gradients_of_its_calls(row: Row, device: str) -> None:
    module = build(row, MT).double().to(device)
    make = lambda bases: mt_leaves(row.inputs, bases, device)  # noqa: E731
    params, grads1, grads2 = shared_and_separate(row, MT, module, make)
    separate = []
    for seed in (1, 2):  # each call alone, as its own graph
        module.zero_grad()
        leaves = make(arrays(row, seed=seed))
        mt.manual_seed(seed)
        mt_backward(run(row, module, *views(row.inputs, leaves)), device, seed)
        separate.append((param_grads(module), input_grads(row, leaves)))
    summed = {n: None if g is None else g + separate[1][0][n]
              for n, g in separate[0][0].items()}  # fmt: skip
    assert_grads_close(params, summed, row)
    for shared, (_, alone) in zip((grads1, grads2), separate):
        for i, (a, b) in enumerate(zip(shared, alone)):
            if a is not None:
                assert_close(a, b, row, f"gradient of input {i}")


@rows("sharing_torch", lambda row: not row.random)
def test_shared_module_matches_torch(row: Row, device: str, torch: Any) -> None:
    module, reference = build(row, MT).double().to(device), build(row, torch_lib(torch)).double()
    copy_weights_to_torch(module, reference)
    ours = shared_and_separate(row, MT, module, lambda b: mt_leaves(row.inputs, b, device))
    theirs = shared_and_separate(row, torch_lib(torch), reference,
                                 lambda b: torch_leaves(torch, row.inputs, b))  # fmt: skip
    assert_grads_close(ours[0], theirs[0], row)
    for mine, ref in zip(ours[1:], theirs[1:]):
        for i, (a, b) in enumerate(zip(mine, ref)):
            if a is not None:
                assert_close(a, b, row, f"gradient of input {i}")


@rows("repr")
def test_repr_matches_torch(row: Row, torch: Any) -> None:
    expected = repr(build(row, torch_lib(torch)))
    for pattern, replacement in row.torch_repr_edits:
        expected = re.sub(pattern, replacement, expected)
    assert repr(build(row, MT)) == expected


@rows("repr_informative")
def test_repr_is_not_the_default(row: Row) -> None:
    text = repr(build(row, MT))
    assert text.startswith(f"{row.cls}(") and " object at 0x" not in text


@rows("state_dict")
def test_state_dict_round_trip_gives_identical_outputs(row: Row, device: str) -> None:
    mt.manual_seed(1)  # float32 throughout: a float64 loss weight would refuse float32 inputs
    module = build(row, MT).float().to(device)
    mt.manual_seed(2)
    copy = build(row, MT).float().to(device)
    copy.load_state_dict(module.state_dict())
    bases = arrays(row)
    outputs = []
    for m in (module, copy):
        mt.manual_seed(3)
        outputs.append(run(row, m, *views(row.inputs, mt_leaves(row.inputs, bases, device,
                                                                 np.float32))))  # fmt: skip
    for a, b in zip(*outputs, strict=True):
        np.testing.assert_array_equal(to_numpy(a), to_numpy(b))
    state, copied = module.state_dict(), copy.state_dict()
    assert list(state) == list(copied)
    for name in state:  # and the buffers the calls updated agree
        np.testing.assert_array_equal(to_numpy(state[name]), to_numpy(copied[name]), name)


@rows("state_dict_torch")
def test_state_dict_keys_and_shapes_match_torch(row: Row, torch: Any) -> None:
    ours = {k: tuple(v.shape) for k, v in build(row, MT).state_dict().items()}
    theirs = {k: tuple(v.shape) for k, v in build(row, torch_lib(torch)).state_dict().items()}
    assert list(ours.items()) == list(theirs.items())


@rows("bad", lambda row: row.bad is not None)
def test_bad_input_raises_an_error_naming_the_layer(row: Row, device: str) -> None:
    module = build(row, MT).to(device)
    bad = row.bad
    leaves = mt_leaves(bad.inputs, arrays(row, bad.inputs), device, np.float32)
    with pytest.raises(bad.exc, match=bad.match) as info:
        run(row, module, *views(bad.inputs, leaves))
    assert (bad.names or row.cls) in str(info.value)


# --- the catalogue itself -----------------------------------------------------------------------
def _public_modules() -> set[str]:
    return {
        name
        for name in nn.__all__
        if isinstance(getattr(nn, name), type) and issubclass(getattr(nn, name), nn.Module)
    }


def test_every_public_module_has_a_row_or_an_exemption() -> None:
    public, catalogued = _public_modules(), {row.cls for row in ROWS}
    assert public - catalogued - set(EXEMPT) == set(), "public Modules without a row"
    assert catalogued - public == set(), "rows for classes that are not public"
    assert set(EXEMPT) <= public and not set(EXEMPT) & catalogued
    assert all(reason.strip() for reason in EXEMPT.values())


def test_every_class_has_a_bad_input_or_a_reason() -> None:
    with_bad = {row.cls for row in ROWS if row.bad is not None}
    catalogued = {row.cls for row in ROWS}
    assert catalogued - with_bad - set(NO_BAD_INPUT) == set()
    assert set(NO_BAD_INPUT) <= catalogued - with_bad


def test_rows_are_consistent() -> None:
    assert len({row.id for row in ROWS}) == len(ROWS), "row ids must be unique"
    for row in ROWS:
        assert set(row.skip) | set(row.xfail) <= CHECKS, row.id
        assert bool(row.torch_repr_edits) == bool(row.repr_reason), f"{row.id}: give a reason"
        module = build(row, MT)
        if isinstance(module, nn.Layer):
            assert row.explicit, f"{row.id}: a Layer supports the explicit forward/backward"
        if row.explicit:
            assert callable(getattr(module, "backward", None)), row.id
