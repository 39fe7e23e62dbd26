"""The op table: one row per ``torch.*`` function / ``Tensor`` method, run against PyTorch.

A row names the op, its input cases and its constant arguments; the call is written once, as
``getattr(lib, name)(*inputs, *args, **kwargs)`` (or the row's ``call``, a ``lambda lib, *xs``
against the shared PyTorch API) and as the method ``inputs[0].name(*inputs[1:], ...)``.
``test_op_table.py`` runs every row on minitorch and torch.

An input case is a tuple of input specs: a shape (a float tensor drawn from the row's
``domain``), ``F(shape, ...)``, ``Int``, ``Index``, ``Unique`` or ``Mask``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np


@dataclass(frozen=True)
class F:
    """A float tensor; ``nc``: non-contiguous (a transposed array); ``domain`` overrides."""

    shape: tuple
    domain: str | None = None
    nc: bool = False


@dataclass(frozen=True)
class Int:
    """An int64 tensor with values in [low, high)."""

    shape: tuple
    high: int = 5
    low: int = -4


@dataclass(frozen=True)
class Index(Int):
    """An int64 index tensor in [0, high) (repeats allowed)."""

    low: int = 0


@dataclass(frozen=True)
class Unique:
    """int64 indices in [0, high), distinct along ``dim`` (what scatter needs to be
    deterministic)."""

    shape: tuple
    dim: int
    high: int


@dataclass(frozen=True)
class Mask:
    shape: tuple


@dataclass(frozen=True)
class Op:
    """One row. ``grad``: compare input gradients with torch's and run ``mt.gradcheck``.
    ``method``/``function``: also call it as ``x.name(...)`` / ``lib.name(...)``."""

    name: str
    cases: list
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    call: Callable | None = None
    method: bool = True
    function: bool = True
    grad: bool = True
    domain: str = "real"
    id: str | None = None
    atol: float = 1e-10
    gradcheck: bool = True

    @property
    def label(self) -> str:
        return self.id or self.name

    def calls(self) -> list:
        """(kind, fn(lib, *xs)) for each way this row is called."""
        if self.call is not None:
            return [("call", self.call)]
        out = []
        if self.function:
            out.append(
                (
                    "function",
                    lambda lib, *xs: getattr(lib, self.name)(*xs, *self.args, **self.kwargs),
                )
            )
        if self.method:
            out.append(
                (
                    "method",
                    lambda lib, x, *xs: getattr(x, self.name)(*xs, *self.args, **self.kwargs),
                )
            )
        return out


def draw(spec: Any, domain: str, rng: np.random.Generator) -> np.ndarray:
    """The NumPy array for one input spec (non-contiguous where asked)."""
    if isinstance(spec, tuple):
        spec = F(spec)
    if isinstance(spec, Mask):
        return rng.random(spec.shape) < 0.5
    if isinstance(spec, Int):
        return rng.integers(spec.low, spec.high, spec.shape).astype(np.int64)
    if isinstance(spec, Unique):
        keys = rng.random(spec.shape[: spec.dim] + (spec.high,) + spec.shape[spec.dim + 1 :])
        order = np.argsort(keys, axis=spec.dim)
        return np.take(order, np.arange(spec.shape[spec.dim]), axis=spec.dim).astype(np.int64)
    shape = spec.shape[::-1] if spec.nc else spec.shape
    x = _values(spec.domain or domain, shape, rng)
    return x.T if spec.nc else x


def _values(domain: str, shape: tuple, rng: np.random.Generator) -> np.ndarray:
    n = int(np.prod(shape))
    z = rng.standard_normal(shape)
    if domain == "real":
        return z
    if domain == "positive":
        return np.abs(z) + 0.5
    if domain == "unit":
        return rng.uniform(-0.9, 0.9, shape)
    if domain == "above1":
        return np.abs(z) + 1.1
    if domain == "nonzero":
        return np.sign(z + 1e-3) * (np.abs(z) + 0.3)
    if domain == "distinct":  # no ties: orders and selections are unique
        return ((rng.permutation(n) - n / 2) * 0.37 + rng.uniform(0, 0.1, n)).reshape(shape)
    if domain == "zeros":  # a few exact zeros (prod, cumprod)
        return np.where(rng.random(shape) < 0.25, 0.0, z)
    if domain == "special":  # nan, inf, -inf among the numbers
        return np.where(rng.random(shape) < 0.4, rng.choice([np.nan, np.inf, -np.inf], shape), z)
    raise ValueError(domain)


UNARY = [((3, 4),), ((),), ((0, 3),), (F((4, 3), nc=True),)]
BINARY = [((3, 4), (4,)), ((2, 1, 3), (4, 1)), ((), (3,)), ((0, 2), (2,))]
REDUCE = [((3, 4),), (F((4, 3), nc=True),), ((2, 3, 2),)]
MAT = [((3, 4),), (F((4, 3), nc=True),)]


def unary(name: str, domain: str = "real", grad: bool = True, **kw: Any) -> Op:
    return Op(name, UNARY, domain=domain, grad=grad, **kw)


def all_rows() -> list[Op]:
    """Every row of the table (the row modules are split by family)."""
    from tests.autograd import op_rows_pointwise, op_rows_reduce, op_rows_shape

    return [*op_rows_pointwise.ROWS, *op_rows_reduce.ROWS, *op_rows_shape.ROWS]
