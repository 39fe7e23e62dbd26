# ruff: noqa: E501 - the defect table quotes error messages on one line each
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
            "TransformerDecoderLayer", "TransformerEncoder", "TransformerDecoder", "Transformer"}  # fmt: skip
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

# Cases where minitorch deliberately differs from torch: (row id, category) -> why.
DIFFERENCES: dict[tuple, str] = {}

# Known defects, one entry per defect with the cases it breaks (strict xfails: fixing a defect
# turns its cases into failures until its entry goes).
# fmt: off
_DEFECTS = {
    'AdaptiveAvgPool2d accepts a bool input (torch: NotImplementedError \'"adaptive_avg_pool2d" not implemented for \'Bool\'\'); should raise a TypeError naming AdaptiveAvgPool2d and the dtype': [
        ('AdaptiveAvgPool2d', 'bool'),
        ('AdaptiveAvgPool2d-tiles', 'bool'),
    ],
    'AdaptiveAvgPool2d accepts a int64 input (torch: NotImplementedError \'"adaptive_avg_pool2d" not implemented for \'Long\'\'); should raise a TypeError naming AdaptiveAvgPool2d and the dtype': [
        ('AdaptiveAvgPool2d', 'int64'),
        ('AdaptiveAvgPool2d-tiles', 'int64'),
    ],
    'AdaptiveAvgPool2d bool: AdaptiveAvgPool2d-global: torch refuses (RuntimeError: mean(): could not infer output dtype. Input d': [
        ('AdaptiveAvgPool2d-global', 'bool'),
    ],
    'AdaptiveAvgPool2d int64: AdaptiveAvgPool2d-global: torch refuses (RuntimeError: mean(): could not infer output dtype. Input d': [
        ('AdaptiveAvgPool2d-global', 'int64'),
    ],
    "AdaptiveAvgPool2d with inf input: output 0 differs from torch's (values or NaN positions)": [
        ('AdaptiveAvgPool2d', 'inf'),
    ],
    "AdaptiveAvgPool2d with nan input: output 0 differs from torch's (values or NaN positions)": [
        ('AdaptiveAvgPool2d', 'nan'),
    ],
    'AvgPool1d on bool input raises a raw NumPy casting error instead of a TypeError naming AvgPool1d and the dtype': [
        ('AvgPool1d', 'bool'),
    ],
    'AvgPool1d on int64 input raises a raw NumPy casting error instead of a TypeError naming AvgPool1d and the dtype': [
        ('AvgPool1d', 'int64'),
    ],
    'AvgPool2d empty-dim0: AvgPool2d-divisor: torch refuses (RuntimeError: Expected 3D or 4D (batch mode) tensor with optional ': [
        ('AvgPool2d-divisor', 'empty-dim0'),
    ],
    'AvgPool2d on bool input raises a raw NumPy casting error instead of a TypeError naming AvgPool2d and the dtype': [
        ('AvgPool2d', 'bool'),
        ('AvgPool2d-divisor', 'bool'),
    ],
    'AvgPool2d on int64 input raises a raw NumPy casting error instead of a TypeError naming AvgPool2d and the dtype': [
        ('AvgPool2d', 'int64'),
        ('AvgPool2d-divisor', 'int64'),
    ],
    "BCELoss accepts a float16 input (torch: RuntimeError 'Found dtype Double but expected Half'); should raise a TypeError naming BCELoss and the dtype": [
        ('BCELoss', 'float16'),
        ('BCELoss-weight-sum', 'float16'),
    ],
    "BCELoss accepts this input where torch raises RuntimeError 'all elements of input should be between 0 and 1'": [
        ('BCELoss', 'nan'),
        ('BCELoss-weight-sum', 'nan'),
    ],
    'BCEWithLogitsLoss on float16 input returns float16 where torch returns float64 (promotion with the float64 operand)': [
        ('BCEWithLogitsLoss', 'float16'),
        ('BCEWithLogitsLoss-posweight-none', 'float16'),
    ],
    'BatchNorm2d accepts a bool input (torch: NotImplementedError \'"batch_norm" not implemented for \'Bool\'\'); should raise a TypeError naming BatchNorm2d and the dtype': [
        ('BatchNorm2d-noaffine', 'bool'),
    ],
    'BatchNorm2d accepts a int64 input (torch: NotImplementedError \'"batch_norm" not implemented for \'Long\'\'); should raise a TypeError naming BatchNorm2d and the dtype': [
        ('BatchNorm2d-noaffine', 'int64'),
    ],
    'BatchNorm2d float16: BatchNorm2d-noaffine: torch refuses (RuntimeError: mixed dtype (CPU): expect parameter to have scala': [
        ('BatchNorm2d-noaffine', 'float16'),
    ],
    "CrossEntropyLoss accepts a float16 input (torch: RuntimeError 'expected scalar type Half but found Double'); should raise a TypeError naming CrossEntropyLoss and the dtype": [
        ('CrossEntropyLoss-weight-ignore-smoothing', 'float16'),
    ],
    'CrossEntropyLoss on float16 input returns float16 where torch returns float64 (promotion with the float64 operand)': [
        ('CrossEntropyLoss-probabilities-sum', 'float16'),
    ],
    'Dropout on bool input raises a raw NumPy casting error instead of a TypeError naming Dropout and the dtype': [
        ('Dropout', 'bool'),
    ],
    'Dropout on int64 input raises a raw NumPy casting error instead of a TypeError naming Dropout and the dtype': [
        ('Dropout', 'int64'),
    ],
    'Dropout2d on bool input raises a raw NumPy casting error instead of a TypeError naming Dropout2d and the dtype': [
        ('Dropout2d', 'bool'),
    ],
    'Dropout2d on int64 input raises a raw NumPy casting error instead of a TypeError naming Dropout2d and the dtype': [
        ('Dropout2d', 'int64'),
    ],
    'ELU accepts a bool input (torch: NotImplementedError \'"elu_cpu" not implemented for \'Bool\'\'); should raise a TypeError naming ELU and the dtype': [
        ('ELU', 'bool'),
    ],
    'ELU accepts a int64 input (torch: NotImplementedError \'"elu_cpu" not implemented for \'Long\'\'); should raise a TypeError naming ELU and the dtype': [
        ('ELU', 'int64'),
    ],
    "ELU with nan input: gradient of input 0 differs from torch's (values or NaN positions)": [
        ('ELU', 'nan'),
    ],
    'GELU accepts a bool input (torch: NotImplementedError \'"GeluKernelImpl" not implemented for \'Bool\'\'); should raise a TypeError naming GELU and the dtype': [
        ('GELU', 'bool'),
        ('GELU-tanh', 'bool'),
    ],
    'GELU accepts a int64 input (torch: NotImplementedError \'"GeluKernelImpl" not implemented for \'Long\'\'); should raise a TypeError naming GELU and the dtype': [
        ('GELU', 'int64'),
        ('GELU-tanh', 'int64'),
    ],
    'GRU refuses L=0 without quoting the input shape': [
        ('GRU-batch-first', 'empty-dim1'),
        ('GRU-unbatched-nobias', 'empty-dim0'),
    ],
    'GroupNorm accepts a bool input (torch: NotImplementedError \'"GroupNormKernelImpl" not implemented for \'Bool\'\'); should raise a TypeError naming GroupNorm and the dtype': [
        ('GroupNorm-noaffine', 'bool'),
    ],
    'GroupNorm accepts a int64 input (torch: NotImplementedError \'"GroupNormKernelImpl" not implemented for \'Long\'\'); should raise a TypeError naming GroupNorm and the dtype': [
        ('GroupNorm-noaffine', 'int64'),
    ],
    'GroupNorm with an empty dimension (empty-dim0) fails with a raw reshape ValueError; torch returns an empty result or a clear error': [
        ('GroupNorm', 'empty-dim0'),
        ('GroupNorm-noaffine', 'empty-dim0'),
    ],
    "GroupNorm with huge-1e300 input: output 0 differs from torch's (values or NaN positions)": [
        ('GroupNorm-noaffine', 'huge-1e300'),
    ],
    'KLDivLoss on float16 input returns float16 where torch returns float64 (promotion with the float64 operand)': [
        ('KLDivLoss', 'float16'),
        ('KLDivLoss-logtarget-sum', 'float16'),
    ],
    'L1Loss on float16 input returns float16 where torch returns float64 (promotion with the float64 operand)': [
        ('L1Loss', 'float16'),
        ('L1Loss-none', 'float16'),
    ],
    "L1Loss with nan input: gradient of input 0 differs from torch's (values or NaN positions)": [
        ('L1Loss', 'nan'),
        ('L1Loss-none', 'nan'),
    ],
    'LSTM refuses L=0 without quoting the input shape': [
        ('LSTM', 'empty-dim0'),
        ('LSTM-2layer-bidirectional', 'empty-dim0'),
        ('LSTM-batch-first-dropout', 'empty-dim1'),
    ],
    'LSTM with an empty dimension (empty-dim0) fails with a raw reshape ValueError; torch returns an empty result or a clear error': [
        ('LSTM-batch-first-dropout', 'empty-dim0'),
    ],
    'LSTM with an empty dimension (empty-dim1) fails with a raw reshape ValueError; torch returns an empty result or a clear error': [
        ('LSTM', 'empty-dim1'),
        ('LSTM-2layer-bidirectional', 'empty-dim1'),
    ],
    "LSTMCell on a Python list reports 'got ()' instead of naming the list type": [
        ('LSTMCell', 'list'),
        ('LSTMCell-unbatched-nostate', 'list'),
    ],
    'LayerNorm on bool input raises a raw NumPy casting error instead of a TypeError naming LayerNorm and the dtype': [
        ('LayerNorm-2d-noaffine', 'bool'),
    ],
    'LayerNorm on int64 input raises a raw NumPy casting error instead of a TypeError naming LayerNorm and the dtype': [
        ('LayerNorm-2d-noaffine', 'int64'),
    ],
    "LayerNorm with huge-1e300 input: output 0 differs from torch's (values or NaN positions)": [
        ('LayerNorm', 'huge-1e300'),
        ('LayerNorm-2d-noaffine', 'huge-1e300'),
        ('LayerNorm-nobias', 'huge-1e300'),
    ],
    'LeakyReLU accepts a bool input (torch: NotImplementedError \'"leaky_relu_cpu" not implemented for \'Bool\'\'); should raise a TypeError naming LeakyReLU and the dtype': [
        ('LeakyReLU', 'bool'),
    ],
    'LeakyReLU accepts a int64 input (torch: NotImplementedError \'"leaky_relu_cpu" not implemented for \'Long\'\'); should raise a TypeError naming LeakyReLU and the dtype': [
        ('LeakyReLU', 'int64'),
    ],
    'LogSoftmax on bool input raises a raw NumPy casting error instead of a TypeError naming LogSoftmax and the dtype': [
        ('LogSoftmax', 'bool'),
        ('LogSoftmax-last', 'bool'),
    ],
    'LogSoftmax on int64 input raises a raw NumPy casting error instead of a TypeError naming LogSoftmax and the dtype': [
        ('LogSoftmax', 'int64'),
        ('LogSoftmax-last', 'int64'),
    ],
    "LogSoftmax with an empty dimension (empty-dim0) fails with a raw 'zero-size array to reduction operation maximum'; torch returns an empty result": [
        ('LogSoftmax-last', 'empty-dim0'),
    ],
    "LogSoftmax's error for rank-1 does not quote the input shape: IndexError: LogSoftmax: dim 2 is out of range for a 2-D input (expected in [-2, 1])": [
        ('LogSoftmax', 'rank-1'),
    ],
    'MSELoss on float16 input returns float16 where torch returns float64 (promotion with the float64 operand)': [
        ('MSELoss', 'float16'),
        ('MSELoss-none-noncontiguous', 'float16'),
        ('MSELoss-sum-0d', 'float16'),
    ],
    'MaxPool1d accepts a bool input (torch: NotImplementedError \'"max_pool1d_impl" not implemented for \'Bool\'\'); should raise a TypeError naming MaxPool1d and the dtype': [
        ('MaxPool1d', 'bool'),
    ],
    'MaxPool1d on int64 input raises a raw OverflowError (float -inf mask into an integer array)': [
        ('MaxPool1d', 'int64'),
    ],
    "MaxPool1d with nan input: gradient of input 0 differs from torch's (values or NaN positions)": [
        ('MaxPool1d', 'nan'),
    ],
    'MaxPool2d accepts a bool input (torch: NotImplementedError \'"max_pool2d" not implemented for \'Bool\'\'); should raise a TypeError naming MaxPool2d and the dtype': [
        ('MaxPool2d-2x2', 'bool'),
        ('MaxPool2d-dilation-ceil', 'bool'),
        ('MaxPool2d-indices', 'bool'),
        ('MaxPool2d-noncontiguous', 'bool'),
        ('MaxPool2d-padded', 'bool'),
    ],
    'MaxPool2d on int64 input raises a raw OverflowError (float -inf mask into an integer array)': [
        ('MaxPool2d-dilation-ceil', 'int64'),
        ('MaxPool2d-padded', 'int64'),
    ],
    "MaxPool2d with nan input: gradient of input 0 differs from torch's (values or NaN positions)": [
        ('MaxPool2d-dilation-ceil', 'nan'),
        ('MaxPool2d-noncontiguous', 'nan'),
        ('MaxPool2d-padded', 'nan'),
    ],
    "MaxPool2d with nan input: output 1 differs from torch's (values or NaN positions)": [
        ('MaxPool2d-indices', 'nan'),
    ],
    "MultiheadAttention accepts a bool input (torch: RuntimeError 'expected m1 and m2 to have the same dtype, but got: bool != '); should raise a TypeError naming MultiheadAttention and the dtype": [
        ('MultiheadAttention-kdim-padding', 'bool'),
        ('MultiheadAttention-self-unbatched-nobias', 'bool'),
    ],
    "MultiheadAttention accepts a bool input (torch: RuntimeError 'mat1 and mat2 must have the same dtype, but got Bool and Dou'); should raise a TypeError naming MultiheadAttention and the dtype": [
        ('MultiheadAttention', 'bool'),
        ('MultiheadAttention-dropout', 'bool'),
        ('MultiheadAttention-per-head-float-mask', 'bool'),
    ],
    "MultiheadAttention accepts a float16 input (torch: RuntimeError 'expected m1 and m2 to have the same dtype, but got: c10::Hal'); should raise a TypeError naming MultiheadAttention and the dtype": [
        ('MultiheadAttention-kdim-padding', 'float16'),
        ('MultiheadAttention-self-unbatched-nobias', 'float16'),
    ],
    "MultiheadAttention accepts a float16 input (torch: RuntimeError 'mat1 and mat2 must have the same dtype, but got Half and Dou'); should raise a TypeError naming MultiheadAttention and the dtype": [
        ('MultiheadAttention', 'float16'),
        ('MultiheadAttention-dropout', 'float16'),
        ('MultiheadAttention-per-head-float-mask', 'float16'),
    ],
    "MultiheadAttention accepts a int64 input (torch: RuntimeError 'expected m1 and m2 to have the same dtype, but got: long int'); should raise a TypeError naming MultiheadAttention and the dtype": [
        ('MultiheadAttention-self-unbatched-nobias', 'int64'),
    ],
    "MultiheadAttention accepts a int64 input (torch: RuntimeError 'mat1 and mat2 must have the same dtype, but got Long and Dou'); should raise a TypeError naming MultiheadAttention and the dtype": [
        ('MultiheadAttention', 'int64'),
        ('MultiheadAttention-dropout', 'int64'),
        ('MultiheadAttention-per-head-float-mask', 'int64'),
    ],
    "MultiheadAttention on a Python list raises a raw AttributeError ('list' object has no attribute 'ndim'), not a TypeError naming MultiheadAttention": [
        ('MultiheadAttention', 'list'),
        ('MultiheadAttention-dropout', 'list'),
        ('MultiheadAttention-kdim-padding', 'list'),
        ('MultiheadAttention-per-head-float-mask', 'list'),
        ('MultiheadAttention-self-unbatched-nobias', 'list'),
    ],
    'MultiheadAttention on int64 input raises a raw OverflowError (float -inf mask into an integer array)': [
        ('MultiheadAttention-kdim-padding', 'int64'),
    ],
    "MultiheadAttention with an empty dimension (empty-dim0) fails with a raw 'zero-size array to reduction operation maximum'; torch returns an empty result": [
        ('MultiheadAttention-dropout', 'empty-dim0'),
        ('MultiheadAttention-self-unbatched-nobias', 'empty-dim0'),
    ],
    "NLLLoss accepts a float16 input (torch: RuntimeError 'expected scalar type Half but found Double'); should raise a TypeError naming NLLLoss and the dtype": [
        ('NLLLoss-weight-ignore-sum', 'float16'),
    ],
    'RNN refuses L=0 without quoting the input shape': [
        ('RNN', 'empty-dim0'),
        ('RNN-dropout', 'empty-dim0'),
        ('RNN-relu-2layer-bidirectional', 'empty-dim0'),
    ],
    "RNN with inf input: gradient of input 0 differs from torch's (values or NaN positions)": [
        ('RNN-relu-2layer-bidirectional', 'inf'),
    ],
    "RNN with nan input: gradient of input 0 differs from torch's (values or NaN positions)": [
        ('RNN-relu-2layer-bidirectional', 'nan'),
    ],
    "RNNCell with inf input: gradient of input 0 differs from torch's (values or NaN positions)": [
        ('RNNCell-relu-nobias-unbatched', 'inf'),
    ],
    "RNNCell with nan input: gradient of input 0 differs from torch's (values or NaN positions)": [
        ('RNNCell-relu-nobias-unbatched', 'nan'),
    ],
    "ReLU accepts a bool input (torch: RuntimeError 'Boolean inputs not supported for relu'); should raise a TypeError naming ReLU and the dtype": [
        ('ReLU', 'bool'),
        ('ReLU-0d', 'bool'),
        ('ReLU-noncontiguous', 'bool'),
    ],
    "ReLU with nan input: gradient of input 0 differs from torch's (values or NaN positions)": [
        ('ReLU', 'nan'),
        ('ReLU-noncontiguous', 'nan'),
    ],
    "Sequential on a Python list raises a raw AttributeError ('list' object has no attribute 'ndim'), not a TypeError naming Sequential": [
        ('Sequential-conv-block', 'list'),
        ('Sequential-mlp', 'list'),
    ],
    "Sequential's error for empty-dim0 does not quote the input shape: ValueError: BatchNorm2d(3): expected more than 1 value per channel when training, got input ": [
        ('Sequential-conv-block', 'empty-dim0'),
    ],
    "Sequential's error for rank-1 does not quote the input shape: ValueError: BatchNorm2d(3): expected 4D input, got 3D input of shape (3, 4, 4)": [
        ('Sequential-conv-block', 'rank-1'),
    ],
    'SiLU accepts a bool input (torch: NotImplementedError \'"silu_cpu" not implemented for \'Bool\'\'); should raise a TypeError naming SiLU and the dtype': [
        ('SiLU', 'bool'),
    ],
    'SiLU accepts a int64 input (torch: NotImplementedError \'"silu_cpu" not implemented for \'Long\'\'); should raise a TypeError naming SiLU and the dtype': [
        ('SiLU', 'int64'),
    ],
    "Sigmoid with int64 input: output 0 differs from torch's (values or NaN positions)": [
        ('Sigmoid', 'int64'),
    ],
    'SmoothL1Loss on float16 input returns float16 where torch returns float64 (promotion with the float64 operand)': [
        ('SmoothL1Loss', 'float16'),
        ('SmoothL1Loss-none', 'float16'),
    ],
    'Softmax accepts a bool input (torch: NotImplementedError \'"softmax_lastdim_kernel_impl" not implemented for \'Bool\'\'); should raise a TypeError naming Softmax and the dtype': [
        ('Softmax-0d', 'bool'),
    ],
    'Softmax accepts a int64 input (torch: NotImplementedError \'"softmax_lastdim_kernel_impl" not implemented for \'Long\'\'); should raise a TypeError naming Softmax and the dtype': [
        ('Softmax-0d', 'int64'),
    ],
    'Softmax on bool input raises a raw NumPy casting error instead of a TypeError naming Softmax and the dtype': [
        ('Softmax', 'bool'),
        ('Softmax-noncontiguous', 'bool'),
    ],
    'Softmax on int64 input raises a raw NumPy casting error instead of a TypeError naming Softmax and the dtype': [
        ('Softmax', 'int64'),
        ('Softmax-noncontiguous', 'int64'),
    ],
    'Softplus accepts a bool input (torch: NotImplementedError \'"softplus_cpu" not implemented for \'Bool\'\'); should raise a TypeError naming Softplus and the dtype': [
        ('Softplus', 'bool'),
    ],
    'Softplus accepts a int64 input (torch: NotImplementedError \'"softplus_cpu" not implemented for \'Long\'\'); should raise a TypeError naming Softplus and the dtype': [
        ('Softplus', 'int64'),
    ],
    "Transformer accepts a bool input (torch: RuntimeError 'mat1 and mat2 must have the same dtype, but got Bool and Dou'); should raise a TypeError naming Transformer and the dtype": [
        ('Transformer', 'bool'),
    ],
    "Transformer accepts a float16 input (torch: RuntimeError 'mat1 and mat2 must have the same dtype, but got Half and Dou'); should raise a TypeError naming Transformer and the dtype": [
        ('Transformer', 'float16'),
    ],
    "Transformer on a Python list raises a raw AttributeError ('list' object has no attribute 'ndim'), not a TypeError naming Transformer": [
        ('Transformer', 'list'),
        ('Transformer-batchfirst-normfirst-gelu-unbatched', 'list'),
    ],
    'Transformer on int64 input raises a raw OverflowError (float -inf mask into an integer array)': [
        ('Transformer', 'int64'),
    ],
    "Transformer with an empty dimension (empty-dim0) fails with a raw 'zero-size array to reduction operation maximum'; torch returns an empty result": [
        ('Transformer-batchfirst-normfirst-gelu-unbatched', 'empty-dim0'),
    ],
    "Transformer with huge-1e300 input: output 0 differs from torch's (values or NaN positions)": [
        ('Transformer-batchfirst-normfirst-gelu-unbatched', 'huge-1e300'),
    ],
    "TransformerDecoder with an empty dimension (empty-dim1) fails with a raw 'zero-size array to reduction operation maximum'; torch returns an empty result": [
        ('TransformerDecoder', 'empty-dim1'),
    ],
    "TransformerDecoder with huge-1e300 input: output 0 differs from torch's (values or NaN positions)": [
        ('TransformerDecoder', 'huge-1e300'),
    ],
    "TransformerDecoderLayer accepts a bool input (torch: RuntimeError 'mat1 and mat2 must have the same dtype, but got Bool and Dou'); should raise a TypeError naming TransformerDecoderLayer and the dtype": [
        ('TransformerDecoderLayer-causal-padded', 'bool'),
        ('TransformerDecoderLayer-dropout-unbatched', 'bool'),
    ],
    "TransformerDecoderLayer accepts a float16 input (torch: RuntimeError 'mat1 and mat2 must have the same dtype, but got Half and Dou'); should raise a TypeError naming TransformerDecoderLayer and the dtype": [
        ('TransformerDecoderLayer-causal-padded', 'float16'),
        ('TransformerDecoderLayer-dropout-unbatched', 'float16'),
    ],
    "TransformerDecoderLayer accepts a int64 input (torch: RuntimeError 'mat1 and mat2 must have the same dtype, but got Long and Dou'); should raise a TypeError naming TransformerDecoderLayer and the dtype": [
        ('TransformerDecoderLayer-dropout-unbatched', 'int64'),
    ],
    "TransformerDecoderLayer on a Python list raises a raw AttributeError ('list' object has no attribute 'ndim'), not a TypeError naming TransformerDecoderLayer": [
        ('TransformerDecoderLayer-causal-padded', 'list'),
        ('TransformerDecoderLayer-dropout-unbatched', 'list'),
    ],
    'TransformerDecoderLayer on int64 input raises a raw OverflowError (float -inf mask into an integer array)': [
        ('TransformerDecoderLayer-causal-padded', 'int64'),
    ],
    "TransformerDecoderLayer with an empty dimension (empty-dim0) fails with a raw 'zero-size array to reduction operation maximum'; torch returns an empty result": [
        ('TransformerDecoderLayer-dropout-unbatched', 'empty-dim0'),
    ],
    "TransformerDecoderLayer with huge-1e300 input: output 0 differs from torch's (values or NaN positions)": [
        ('TransformerDecoderLayer-normfirst-gelu-batchfirst', 'huge-1e300'),
    ],
    "TransformerEncoder accepts a bool input (torch: RuntimeError 'mat1 and mat2 must have the same dtype, but got Bool and Dou'); should raise a TypeError naming TransformerEncoder and the dtype": [
        ('TransformerEncoder', 'bool'),
    ],
    "TransformerEncoder accepts a float16 input (torch: RuntimeError 'mat1 and mat2 must have the same dtype, but got Half and Dou'); should raise a TypeError naming TransformerEncoder and the dtype": [
        ('TransformerEncoder', 'float16'),
    ],
    "TransformerEncoder accepts a int64 input (torch: RuntimeError 'mat1 and mat2 must have the same dtype, but got Long and Dou'); should raise a TypeError naming TransformerEncoder and the dtype": [
        ('TransformerEncoder', 'int64'),
    ],
    "TransformerEncoder on a Python list raises a raw AttributeError ('list' object has no attribute 'ndim'), not a TypeError naming TransformerEncoder": [
        ('TransformerEncoder', 'list'),
    ],
    "TransformerEncoderLayer accepts a bool input (torch: RuntimeError 'mat1 and mat2 must have the same dtype, but got Bool and Dou'); should raise a TypeError naming TransformerEncoderLayer and the dtype": [
        ('TransformerEncoderLayer', 'bool'),
        ('TransformerEncoderLayer-dropout', 'bool'),
    ],
    "TransformerEncoderLayer accepts a float16 input (torch: RuntimeError 'mat1 and mat2 must have the same dtype, but got Half and Dou'); should raise a TypeError naming TransformerEncoderLayer and the dtype": [
        ('TransformerEncoderLayer', 'float16'),
        ('TransformerEncoderLayer-dropout', 'float16'),
    ],
    "TransformerEncoderLayer accepts a int64 input (torch: RuntimeError 'mat1 and mat2 must have the same dtype, but got Long and Dou'); should raise a TypeError naming TransformerEncoderLayer and the dtype": [
        ('TransformerEncoderLayer', 'int64'),
        ('TransformerEncoderLayer-dropout', 'int64'),
    ],
    "TransformerEncoderLayer on a Python list raises a raw AttributeError ('list' object has no attribute 'ndim'), not a TypeError naming TransformerEncoderLayer": [
        ('TransformerEncoderLayer', 'list'),
        ('TransformerEncoderLayer-dropout', 'list'),
    ],
    "TransformerEncoderLayer with an empty dimension (empty-dim0) fails with a raw 'zero-size array to reduction operation maximum'; torch returns an empty result": [
        ('TransformerEncoderLayer', 'empty-dim0'),
        ('TransformerEncoderLayer-dropout', 'empty-dim0'),
    ],
    "TransformerEncoderLayer with huge-1e300 input: output 0 differs from torch's (values or NaN positions)": [
        ('TransformerEncoderLayer-normfirst-gelu-causal', 'huge-1e300'),
    ],
}
# fmt: on
DEFECTS: dict[tuple, str] = {key: why for why, keys in _DEFECTS.items() for key in keys}


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
