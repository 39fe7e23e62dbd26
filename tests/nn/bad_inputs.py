"""The bad-input matrix: every catalogue row (``tests/nn/catalogue.py``) x one category of bad or
unusual input, made from the row's valid inputs. This file is data and the rules that derive
it; ``tests/nn/test_bad_inputs.py`` runs each case with torch as the oracle.

A category is a function ``make(row, arrays) -> (arrays, needs_grad, given)`` that returns the
row's input arrays altered (or None where the category does not apply), whether each floating
input is differentiated, and what an error message must quote of the input given.
"""

from __future__ import annotations

import zlib
from typing import Any, Callable

import numpy as np

from tests.nn.catalogue import ROWS, Row

# Where a row's feature or channel dimension sits in its first input (absent: the row has none).
FEATURE_AXIS = {
    "Linear": -1, "Bilinear": -1, "LayerNorm": -1, "RNN": -1, "LSTM": -1, "GRU": -1,
    "RNNCell": -1, "LSTMCell": -1, "GRUCell": -1, "MultiheadAttention": -1,
    "TransformerEncoderLayer": -1, "TransformerDecoderLayer": -1, "TransformerEncoder": -1,
    "TransformerDecoder": -1, "Transformer": -1, "Conv1d": -2, "Conv2d": -3,
    "ConvTranspose2d": -3, "BatchNorm1d": 1, "BatchNorm2d": 1, "GroupNorm": 1,
    "CrossEntropyLoss": 1, "NLLLoss": 1,
}  # fmt: skip
SEQUENCE = {"RNN", "LSTM", "GRU", "MultiheadAttention", "TransformerEncoderLayer",
            "TransformerDecoderLayer", "TransformerEncoder", "TransformerDecoder",
            "Transformer"}  # fmt: skip
CLASS_TARGETS = {"CrossEntropyLoss", "NLLLoss"}
BINARY_TARGETS = {"BCELoss", "BCEWithLogitsLoss"}
# Classes whose errors may come from (and name) a child: the children's public names.
CHILDREN = {
    "Sequential": {"Linear", "Conv2d", "BatchNorm2d", "MaxPool2d", "Flatten", "Tanh", "ReLU"},
    "TransformerEncoderLayer": {"MultiheadAttention", "LayerNorm"},
    "TransformerDecoderLayer": {"MultiheadAttention", "LayerNorm"},
    "TransformerEncoder": {"MultiheadAttention", "TransformerEncoderLayer", "LayerNorm"},
    "TransformerDecoder": {"MultiheadAttention", "TransformerDecoderLayer", "LayerNorm"},
    "Transformer": {
        "MultiheadAttention",
        "TransformerEncoderLayer",
        "TransformerDecoderLayer",
        "LayerNorm",
    },
}
Case = tuple  # (arrays, needs_grad, given) | None


def _grads(row: Row, arrays: list) -> list[bool]:
    """Which inputs are differentiated: the row's floating inputs that take a gradient."""
    return [s.needs_grad and a.dtype.kind == "f" for s, a in zip(row.inputs, arrays)]


def _first(row: Row, arrays: list, new: Any) -> Case:
    out = [new, *arrays[1:]]
    return out, _grads(row, out), None


def _shape_case(row: Row, arrays: list, new: np.ndarray) -> Case:
    out, grads, _ = _first(row, arrays, new)
    return out, grads, ("shape", tuple(new.shape))


def rank_minus(row: Row, arrays: list) -> Case:
    x = arrays[0] if arrays else None
    if x is None or x.ndim == 0 or x.shape[0] == 0:
        return None
    return _shape_case(row, arrays, x[0].copy())


def rank_plus(row: Row, arrays: list) -> Case:
    if not arrays:
        return None
    x = arrays[0]
    return _shape_case(row, arrays, np.stack([x, x]))


def feature_size(row: Row, arrays: list) -> Case:
    axis = FEATURE_AXIS.get(row.cls)
    x = arrays[0] if arrays else None
    if axis is None or x is None or x.dtype.kind != "f" or x.ndim < 2 and axis > 0:
        return None
    if axis < 0 and x.ndim < -axis:
        return None
    if row.cls in CLASS_TARGETS and x.ndim == 1:
        axis = 0
    extra = np.take(x, [0], axis=axis)
    return _shape_case(row, arrays, np.concatenate([x, extra], axis=axis))


def _empty(row: Row, arrays: list, axis: int) -> Case:
    x = arrays[0] if arrays else None
    if x is None or x.ndim <= axis:
        return None
    size, out = x.shape[axis], []
    for i, a in enumerate(arrays):  # the inputs that share the dimension lose it too
        if i == 0 or a.ndim == x.ndim and a.ndim > axis and a.shape[axis] == size:
            a = np.take(a, [], axis=axis)
        out.append(a)
    return out, _grads(row, out), ("shape", tuple(out[0].shape))


def empty_dim0(row: Row, arrays: list) -> Case:
    return _empty(row, arrays, 0)


def empty_dim1(row: Row, arrays: list) -> Case:
    """N=0 for sequence-first layers (L=0 when batch_first); only for sequence layers."""
    return _empty(row, arrays, 1) if row.cls in SEQUENCE else None


def _dtype(dtype: str) -> Callable:
    def make(row: Row, arrays: list) -> Case:
        x = arrays[0] if arrays else None
        if x is None or x.dtype == np.dtype(dtype) or x.dtype.kind != "f":
            return None
        new = {"bool": x > 0, "int64": np.round(x * 2)}.get(dtype, x).astype(dtype)
        out = [new, *arrays[1:]]
        grads = _grads(row, out)
        grads[0] = False  # float16 too: the point is the dtype, not its gradient
        return out, grads, ("dtype", dtype)

    return make


def as_list(row: Row, arrays: list) -> Case:
    if not arrays:
        return None
    out = [arrays[0].tolist(), *arrays[1:]]
    return out, [False, *_grads(row, arrays)[1:]], ("type", "list")


def _poison(value: float) -> Callable:
    def make(row: Row, arrays: list) -> Case:
        x = arrays[0] if arrays else None
        if x is None or x.dtype.kind != "f" or x.size == 0:
            return None
        x = x.copy()
        x.flat[:: max(1, x.size // 3)] = value
        return _first(row, arrays, x)

    return make


def _huge(scale: float) -> Callable:
    def make(row: Row, arrays: list) -> Case:
        x = arrays[0] if arrays else None
        if x is None or x.dtype.kind != "f" or x.size == 0:
            return None
        return _first(row, arrays, x * (scale / max(np.abs(x).max(), 1e-300)))

    return make


def _target(value: Callable) -> Callable:
    """Class targets set to ``value(C)`` (index targets) or binary targets set to ``value``."""

    def make(row: Row, arrays: list) -> Case:
        if len(arrays) < 2:
            return None
        t = arrays[1]
        if row.cls in CLASS_TARGETS and t.dtype.kind == "i":
            classes = arrays[0].shape[0 if arrays[0].ndim == 1 else 1]
            bad = value(classes)
        elif row.cls in BINARY_TARGETS and value(None) is not None:
            bad = value(None)
        else:
            return None
        t = np.array(t, dtype=t.dtype, copy=True)
        if t.ndim == 0:
            t = np.array(bad, dtype=t.dtype)
        else:
            t.flat[0] = bad
        out = [arrays[0], t, *arrays[2:]]
        return out, _grads(row, out), ("value", bad)

    return make


CATEGORIES: dict[str, Callable] = {
    "rank-1": rank_minus,
    "rank+1": rank_plus,
    "feature-size": feature_size,
    "empty-dim0": empty_dim0,
    "empty-dim1": empty_dim1,
    "int64": _dtype("int64"),
    "float16": _dtype("float16"),
    "bool": _dtype("bool"),
    "list": as_list,
    "nan": _poison(np.nan),
    "inf": _poison(np.inf),
    "huge-1e30": _huge(1e30),
    "huge-1e300": _huge(1e300),
    "target-minus2": _target(lambda c: -2 if c is not None else -0.5),
    "target-C": _target(lambda c: c if c is not None else 1.5),
}

# Cases where minitorch deliberately differs from torch, one reason per group of cases: each is
# refused clearly or computed without a crash, and its result is not compared with torch's.
_EMPTY_BATCH_BUG = (
    "on a batch of 0, torch 2.13 fails its own checks ({}); minitorch returns the empty result "
    "and empty gradients, as every other layer does"
)
_ZERO_CHANNELS = (
    "an unbatched input with 0 channels: torch refuses zero-size non-batch dimensions for this "
    "layer; minitorch returns the empty result"
)
_OVERFLOWED_VARIANCE = (
    "inputs near 1e300 overflow the variance: torch's float64 GroupNorm/InstanceNorm kernels "
    "return 0 there while its float32 ones and LayerNorm return NaN; minitorch returns NaN in "
    "every norm, not a plausible-looking 0"
)
_HARDTANH_NAN = (
    "torch's hardtanh gradient at NaN depends on the element's position (0 in its vectorised "
    "loop, 1 in its scalar tail); minitorch gives 0 everywhere, the vectorised loop's value"
)
_BILINEAR_INF = (
    "at an infinite input torch multiplies it by a zero interpolation weight (inf * 0 = NaN); "
    "minitorch's output there is the infinite value the nonzero weight selects"
)
_NOISY_TORCH_GRADIENT = (
    "at 1e30 torch's input gradient of the stacked encoder layers is rounding noise on some "
    "machines (an Intel AVX-512 CPU: 1.3e13 at most, 1.2e13 with the input scaled by 1 + 1e-12, "
    "5.3e12 by 1 + 1e-9), where LayerNorm's 1/std makes it about 1e-30; minitorch's is that "
    "stable 1e-30 and its outputs equal torch's"
)
_DIFFERENCE_CASES = {
    _EMPTY_BATCH_BUG.format("IndexError: select(): index 0 out of range"): [
        ("InstanceNorm1d-affine-stats", "empty-dim0"), ("InstanceNorm2d", "empty-dim0"),
        ("InstanceNorm2d-eval", "empty-dim0"), ("InstanceNorm2d-noncontiguous", "empty-dim0"),
    ],
    _EMPTY_BATCH_BUG.format("its backward returns a gradient of the wrong shape"): [
        ("PixelShuffle", "empty-dim0"), ("PixelShuffle-unbatched", "empty-dim0"),
        ("PixelShuffle-noncontiguous", "empty-dim0"), ("PixelUnshuffle", "empty-dim0"),
    ],
    _ZERO_CHANNELS: [("AvgPool2d-divisor", "empty-dim0"), ("ReflectionPad3d", "empty-dim0")],
    _OVERFLOWED_VARIANCE: [
        ("GroupNorm", "huge-1e300"), ("GroupNorm-nobias", "huge-1e300"),
        ("InstanceNorm1d", "huge-1e300"), ("InstanceNorm1d-affine-stats", "huge-1e300"),
        ("InstanceNorm1d-unbatched-momentum", "huge-1e300"), ("InstanceNorm2d", "huge-1e300"),
        ("InstanceNorm2d-unbatched-nobias", "huge-1e300"),
        ("InstanceNorm2d-noncontiguous", "huge-1e300"),
    ],
    _HARDTANH_NAN: [("Hardtanh", "nan"), ("Hardtanh-inplace", "nan"), ("ReLU6", "nan")],
    _BILINEAR_INF: [("Upsample-bilinear-noncontiguous", "inf")],
    _NOISY_TORCH_GRADIENT: [("TransformerEncoder", "huge-1e30"), ("Transformer", "huge-1e30")],
}  # fmt: skip
DIFFERENCES: dict[tuple, str] = {
    key: why for why, keys in _DIFFERENCE_CASES.items() for key in keys
}

# Known defects (strict xfails: fixing one turns its cases into failures until its entry goes).
# None is known: keep it that way, or record one here with the cases it breaks.
DEFECTS: dict[tuple, str] = {}


def valid_inputs(row: Row) -> list[np.ndarray]:
    """The row's valid inputs as the module sees them (permuted views made contiguous)."""
    rng = np.random.default_rng(zlib.crc32(row.id.encode()))
    bases = [spec.sample(rng) for spec in row.inputs]
    return [b if s.perm is None else np.ascontiguousarray(b.transpose(s.perm))
            for s, b in zip(row.inputs, bases)]  # fmt: skip


def cases() -> list[tuple[Row, str]]:
    """Every (row, category) pair that applies."""
    out = []
    for row in ROWS:
        base = valid_inputs(row)
        for name, make in CATEGORIES.items():
            if make(row, [b.copy() for b in base]) is not None:
                out.append((row, name))
    return out
